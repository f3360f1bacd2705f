"""Reads: querysets and small read models for views, services and the API."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Min, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from rounds.models import Comment, Meeting, Phase, Proposal, Round, Theme

LIVE = ~Q(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])


def count_by(queryset: QuerySet, field: str) -> dict:
    """{value of `field`: number of rows} over the queryset, in one GROUP BY query."""
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n"))


def proposals_with_support(pb_round: Round) -> QuerySet[Proposal]:
    """The round's proposals (no drafts) with public support counts: supports_for, supports_against, net."""
    return (
        Proposal.objects.filter(LIVE, round=pb_round)
        .select_related("theme", "area", "assessment")
        .annotate(
            supports_for=Coalesce(
                Count("supports", filter=Q(supports__value=1)), Value(0), output_field=IntegerField()
            ),
            supports_against=Coalesce(
                Count("supports", filter=Q(supports__value=-1)), Value(0), output_field=IntegerField()
            ),
        )
        .annotate(net_support=F("supports_for") - F("supports_against"))
    )


def proposal_favourites(pb_round: Round) -> dict[Theme | None, list[Proposal]]:
    """The top N proposals per theme by net support (N from the round's rules).

    Ties are broken deterministically: more supports for first, then the earlier submission,
    then the lower id. Proposals rejected in assessment never count as favourites.
    """
    limit = pb_round.rules.favourites_per_theme
    if not limit:
        return {}
    candidates = proposals_with_support(pb_round).exclude(status=Proposal.Status.REJECTED)
    ordered = candidates.order_by("theme__name", "-net_support", "-supports_for", "submitted_at", "id")
    grouped: dict[Theme | None, list[Proposal]] = {}
    for proposal in ordered:
        group = grouped.setdefault(proposal.theme, [])
        if len(group) < limit:
            group.append(proposal)
    return grouped


def round_current(rounds: QuerySet[Round] | None = None) -> Round | None:
    """The round to show on the front page: the published one with an open phase, else the newest."""
    rounds = (rounds if rounds is not None else Round.objects.filter(is_published=True)).annotate(
        starts_at=Min("phases__starts_at")
    )
    # Of several running rounds, the one that started last is the current one.
    open_round = rounds.filter(phases__state=Phase.State.OPEN).order_by("-starts_at", "-id").first()
    return open_round or rounds.order_by("-starts_at", "-id").first()


def round_timeline(pb_round: Round) -> list[Phase]:
    return list(pb_round.phases.order_by("position"))


def round_get_published(slug: str) -> Round:
    return Round.objects.get(slug=slug, is_published=True)


def proposal_get_public(pk: int) -> Proposal:
    """A proposal of a published round, with its decision chain; drafts are private."""
    return (
        proposals_with_support_all()
        .filter(round__is_published=True)
        .select_related("round", "assessment", "decision", "theme", "area")
        .prefetch_related(
            # Hidden comments stay in the thread, with the moderator's public reason in place of the text.
            Prefetch("comments", queryset=Comment.objects.order_by("created_at", "id")),
            "statements",
            "updates",
        )
        .get(pk=pk)
    )


def proposals_with_support_all() -> QuerySet[Proposal]:
    return Proposal.objects.filter(LIVE).annotate(
        supports_for=Count("supports", filter=Q(supports__value=1)),
        supports_against=Count("supports", filter=Q(supports__value=-1)),
    )


def round_page_context(pb_round: Round | None) -> dict:
    """What a round's page shows: the round, its rules, timeline, areas, proposals and other rounds."""
    others = Round.objects.filter(is_published=True)
    if pb_round is None:
        return {"pb_round": None, "other_rounds": others}
    proposals = (
        proposals_with_support(pb_round)
        .exclude(status=Proposal.Status.REJECTED)
        .order_by(F("votes").desc(nulls_last=True), "-net_support", "id")
    )
    current = next((p for p in round_timeline(pb_round) if p.state == Phase.State.OPEN), None)
    return {
        "pb_round": pb_round,
        "actions": {str(a) for a in pb_round.model.phase(current.kind).allows} if current else set(),
        "model_name": pb_round.model.text("name", get_language()[:2]),
        "rules": pb_round.rules,
        "phases": round_timeline(pb_round),
        "current_phase": current,
        "areas": list(pb_round.areas.all()),
        "themes": list(pb_round.themes.all()),
        "proposals": list(proposals[:50]),
        "proposal_count": proposals.count(),
        "rejected": list(
            pb_round.proposals.filter(status=Proposal.Status.REJECTED).select_related("assessment")
        ),
        "other_rounds": others.exclude(pk=pb_round.pk),
    }


def ballot_proposal_list(pb_round: Round, proposal_ids: list[int]) -> list[Proposal]:
    return list(
        Proposal.objects.filter(round=pb_round, pk__in=proposal_ids)
        .select_related("area", "theme", "assessment")
        .order_by("title", "id")
    )


PROPOSAL_SORTS = {
    "support": ("-net_support", "-supports_for", "id"),
    "newest": ("-submitted_at", "-id"),
    "cost": ("cost", "id"),
    "cost_desc": ("-cost", "id"),
    "votes": (F("votes").desc(nulls_last=True), "id"),
}


def proposal_list_for_round(
    pb_round: Round,
    *,
    theme: int | None = None,
    area: int | None = None,
    status: str | None = None,
    q: str = "",
    sort: str = "support",
) -> QuerySet[Proposal]:
    """The public proposal list with filters, search and sort; a fixed number of queries per page."""
    proposals = proposals_with_support(pb_round).select_related("assessment")
    if theme:
        proposals = proposals.filter(theme_id=theme)
    if area:
        proposals = proposals.filter(area_id=area)
    if status:
        proposals = proposals.filter(status=status)
    if q.strip():
        words = q.split()
        for word in words[:5]:
            proposals = proposals.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
            )
    return proposals.order_by(*PROPOSAL_SORTS.get(sort, PROPOSAL_SORTS["support"]))


def round_result_public(pb_round: Round):
    """The published result with its projects, best first; raises RoundResult.DoesNotExist."""
    from rounds.models import RoundResult

    result = RoundResult.objects.get(round=pb_round, published_at__isnull=False)
    projects = list(result.projects.select_related("proposal", "proposal__area").order_by("rank"))
    return result, projects


def accountability_for_round(pb_round: Round) -> list[Proposal]:
    """Every proposal that reached a decision or a result, with its decision and latest progress."""
    proposals = list(
        Proposal.objects.filter(round=pb_round)
        .filter(
            Q(decision__isnull=False) | Q(status__in=[Proposal.Status.SELECTED, Proposal.Status.NOT_SELECTED])
        )
        .select_related("decision", "assessment", "area")
        .prefetch_related("updates")
        .order_by("title", "id")
    )
    for proposal in proposals:
        updates = list(proposal.updates.all())  # prefetched, in posting order
        proposal.latest_update = updates[-1] if updates else None
    return proposals


def meetings_for_round(pb_round: Round) -> list[Meeting]:
    return list(
        Meeting.objects.filter(round=pb_round)
        .select_related("area")
        .annotate(taken=Count("signups"))
        .order_by("starts_at")
    )
