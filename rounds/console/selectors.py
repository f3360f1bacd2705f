"""Reads for the console: the next step of each round, queues, counts and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek

from models_catalogue.base import Action
from rounds import rules
from rounds.models import AuditEntry, Ballot, Comment, PaperEntry, Phase, Proposal, Round, Support, Voter
from rounds.models.voting import Channel


@dataclass(frozen=True)
class NextStep:
    current: Phase | None
    following: Phase | None  # the phase the console would open next; None at the end
    problem: str | None  # why it cannot open yet (a translated message), or None
    is_last: bool  # the open phase is the round's last


def round_next_step(pb_round: Round) -> NextStep:
    phases = list(pb_round.phases.order_by("position"))
    current = next((p for p in phases if p.state == Phase.State.OPEN), None)
    if current is None:
        following = next((p for p in phases if p.state == Phase.State.PENDING), None)
        if any(p.state == Phase.State.CLOSED for p in phases):
            following = None
    else:
        following = next((p for p in phases if p.position > current.position), None)
    problem = None
    if following is not None and (code := rules.opening_problem(pb_round, following)):
        problem = rules.RuleViolation(code).message
    return NextStep(current, following, problem, is_last=current is not None and following is None)


def dashboard_rounds() -> list[tuple[Round, NextStep]]:
    return [(r, round_next_step(r)) for r in Round.objects.prefetch_related("phases").order_by("-created_at")]


def round_allows(pb_round: Round, action: Action) -> bool:
    return rules.action_problem(pb_round, action) is None


def ballot_counts(pb_round: Round) -> list[tuple[str, str, int]]:
    """(channel, label, ballots) for every channel, in a fixed order, zeros included."""
    counted = dict(
        Ballot.objects.filter(round=pb_round)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    return [(c.value, str(c.label), counted.get(c.value, 0)) for c in Channel]


def paper_entry_counts(pb_round: Round) -> dict[str, int]:
    """Paper ballots under the double-entry check that are not counted: {"pending": n, "mismatch": n}."""
    counted = dict(
        PaperEntry.objects.filter(round=pb_round)
        .exclude(status=PaperEntry.Status.DISCARDED)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {s: counted.get(s, 0) for s in (PaperEntry.Status.PENDING, PaperEntry.Status.MISMATCH)}


@dataclass(frozen=True)
class OpenPaperEntry:
    """An entry for the admin: what each entry marked, as (title, points), and what differs."""

    entry: PaperEntry
    first: list[tuple[str, int]]
    second: list[tuple[str, int]] | None


def paper_entries_open(pb_round: Round) -> list[OpenPaperEntry]:
    """Entries waiting for a second entry or differing, mismatches first, then by serial."""
    entries = (
        PaperEntry.objects.filter(round=pb_round)
        .exclude(status=PaperEntry.Status.DISCARDED)
        .select_related("entered_by", "second_by", "area", "second_area")
    )
    titles = {str(pk): title for pk, title in pb_round.proposals.values_list("pk", "title")}

    def marked(choices: dict | None) -> list[tuple[str, int]] | None:
        return None if choices is None else [(titles.get(pk, pk), n) for pk, n in choices.items()]

    rows = [OpenPaperEntry(e, marked(e.choices), marked(e.second_choices)) for e in entries]
    return sorted(rows, key=lambda r: (r.entry.status != PaperEntry.Status.MISMATCH, r.entry.serial))


def assessment_queue(departments: list[str] | None = None) -> list[Proposal]:
    """Proposals waiting for an assessment, in rounds whose open phase is the assessment: those
    assigned to `departments`, or every one (assigned or not) for None (a tenant admin).

    Where the round has a favourites list only the favourites are assessed (as proposal_assess rules).
    """
    queue: list[Proposal] = []
    for pb_round in Round.objects.filter(phases__state=Phase.State.OPEN).distinct().order_by("title"):
        if not round_allows(pb_round, Action.ASSESS):
            continue
        waiting = [Proposal.Status.SHORTLISTED]
        if not pb_round.rules.favourites_per_theme:
            waiting.append(Proposal.Status.SUBMITTED)
        proposals = pb_round.proposals.filter(status__in=waiting)
        if departments is not None:
            proposals = proposals.filter(department__in=departments)
        queue.extend(proposals.select_related("round", "area", "theme").order_by("id"))
    return queue


def comments_for_moderation(
    *, hidden: bool | None = None, pb_round: Round | None = None
) -> QuerySet[Comment]:
    comments = Comment.objects.select_related("proposal", "proposal__round").order_by("-created_at", "-id")
    if hidden is not None:
        comments = comments.filter(is_hidden=hidden)
    if pb_round is not None:
        comments = comments.filter(proposal__round=pb_round)
    return comments


def audit_entries(
    *,
    person: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if person:
        entries = entries.filter(actor_label__icontains=person)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def audit_object_types() -> list[str]:
    return list(AuditEntry.objects.order_by("object_type").values_list("object_type", flat=True).distinct())


@dataclass(frozen=True)
class Series:
    """One table (and chart) of the participation page: labels and counts."""

    key: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


def _weekly(queryset: QuerySet, field: str) -> list[tuple[str, int]]:
    counted = (
        queryset.exclude(**{f"{field}__isnull": True})
        .annotate(week=TruncWeek(field))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return [(f"{row['week']:%G-W%V}", row["n"]) for row in counted]


def participation(pb_round: Round) -> dict[str, Series]:
    """Participation in a round: proposals and supports per week, voters per day, ballots by
    channel and by area. Ballots carry no time on purpose; the register's day of voting does."""
    voters_per_day = (
        Voter.objects.filter(round=pb_round).values("voted_on").annotate(n=Count("pk")).order_by("voted_on")
    )
    by_area = (
        Ballot.objects.filter(round=pb_round)
        .values("area__name")
        .annotate(n=Count("pk"))
        .order_by("area__name")
    )
    return {
        "proposals": Series("proposals", _weekly(pb_round.proposals.all(), "submitted_at")),
        "supports": Series(
            "supports", _weekly(Support.objects.filter(proposal__round=pb_round), "created_at")
        ),
        "voters": Series("voters", [(f"{row['voted_on']:%Y-%m-%d}", row["n"]) for row in voters_per_day]),
        "channels": Series("channels", [(label, n) for _c, label, n in ballot_counts(pb_round)]),
        "areas": Series("areas", [(row["area__name"] or "–", row["n"]) for row in by_area]),
    }


def turnout(pb_round: Round, inhabitants: int | None) -> float | None:
    """Voters as a share of the municipality's inhabitants (all ages: the eligible are not known)."""
    if not inhabitants:
        return None
    return Voter.objects.filter(round=pb_round).count() / inhabitants
