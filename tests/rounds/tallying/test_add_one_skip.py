"""The add-one loop that skips provably unchanged endowment steps against the one that runs every step.

add_one works out, from each pass, for how many further steps its outcome stays the same, and with a
forced pass further on for how many the funded projects stay the same, and runs none of those steps;
add_one_stepwise runs one full pass per step, as pabutools and equalshares.net do. Both must return
the same outcome and the same endowment.
"""

import signal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rounds.tallying import Ballot, Election, Project, TallyOptions, TieBreak, Utility
from rounds.tallying.mes import (
    _CHAIN,
    _bounded_steps,
    _Limit,
    _Record,
    _same_set,
    _Tries,
    add_one,
    add_one_stepwise,
    equal_shares,
    prepare,
)
from tests.rounds.tallying.conftest import parsed, pb_path

IDS = ["1", "2", "9", "10", "11", "a", "b"]


@st.composite
def loops(draw):
    """A small election, MES options and add-one loop settings."""
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=6, unique=True))
    # A coarse unit makes ties and equal payments common, a fine one long runs of unchanged steps.
    unit = draw(st.sampled_from([1, 10, 100]))
    projects = tuple(Project(pid, draw(st.integers(1, 12)) * unit) for pid in ids)
    ballots = tuple(
        Ballot(
            tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=len(ids), unique=True))),
            weight=draw(st.integers(1, 3)),
        )
        for _ in range(draw(st.integers(1, 7)))
    )
    election = Election(projects, ballots, draw(st.integers(1, 40)) * unit)
    exhaustive_stop = draw(st.booleans())
    groups = ()
    if exhaustive_stop and len(ids) > 1:
        # Without the exhaustive stop, exclusive groups can keep the step-by-step loop going forever.
        groups = tuple(
            frozenset(g) for g in draw(st.lists(st.sets(st.sampled_from(ids), min_size=2), max_size=1))
        )
    options = TallyOptions(
        utility=draw(st.sampled_from(list(Utility))),
        tie_breaking=draw(st.sampled_from([(), (TieBreak.MAX_VOTES,), (TieBreak.MIN_COST,)])),
        exclusive_groups=groups,
    )
    whole = draw(st.booleans())
    step = draw(st.sampled_from([1, 1, 3]))
    return election, options, whole, step, exhaustive_stop


def both(election: Election, options: TallyOptions, whole: bool, step: int, exhaustive_stop: bool):
    data = prepare(election, options)
    by_id = {p.id: p for p in election.projects}
    start = Fraction(election.budget, data.voters)
    kwargs = {
        "start": Fraction(int(start)) if whole else start,
        "step": step,
        "exhaustive_stop": exhaustive_stop,
        "pool": list(data.candidates),
    }
    return (
        add_one(data, election.budget, by_id, **kwargs),
        add_one_stepwise(data, election.budget, by_id, **kwargs),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops())
def test_skipping_loop_equals_the_step_by_step_loop(loop):
    fast, plain = both(*loop)
    assert fast == plain


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops(), st.integers(0, 40))
def test_every_step_a_pass_proves_unchanged_is_unchanged(loop, offset):
    # The proof itself, step by step: each endowment the pass vouches for gives the same outcome.
    election, options, _, step, _ = loop
    data = prepare(election, options)
    endowment = Fraction(election.budget, data.voters) + offset
    limit = _Limit(step)
    outcome = equal_shares(data, endowment, limit)
    for k in range(1, min(limit.steps if limit.steps is not None else 25, 25) + 1):
        assert equal_shares(data, endowment + k * step) == outcome


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops(), st.integers(0, 40), st.integers(1, 12))
def test_every_step_a_set_proof_covers_funds_the_same_projects(loop, offset, reach):
    # The other proof: a forced pass `reach` steps on vouches that every step up to it funds the
    # projects of this pass, perhaps in another order.
    election, options, _, step, _ = loop
    data = prepare(election, options)
    endowment = Fraction(election.budget, data.voters) + offset
    record = _Record()
    outcome = equal_shares(data, endowment, record=record)
    if _same_set(data, record, endowment + reach * step):
        for k in range(1, reach + 1):
            assert sorted(equal_shares(data, endowment + k * step)) == sorted(outcome)


SMALL_FILES = [
    "US_Stanford_Dataset_2022_Jersey_City_Ward_C_vote_knapsacks",
    "Netherlands_Assen_2024",
    "Poland_Gdansk_2020_Olszynka",
    "Switzerland_Zurich_S5R",
    "Switzerland_Zurich_D10",
]


@pytest.mark.parametrize("stem", SMALL_FILES)
@pytest.mark.parametrize("utility", list(Utility))
@pytest.mark.parametrize(("whole", "exhaustive_stop"), [(False, True), (True, True), (True, False)])
def test_skipping_loop_equals_the_step_by_step_loop_on_small_files(stem, utility, whole, exhaustive_stop):
    election = parsed(pb_path(stem))[1]
    fast, plain = both(election, TallyOptions(utility=utility), whole, 1, exhaustive_stop)
    assert fast == plain


