"""Is this ballot valid for the round's ballot method? Pure: plain data in, a reason out."""

from __future__ import annotations

from models_catalogue.base import BallotKind, Rules
from rounds.formatting import danish_number


def ballot_problem(
    rules: Rules, choices: dict[int, int], costs: dict[int, int], limit: int
) -> tuple[str, dict] | None:
    """Why `choices` (proposal id -> points, 1 for approval and knapsack) is not a valid ballot.

    `costs` holds the proposals on this ballot; `limit` is the pot (or the area's sub-pot) for
    knapsack ballots. Returns (reason code, parameters) or None.
    """
    if unknown := set(choices) - set(costs):
        return "not_on_ballot", {"count": len(unknown)}
    if any(points < 0 for points in choices.values()):
        return "negative_points", {}
    chosen = {pid: points for pid, points in choices.items() if points > 0}
    if rules.ballot == BallotKind.APPROVAL:
        if any(points != 1 for points in chosen.values()):
            return "one_vote_per_project", {}
        if len(chosen) < rules.approval_min:
            return "too_few", {"minimum": rules.approval_min}
        if rules.approval_max is not None and len(chosen) > rules.approval_max:
            return "too_many", {"maximum": rules.approval_max}
    elif rules.ballot == BallotKind.KNAPSACK:
        if any(points != 1 for points in chosen.values()):
            return "one_vote_per_project", {}
        if not chosen:
            return "too_few", {"minimum": 1}
        total = sum(costs[pid] for pid in chosen)
        if total > limit:
            return "over_budget", {"total": danish_number(total), "limit": danish_number(limit)}
    elif rules.ballot == BallotKind.CUMULATIVE:
        if not chosen:
            return "too_few", {"minimum": 1}
        if rules.cumulative_max_per_project and max(chosen.values()) > rules.cumulative_max_per_project:
            return "too_many_points_on_one", {"maximum": rules.cumulative_max_per_project}
        if sum(chosen.values()) > rules.cumulative_points:
            return "too_many_points", {"points": rules.cumulative_points}
    else:
        return "no_vote", {}
    return None
