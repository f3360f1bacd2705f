"""Advisory ranking: recommendations in order of support, with nothing funded."""

from __future__ import annotations

from rounds.tallying.counting import count_points, count_votes
from rounds.tallying.greedy import greedy_order
from rounds.tallying.options import ineligible_projects, tie_break_key
from rounds.tallying.types import Election, TallyOptions, TallyResult


def advisory_tally(election: Election, options: TallyOptions) -> TallyResult:
    """Rank the eligible projects by votes (or points), best first; the council decides what to fund."""
    votes = count_votes(election)
    points = count_points(election, votes)
    score = points if options.count == "points" else votes
    ineligible = ineligible_projects(election, options, votes, points)
    by_id = {p.id: p for p in election.projects}
    eligible = [p for p in election.projects if p.id not in ineligible]
    order = greedy_order(eligible, score, tie_break_key(options, votes, by_id))
    return TallyResult(
        method="advisory",
        selected=(),
        spent=0,
        ranking=tuple((p.id, score[p.id]) for p in order),
        ineligible=ineligible,
    )