def test_a_large_per_voter_budget_skips_most_steps():
    # Budapest VIII: 918 voters share 150 million forint, one forint per step. The outcome stays
    # the same for thousands of steps; the loop must not run a pass for each.
    election = parsed(pb_path("Hungary_Budapest_2023_VIII_Jozsefvaros"))[1]
    data = prepare(election, TallyOptions())
    endowment = Fraction(election.budget // data.voters)
    limit = _Limit(1)
    outcome = equal_shares(data, endowment, limit)
    assert limit.steps is not None and limit.steps > 10
    assert equal_shares(data, endowment + limit.steps) == outcome


def test_the_set_proof_reaches_past_order_changes():
    # Toulouse 2022, 4,532 voters with about 1,800 euros each: from 1,798 euros the order of the
    # winners changes at nearly every step, the funded projects do not. The pass alone proves no
    # further step; the forced pass proves ten, and every one of them funds the same projects.
    election = parsed(pb_path("France_Toulouse_2022"))[1]
    data = prepare(election, TallyOptions())
    endowment = Fraction(1798)
    limit, record = _Limit(1), _Record()
    outcome = equal_shares(data, endowment, limit, record)
    assert limit.steps == 0
    assert _same_set(data, record, endowment + 10)
    following = [equal_shares(data, endowment + k) for k in range(1, 11)]
    assert following[0] != outcome
    assert all(sorted(later) == sorted(outcome) for later in following)


def test_the_set_proof_refuses_a_block_whose_order_changes_what_voters_pay():
    # At 559/14 per voter MES funds 1, then 2, then 3. Two steps on it funds 3 before 2, and the
    # voters who back 1, 2 and 3 cannot pay for all of them: what 3 takes from them leaves too
    # little for 2, which drops out. The recorded pass had those voters pay in full for 2 and run
    # short on 3, so the block {2, 3} does not commute and the proof must not vouch for that step.
    election = Election(
        (Project("0", 90), Project("1", 260), Project("2", 20), Project("3", 190)),
        (
            Ballot(("0",)),
            Ballot(("1", "2", "3"), weight=2),
            Ballot(("0", "1", "2", "3"), weight=3),
            Ballot(("3",), weight=2),
            Ballot(("1", "2", "3"), weight=3),
            Ballot(("1",), weight=3),
        ),
        195,
    )
    data = prepare(election, TallyOptions())
    endowment = Fraction(559, 14)
    record = _Record()
    outcome = equal_shares(data, endowment, record=record)
    assert sorted(outcome) == ["1", "2", "3"]
    assert sorted(equal_shares(data, endowment + 2)) == ["1", "3"]
    assert _same_set(data, record, endowment + 1)
    assert not _same_set(data, record, endowment + 2)


def test_the_set_proof_does_not_take_a_member_for_funded_before_it_can_be():
    # At 631/16 per voter MES funds 0, 2 and 3; one step on, 1 instead of 3. Another project may be
    # checked against a block's member only after the members funded before that member at every
    # endowment of the interval; a proof that counted members whose rhos can still cross among
    # those vouched for four steps across this change (a random search found it).
    election = Election(
        (Project("0", 190), Project("1", 160), Project("2", 80), Project("3", 240)),
        (
            Ballot(("3",), weight=2),
            Ballot(("0", "1", "2"), weight=3),
            Ballot(("1", "3"), weight=2),
            Ballot(("0", "1", "3"), weight=2),
            Ballot(("2",), weight=3),
            Ballot(("0", "1", "2"), weight=1),
            Ballot(("0", "3"), weight=3),
        ),
        247,
    )
    data = prepare(election, TallyOptions())
    endowment = Fraction(631, 16)
    record = _Record()
    assert sorted(equal_shares(data, endowment, record=record)) == ["0", "2", "3"]
    assert sorted(equal_shares(data, endowment + 1)) == ["0", "1", "2"]
    assert not any(_same_set(data, record, endowment + k) for k in (1, 2, 4))


def test_the_loop_ends_where_no_larger_endowment_changes_the_outcome():
    # "a" and "b" rule each other out; "c" needs 60 from its three voters, 20 each. Without the
    # exhaustive stop the step-by-step loop never ends: from 20 a voter on, every endowment funds
    # c and a (70 of 100). The skipping loop must see that and stop, even after bounds proofs skipped
    # the steps before it (they prove intervals, never "for ever"). No two rhos tie, so bounds
    # proofs do prove steps here.
    election = Election(
        (Project("a", 10), Project("b", 10), Project("c", 60)),
        (Ballot(("a",), weight=2), Ballot(("b",)), Ballot(("c",), weight=3)),
        100,
    )
    options = TallyOptions(exclusive_groups=(frozenset({"a", "b"}),))
    data = prepare(election, options)
    by_id = {p.id: p for p in election.projects}

    def stop(signum, frame):
        raise TimeoutError("the add-one loop did not end")

    signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    try:
        outcome, endowment = add_one(
            data, 100, by_id, start=Fraction(16), step=1, exhaustive_stop=False, pool=list(data.candidates)
        )
    finally:
        signal.alarm(0)
    assert sorted(outcome) == ["a", "c"]
    assert endowment >= 20
    assert equal_shares(data, endowment) == outcome
    # The bounds proofs alone would hold for ever here: one call of them stops after _CHAIN steps.
    assert _bounded_steps(data, outcome, endowment, 1, _Tries())[0] >= _CHAIN


def test_the_bounds_proofs_step_over_two_winners_changing_places():
    # Budapest 2024 from its whole-forint start: 193 steps on, the 17th and 18th winners change
    # places, and 308 steps on the 8th and 9th (the funded projects stay the same). The proofs go
    # past both without a pass; where they stop, a pass funds the order they arrived at.
    _, budapest = parsed(pb_path("Hungary_Budapest_2024"))
    data = prepare(budapest, TallyOptions())
    start = Fraction(budapest.budget // data.voters) + 150
    outcome = equal_shares(data, start)
    assert equal_shares(data, start + 42) == outcome
    assert equal_shares(data, start + 43)[16:18] == outcome[16:18][::-1]
    steps, later = _bounded_steps(data, outcome, start, 1, _Tries())
    assert steps > 158
    assert later != outcome and sorted(later) == sorted(outcome)
    assert equal_shares(data, start + steps) == later
