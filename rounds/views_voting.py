"""The ballot: choose how to prove who you are, fill in the ballot, get a receipt.

Works without JavaScript: a plain form post validated on the server. Verification methods
(voting code, MitID, email code) live in their own modules and end by storing the voter's
identity in the session (rounds/voting_session.py) and redirecting here.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rounds import selectors
from rounds.models import Round
from rounds.models.voting import Tier
from rounds.rules import RuleViolation
from rounds.services.ballots import ballot_cast, ballot_proposals, receipts_public, voter_has_voted
from rounds.voting_session import identity_forget, identity_load


def _round(slug: str) -> Round:
    try:
        return selectors.round_get_published(slug)
    except Round.DoesNotExist:
        raise Http404 from None


def vote_start(request, slug: str):
    """How can I vote? The verification methods this round accepts."""
    pb_round = _round(slug)
    return render(request, "rounds/vote_start.html", {"pb_round": pb_round, "rules": pb_round.rules})


def _parse_choices(request, proposal_ids) -> dict[int, int]:
    """Checkboxes `choice` (approval, knapsack) or number fields `points-<id>` (cumulative)."""
    choices: dict[int, int] = {}
    for raw in request.POST.getlist("choice"):
        if raw.isdigit():
            choices[int(raw)] = 1
    for pid in proposal_ids:
        raw = request.POST.get(f"points-{pid}", "").strip()
        if raw:
            choices[pid] = int(raw) if raw.isdigit() else -1
    return choices


@require_http_methods(["GET", "POST"])
def ballot(request, slug: str):
    pb_round = _round(slug)
    identity = identity_load(request, round_id=pb_round.pk)
    if identity is None:
        return redirect("rounds:vote_start", slug=slug)
    area = pb_round.areas.filter(pk=identity.area_id).first() if identity.area_id else None
    if area is None and request.GET.get("area", "").isdigit():
        area = pb_round.areas.filter(pk=int(request.GET["area"])).first()
    costs = ballot_proposals(pb_round, area)
    context = {
        "pb_round": pb_round,
        "rules": pb_round.rules,
        "area": area,
        "proposals": selectors.ballot_proposal_list(pb_round, list(costs)),
        "limit": area.pot if area is not None and area.pot is not None else pb_round.rules.pot,
        "has_voted": voter_has_voted(pb_round, identity, area),
        "chosen": {},
        "ballot_texts": {
            "budget": _("You have used %(used)s of %(limit)s."),
            "chosen_of": _("%(n)s of %(most)s projects chosen."),
            "chosen": _("%(n)s projects chosen."),
            "points_left": _("Points left: %(left)s."),
            "over": _("That is too many: remove something before you vote."),
        },
    }
    if request.method == "POST":
        choices = _parse_choices(request, costs)
        try:
            result = ballot_cast(pb_round=pb_round, identity=identity, choices=choices, area=area)
        except RuleViolation as exc:
            context.update(error=exc.message, chosen=choices)
            return render(request, "rounds/ballot.html", context, status=400)
        # A voting code is spent with its ballot; where ballots cannot change, the session is done.
        if identity.tier == Tier.CODE or not pb_round.rules.ballot_changes_allowed:
            identity_forget(request)
        return render(request, "rounds/receipt.html", {"pb_round": pb_round, "result": result})
    return render(request, "rounds/ballot.html", context)


def receipts(request, slug: str):
    """The public list of receipt codes: every voter can check that their ballot is counted."""
    pb_round = _round(slug)
    return render(
        request, "rounds/receipts.html", {"pb_round": pb_round, "receipts": receipts_public(pb_round)}
    )
