"""The public result certificate of a round: how it was counted, the outcome and the ballots as `.pb`."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from rounds.models import Round, RoundResult
from rounds.models.voting import Channel, Tier

METHOD_LABELS = {
    "greedy": _("Greedy: the most votes first, every project that still fits the pot"),
    "mes": _("The Method of Equal Shares"),
    "advisory": _("Advisory ranking by support"),
}
# Shown on their own lines of the certificate, not in the table of settings.
OWN_LINES = ("tie_breaking", "recount", "endowment_per_voter")


def _published_result(slug: str) -> RoundResult:
    try:
        return RoundResult.objects.select_related("round").get(
            round__slug=slug, round__is_published=True, published_at__isnull=False
        )
    except RoundResult.DoesNotExist:
        raise Http404 from None


def _labelled(mix: dict[str, int], labels) -> list[tuple[str, int]]:
    return [(str(labels(key).label) if key in labels.values else key, n) for key, n in sorted(mix.items())]


def certificate(request, slug: str):
    """The result certificate: rule, settings, tie-breaking, software, SHA-256 and outcome."""
    result = _published_result(slug)
    pb_round: Round = result.round
    projects = list(result.projects.select_related("proposal").order_by("rank"))
    context = {
        "pb_round": pb_round,
        "result": result,
        "method": METHOD_LABELS.get(result.method, result.method),
        "settings": [(k, v) for k, v in sorted(result.settings.items()) if k not in OWN_LINES],
        "tie_breaking": result.settings.get("tie_breaking", ""),
        "recount": result.settings.get("recount", ""),
        "endowment": result.settings.get("endowment_per_voter", ""),
        "selected": [p for p in projects if p.is_selected],
        "not_selected": [p for p in projects if not p.is_selected],
        "overridden": [p for p in projects if p.is_selected != p.selected_by_rule],
        "channels": _labelled(result.channel_mix, Channel),
        "tiers": _labelled(result.tier_mix, Tier),
    }
    return render(request, "rounds/certificate.html", context)


def certificate_pb(request, slug: str):
    """The certificate's anonymised ballots as a `.pb` file, byte for byte what the SHA-256 covers."""
    result = _published_result(slug)
    if not result.certificate_pb:
        raise Http404
    response = HttpResponse(result.certificate_pb.encode(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-certifikat.pb"'
    return response
