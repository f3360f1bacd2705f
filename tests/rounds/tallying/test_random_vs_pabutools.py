"""Random small elections: our engine and live pabutools must pick the same projects.

Ids such as "10" and "9" and small costs make ties common, so the tie-breaking is exercised too.
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
)
from pabutools.election import Project as PabuProject

from rounds.tallying import Ballot, BallotKind, Election, Project, tally
from tests.rounds.tallying.pabutools_oracle import VARIANTS

IDS = ["1", "2", "9", "10", "11", "a", "b"]


@st.composite
def elections(draw, kind=BallotKind.APPROVAL):
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    projects = tuple(Project(pid, draw(st.integers(1, 12))) for pid in ids)
    ballots = []
    for _ in range(draw(st.integers(1, 7))):
        chosen = tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True)))
        points = tuple(draw(st.integers(1, 4)) for _ in chosen) if kind is BallotKind.CUMULATIVE else None
        ballots.append(Ballot(chosen, points))
    return Election(projects, tuple(ballots), draw(st.integers(1, 40)), kind)


def pabutools_of(election: Election):
    by_id = {p.id: PabuProject(p.id, p.cost) for p in election.projects}
    instance = Instance(by_id.values(), budget_limit=election.budget)
    if election.kind is BallotKind.CUMULATIVE:
        profile = CumulativeProfile(
            [
                CumulativeBallot({by_id[p]: x for p, x in zip(b.projects, b.points, strict=True)})
                for b in election.ballots
            ],
            instance=instance,
        )
    else:
        profile = ApprovalProfile(
            [ApprovalBallot(by_id[p] for p in b.projects) for b in election.ballots], instance=instance
        )
    return instance, profile


def check(election: Election, variant: str) -> None:
    method, options, oracle = VARIANTS[variant]
    expected = oracle(*pabutools_of(election))
    got = list(tally(election, method, options).selected)
    if variant.startswith("greedy"):
        assert sorted(got) == sorted(expected)
    else:
        assert got == expected


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(elections(), st.sampled_from(sorted(VARIANTS)))
def test_approval_elections_agree_with_pabutools(election, variant):
    check(election, variant)


@FAST
@given(elections(BallotKind.CUMULATIVE), st.sampled_from(["greedy_votes", "greedy_points", "mes_cost_none"]))
def test_cumulative_elections_agree_with_pabutools(election, variant):
    check(election, variant)
