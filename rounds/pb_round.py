"""A round's ballots as a Pabulib `.pb` file: anonymised, for the result certificate and exports."""

from __future__ import annotations

import contextlib
from collections import defaultdict

from django.db import DatabaseError, connection
from django.db.models import Q

from models_catalogue.base import BallotKind
from rounds.models import Ballot, BallotChoice, Proposal, Round, RoundResult
from rounds.pabulib import PbFile, PbProject, PbVote, write_pb

# Proposals that were on the ballot: the ones a file of the round's ballots lists.
EXPORTED_STATUSES = (Proposal.Status.ON_BALLOT, Proposal.Status.SELECTED, Proposal.Status.NOT_SELECTED)
PB_VOTE_TYPE = {
    BallotKind.APPROVAL: "approval",
    BallotKind.KNAPSACK: "approval",
    BallotKind.CUMULATIVE: "cumulative",
}


def ballot_choices(pb_round: Round) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every counted ballot as (proposal ids, points), in receipt order: no voter, no time."""
    grouped: dict[object, list[tuple[int, int]]] = defaultdict(list)
    rows = BallotChoice.objects.filter(ballot__round=pb_round).order_by("ballot__receipt", "proposal_id")
    with connection.cursor() as cursor:
        # Right after a bulk import the tables have no statistics yet, and the planner's nested
        # loop over 10^5 ballots x 10^6 choices ran for half an hour; reading a whole round is a hash join.
        cursor.execute("SET enable_nestloop = off")
        try:
            for ballot_id, proposal_id, points in rows.values_list("ballot_id", "proposal_id", "points"):
                grouped[ballot_id].append((proposal_id, points))
        finally:
            with contextlib.suppress(DatabaseError):  # an aborted transaction undoes the SET anyway
                cursor.execute("RESET enable_nestloop")
    empty = Ballot.objects.filter(round=pb_round).count() - len(grouped)
    ballots = [(tuple(p for p, _ in pairs), tuple(n for _, n in pairs)) for pairs in grouped.values()]
    return ballots + [((), ())] * empty


def round_to_pb(
    pb_round: Round,
    proposals: list[Proposal],
    *,
    selected: set[int] | None = None,
    ballots: list[tuple[tuple[int, ...], tuple[int, ...]]] | None = None,
) -> PbFile:
    """The round as a `.pb` file. Voter ids are 1..n in receipt order, which is random.

    `ballots` (as ballot_choices gives them) replaces the round's cast ballots, e.g. with a hand count.
    """
    rules = pb_round.rules
    tenant = getattr(connection, "tenant", None)
    meta = {
        "description": pb_round.title,
        "country": "Denmark",
        "unit": getattr(tenant, "name", ""),
        "instance": pb_round.slug,
        "num_projects": str(len(proposals)),
        "num_votes": "0",
        "budget": str(rules.pot),
        "vote_type": PB_VOTE_TYPE.get(rules.ballot, "approval"),
        "rule": "greedy" if rules.selection == "greedy" else "equalshares/add1",
        "currency": "DKK",
        "language": "da",
    }
    if rules.ballot == BallotKind.KNAPSACK:
        meta["max_sum_cost"] = str(rules.pot)
    if rules.ballot == BallotKind.APPROVAL:
        meta["min_length"] = str(rules.approval_min)
        if rules.approval_max is not None:
            meta["max_length"] = str(rules.approval_max)
    if rules.ballot == BallotKind.CUMULATIVE:
        meta["max_sum_points"] = str(rules.cumulative_points)
        meta["max_points"] = str(rules.cumulative_max_per_project)
    columns = ["project_id", "cost", "name", "category"] + (["selected"] if selected is not None else [])
    projects = {}
    for p in proposals:
        fields = {"name": p.title, "category": p.area.name if p.area_id else ""}
        if selected is not None:
            fields["selected"] = "1" if p.pk in selected else "0"
        projects[str(p.pk)] = PbProject(str(p.pk), p.current_cost, fields)
    cumulative = rules.ballot == BallotKind.CUMULATIVE
    votes = tuple(
        PbVote(str(i), tuple(str(pid) for pid in pids), tuple(points) if cumulative else None, ())
        for i, (pids, points) in enumerate(ballot_choices(pb_round) if ballots is None else ballots, start=1)
    )
    return PbFile(
        meta=meta, projects=projects, votes=votes, project_columns=tuple(columns), vote_extra_columns=()
    )


def round_pb_text(pb_round: Round) -> tuple[str, int]:
    """The round's ballots as `.pb` text, with the stored result's selection if there is one, and
    the number of ballots. The proposals are those on the ballot, in the result or on a ballot
    (a decision after the vote changes their status), by id."""
    result = RoundResult.objects.filter(round=pb_round).first()
    listed = Q(status__in=EXPORTED_STATUSES) | Q(
        pk__in=BallotChoice.objects.filter(ballot__round=pb_round).values("proposal_id")
    )
    selected = None
    if result is not None:
        listed |= Q(pk__in=result.projects.values("proposal_id"))
        if result.method != "advisory":
            selected = set(result.projects.filter(is_selected=True).values_list("proposal_id", flat=True))
    proposals = list(
        Proposal.objects.filter(listed, round=pb_round).select_related("area", "assessment").order_by("id")
    )
    pb_file = round_to_pb(pb_round, proposals, selected=selected)
    return write_pb(pb_file), len(pb_file.votes)
