"""A round's ballots as a Pabulib `.pb` file: anonymised, for the result certificate and exports."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection

from models_catalogue.base import BallotKind
from rounds.models import Ballot, BallotChoice, Proposal, Round
from rounds.pabulib import PbFile, PbProject, PbVote

PB_VOTE_TYPE = {
    BallotKind.APPROVAL: "approval",
    BallotKind.KNAPSACK: "approval",
    BallotKind.CUMULATIVE: "cumulative",
}


def ballot_choices(pb_round: Round) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Every counted ballot as (proposal ids, points), in receipt order: no voter, no time."""
    grouped: dict[object, list[tuple[int, int]]] = defaultdict(list)
    rows = BallotChoice.objects.filter(ballot__round=pb_round).order_by("ballot__receipt", "proposal_id")
    for ballot_id, proposal_id, points in rows.values_list("ballot_id", "proposal_id", "points"):
        grouped[ballot_id].append((proposal_id, points))
    empty = Ballot.objects.filter(round=pb_round).exclude(pk__in=list(grouped)).count()
    ballots = [(tuple(p for p, _ in pairs), tuple(n for _, n in pairs)) for pairs in grouped.values()]
    return ballots + [((), ())] * empty


def round_to_pb(pb_round: Round, proposals: list[Proposal], *, selected: set[int] | None = None) -> PbFile:
    """The round as a `.pb` file. Voter ids are 1..n in receipt order, which is random."""
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
        "rule": "greedy" if rules.selection == "greedy" else "equalshares",
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
        for i, (pids, points) in enumerate(ballot_choices(pb_round), start=1)
    )
    return PbFile(
        meta=meta, projects=projects, votes=votes, project_columns=tuple(columns), vote_extra_columns=()
    )
