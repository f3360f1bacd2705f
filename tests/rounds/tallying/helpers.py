"""Small elections written inline for the engine tests."""

from rounds.tallying import Ballot, BallotKind, Election, Project


def election(costs: dict[str, int], votes: list[str], budget: int, kind=BallotKind.APPROVAL) -> Election:
    """`votes` holds one string per ballot: comma-separated ids, or `id:points` pairs for cumulative."""
    ballots = []
    for vote in votes:
        items = [v for v in vote.split(",") if v]
        if kind is BallotKind.CUMULATIVE:
            pairs = [v.split(":") for v in items]
            ballots.append(Ballot(tuple(p for p, _ in pairs), tuple(int(x) for _, x in pairs)))
        else:
            ballots.append(Ballot(tuple(items)))
    return Election(tuple(Project(pid, cost) for pid, cost in costs.items()), tuple(ballots), budget, kind)
