"""Reads for the console: the next step of each round, queues, counts and the audit log."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from models_catalogue.base import Action
from rounds import rules
from rounds.models import AuditEntry, Ballot, Comment, PaperEntry, Phase, Proposal, Round, Support, Voter
from rounds.models.voting import AgeBand, Channel
from rounds.selectors import count_by


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
    counted = count_by(Ballot.objects.filter(round=pb_round), "channel")
    return [(c.value, str(c.label), counted.get(c.value, 0)) for c in Channel]


def paper_entry_counts(pb_round: Round) -> dict[str, int]:
    """Paper ballots under the double-entry check that are not counted: {"pending": n, "mismatch": n}."""
    counted = count_by(PaperEntry.objects.filter(round=pb_round), "status")
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
    """One table (and chart) of the participation page: a label per row, a count per column.

    The table holds every number of the chart, so a screen reader gets the same figures."""

    key: str
    columns: tuple[str, ...]
    rows: list[tuple[str, tuple[int, ...]]]
    stacked: bool = False  # a stacked bar chart (the columns add up), else grouped bars

    @property
    def total(self) -> int:
        return sum(values[0] for _label, values in self.rows)

    def chart(self) -> dict:
        """Chart.js's labels and datasets, as the page embeds them (static/js/console-charts.js)."""
        return {
            "labels": [label for label, _v in self.rows],
            "datasets": [
                {"label": str(column), "data": [values[i] for _l, values in self.rows]}
                for i, column in enumerate(self.columns)
            ],
            "stacked": self.stacked,
        }


NUMBER = _("Number")


def _weekly(queryset: QuerySet, field: str) -> list[tuple[str, tuple[int, ...]]]:
    counted = (
        queryset.exclude(**{f"{field}__isnull": True})
        .annotate(week=TruncWeek(field))
        .values("week")
        .annotate(n=Count("pk"))
        .order_by("week")
    )
    return [(f"{row['week']:%G-W%V}", (row["n"],)) for row in counted]


def _voters_per_day_and_channel(pb_round: Round) -> Series:
    counted = Voter.objects.filter(round=pb_round).values_list("voted_on", "channel").annotate(n=Count("pk"))
    days: dict = {}
    for day, channel, n in counted:
        days.setdefault(day, {})[channel] = n
    channels = [c for c in Channel if any(c.value in per for per in days.values())]
    rows = [(f"{day:%Y-%m-%d}", tuple(days[day].get(c.value, 0) for c in channels)) for day in sorted(days)]
    return Series("voters", tuple(c.label for c in channels) or (NUMBER,), rows, stacked=True)


def _by_age_band(pb_round: Round) -> Series:
    counted = count_by(Voter.objects.filter(round=pb_round), "age_band")
    rows = [(str(band.label), (counted.get(band.value, 0),)) for band in AgeBand]
    return Series("ages", (NUMBER,), rows + [(str(_("Not known")), (counted.get("", 0),))])


def _by_area(pb_round: Round) -> Series:
    """Proposals, supports, ballots and eligible residents per area (turnout: participation_rows)."""
    # Three grouped counts, not one query joining proposals, supports and ballots (rows would multiply).
    proposals = count_by(pb_round.proposals.exclude(status=Proposal.Status.DRAFT), "area")
    supports = count_by(Support.objects.filter(proposal__round=pb_round), "proposal__area")
    ballots = count_by(Ballot.objects.filter(round=pb_round), "area")
    rows = [
        (
            a.name,
            (proposals.get(a.pk, 0), supports.get(a.pk, 0), ballots.get(a.pk, 0), a.eligible_residents or 0),
        )
        for a in pb_round.areas.order_by("name")
    ]
    columns = (_("Proposals"), _("Supports"), _("Ballots"), _("Eligible residents"))
    return Series("areas", columns, rows)


def participation(pb_round: Round) -> dict[str, Series]:
    """Participation in a round: proposals and supports per week, voters per day by channel (from
    the register: ballots carry no time on purpose), ballots by channel, by area and voters by age
    band. Each is a table and a chart."""
    channels = [(label, (n,)) for _c, label, n in ballot_counts(pb_round)]
    series = {
        "proposals": Series("proposals", (NUMBER,), _weekly(pb_round.proposals.all(), "submitted_at")),
        "supports": Series(
            "supports", (NUMBER,), _weekly(Support.objects.filter(proposal__round=pb_round), "created_at")
        ),
        "voters": _voters_per_day_and_channel(pb_round),
        "channels": Series("channels", (NUMBER,), channels),
        "ages": _by_age_band(pb_round),
    }
    if pb_round.areas.exists():
        series["areas"] = _by_area(pb_round)
    return series


@dataclass(frozen=True)
class Turnout:
    """Voters against a number of residents: the eligible ones, or all the municipality's inhabitants."""

    label: str
    voters: int
    residents: int

    @property
    def percent(self) -> float:
        return 100 * self.voters / self.residents


def turnout(pb_round: Round, inhabitants: int | None) -> list[Turnout]:
    """Turnout of the round's eligible residents and of each area's, where staff have set them,
    and of all inhabitants where the municipality's number is known."""
    voters = Voter.objects.filter(round=pb_round).count()
    shares = []
    if pb_round.eligible_residents:
        shares.append(Turnout(str(_("Eligible residents")), voters, pb_round.eligible_residents))
    by_area = count_by(Ballot.objects.filter(round=pb_round), "area")
    for area in pb_round.areas.filter(eligible_residents__gt=0).order_by("name"):
        shares.append(Turnout(area.name, by_area.get(area.pk, 0), area.eligible_residents))
    if inhabitants:
        shares.append(Turnout(str(_("All inhabitants")), voters, inhabitants))
    return shares
