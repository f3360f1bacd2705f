"""Support counts per project: approvals ("votes") and points."""

from __future__ import annotations

from collections import Counter
from itertools import chain

from rounds.tallying.types import BallotKind, Election


def count_votes(election: Election) -> dict[str, int]:
    """Number of ballots listing each project (weights included); every project has an entry."""
    # Single ballots are counted by Counter in C; merged ones (weight > 1) one by one.
    counted = Counter(chain.from_iterable(b.projects for b in election.ballots if b.weight == 1))
    for ballot in election.ballots:
        if ballot.weight != 1:
            for pid in ballot.projects:
                counted[pid] += ballot.weight
    # A ballot may name a project that is not standing (e.g. one a staff override excluded): not counted.
    return {p.id: counted[p.id] for p in election.projects}


def count_points(election: Election, votes: dict[str, int] | None = None) -> dict[str, int]:
    """Points per project: cumulative points, Borda points for rankings, one per approval otherwise.

    Borda points follow Pabulib's `score` column: on a ranking of k projects the first gets k, the last 1.
    """
    if election.kind in (BallotKind.APPROVAL, BallotKind.KNAPSACK):
        return votes if votes is not None else count_votes(election)
    points = dict.fromkeys((p.id for p in election.projects), 0)
    for ballot in election.ballots:
        if election.kind is BallotKind.CUMULATIVE:
            given = ballot.points or ()
        else:
            given = range(len(ballot.projects), 0, -1)
        for pid, value in zip(ballot.projects, given, strict=True):
            if pid in points:
                points[pid] += value * ballot.weight
    return points
