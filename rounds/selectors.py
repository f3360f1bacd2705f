"""Reads: querysets and small read models for views, services and the API."""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from rounds.models import Phase, Proposal, Round, Theme

LIVE = ~Q(status__in=[Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN])


def proposals_with_support(pb_round: Round) -> QuerySet[Proposal]:
    """The round's proposals (no drafts) with public support counts: supports_for, supports_against, net."""
    return (
        Proposal.objects.filter(LIVE, round=pb_round)
        .select_related("theme", "area")
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
    rounds = rounds if rounds is not None else Round.objects.filter(is_published=True)
    open_round = rounds.filter(phases__state=Phase.State.OPEN).order_by("-created_at").first()
    return open_round or rounds.order_by("-created_at").first()


def round_timeline(pb_round: Round) -> list[Phase]:
    return list(pb_round.phases.order_by("position"))
