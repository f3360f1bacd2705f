"""The compiled float pass (kernels.equal_shares) against the exact one, and the bounds proof
(kernels.reach) against the exact passes it vouches for.

A pass that needs only its outcome runs in floats first; whatever it finishes must be what the exact
pass funds, in the same order, and whatever it cannot settle it must hand back (UNSURE) instead of
guessing. A bounds proof says for how many endowment steps a pass funds the same projects in the same
order; the add-one loop runs none of them, so every one must.
"""

import math
from fractions import Fraction

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rounds.tallying import TallyOptions, TieBreak, kernels
from rounds.tallying.mes import _Limit, equal_shares, prepare
from tests.rounds.tallying.conftest import parsed, pb_path
from tests.rounds.tallying.helpers import election
from tests.rounds.tallying.test_add_one_skip import loops


def float_pass(data, endowment: Fraction) -> tuple[list[str] | None, int]:
    winners, found = kernels.equal_shares(*data.flat, float(endowment))
    ids = data.outcome(winners.tolist())
    return (ids if found == kernels.DONE else None), found


def exact_pass(data, endowment: Fraction) -> list[str]:
    # A pass that also works out its _Limit never takes the float path.
    return equal_shares(data, endowment, _Limit(1))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops(), st.integers(0, 30), st.sampled_from([1, 2, 3, 7]))
def test_what_the_float_pass_finishes_the_exact_pass_funds_in_the_same_order(loop, offset, denominator):
    election_, options, *_ = loop
    data = prepare(election_, options)
    endowment = Fraction(election_.budget, data.voters) + Fraction(offset, denominator)
    outcome, _ = float_pass(data, endowment)
    if outcome is not None:
        assert outcome == exact_pass(data, endowment)
    # The entry point a plain pass goes through gives the exact outcome either way.
    assert equal_shares(data, endowment) == exact_pass(data, endowment)


def test_a_tie_where_nobody_is_short_is_settled_in_floats_by_the_tie_break():
    tied = election({"2": 10, "11": 10, "3": 5}, ["2,11", "2,11", "3"], budget=20)
    data = prepare(tied, TallyOptions())
    outcome, found = float_pass(data, Fraction(20, 3))
    assert found == kernels.DONE
    assert outcome[0] == "11"  # "11" < "2" as strings
    # A tie-break key changes the rank the kernel reads.
    cheap_first = prepare(tied, TallyOptions(tie_breaking=(TieBreak.MIN_COST,)))
    assert float_pass(cheap_first, Fraction(20, 3))[0][0] == "11"
    by_id = election({"b": 10, "a": 10}, ["a,b", "a,b"], budget=14)
    assert float_pass(prepare(by_id, TallyOptions()), Fraction(7)) == (["a"], kernels.DONE)


def test_a_supporter_holding_exactly_the_cost_is_handed_to_the_exact_pass():
    # After "0" the voter of 0,1 holds exactly 8 = the cost of "1"; floats round 26/3 - 2/3 below 8.
    exact = election({"0": 2, "1": 8}, ["0,1", "0", "0"], budget=26)
    data = prepare(exact, TallyOptions())
    assert float_pass(data, Fraction(26, 3))[1] == kernels.UNSURE
    assert equal_shares(data, Fraction(26, 3)) == ["0", "1"]


def test_the_float_pass_finishes_a_large_election_on_its_own():
    # Mokotów 2021: 12,933 voters in 10,258 ballot groups, 98 candidates, about 45 rounds a pass.
    _, mokotow = parsed(pb_path("Poland_Warszawa_2021_Mokotow"))
    data = prepare(mokotow, TallyOptions())
    start = Fraction(mokotow.budget // data.voters)
    for extra in (0, 37, 150):
        outcome, found = float_pass(data, start + extra)
        assert found == kernels.DONE
        assert outcome == exact_pass(data, start + extra)


def test_money_within_the_error_of_the_payment_is_left_to_the_exact_code():
    # Three supporters hold 6, 6 and 10 (as floats, each off by up to tol) and the project costs 18:
    # the payment is 6, so whether the first two pay all they have or just the payment is too close
    # to tell in floats. (Here either reading charges them the same; a money a rounding away from
    # the payment would not.)
    supporters = np.arange(3)
    heads = np.ones(3)
    money = np.array([6.0, 6.0, 10.0])
    scratch, capped = np.empty((2, 3)), np.empty(3, dtype=bool)
    found, *_ = kernels._evaluate(
        supporters, heads, money, 18.0, 1e-12, scratch, capped, np.empty(3, dtype=np.int64)
    )
    assert found == kernels.UNSETTLED
    # Clear cases are settled: with 2, 6 and 10 and a cost of 16, the first two pay all they have and
    # the third pays 8.
    money = np.array([2.0, 6.0, 10.0])
    found, payers, pay, _ = kernels._evaluate(
        supporters, heads, money, 16.0, 1e-12, scratch, capped, np.empty(3, dtype=np.int64)
    )
    assert (found, payers, pay) == (kernels.SETTLED, 1.0, 8.0)


def proved_steps(data, outcome: list[str], endowment: Fraction, step: int, horizon: int) -> int:
    """How many of the `horizon` steps after `endowment` kernels.reach vouches for."""
    order = np.array([data.position[pid] for pid in outcome if pid in data.position], dtype=np.int64)
    s, *_ = kernels.reach(*data.flat, order, float(endowment), float(endowment + horizon * step), 0.0)
    return min(math.floor(s * horizon), horizon) if s > 0 else 0


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(loops(), st.integers(0, 40), st.integers(1, 40))
def test_every_step_a_bounds_proof_covers_funds_the_same_projects_in_the_same_order(loop, offset, horizon):
    election_, options, _, step, _ = loop
    data = prepare(election_, options)
    endowment = Fraction(election_.budget, data.voters) + offset
    outcome = exact_pass(data, endowment)
    for k in range(1, proved_steps(data, outcome, endowment, step, horizon) + 1):
        assert exact_pass(data, endowment + k * step) == outcome


def test_a_bounds_proof_refuses_an_order_the_pass_does_not_fund():
    # At 20/3 each MES funds "11" (tied with "2" on rho, first by the tie-break), then "3".
    tied = election({"2": 10, "11": 10, "3": 5}, ["2,11", "2,11", "3"], budget=20)
    data = prepare(tied, TallyOptions())
    endowment = Fraction(20, 3)
    outcome = exact_pass(data, endowment)
    assert proved_steps(data, outcome, endowment, 1, 1) == 0  # "2" ties with "11" all along
    assert proved_steps(data, ["2", "3"], endowment, 1, 1) == 0
    assert proved_steps(data, outcome[:1], endowment, 1, 1) == 0  # "3" is still affordable


def test_a_bounds_proof_spans_many_steps_of_a_large_election():
    # Budapest 2024: 28,943 voters in 20,132 ballot groups, 175 candidates, 23,176 whole-forint
    # steps in its add-one loop. From the start the order stays the same for about 190 steps: one
    # proof over 64 vouches for all of them, and each of them funds that order.
    _, budapest = parsed(pb_path("Hungary_Budapest_2024"))
    data = prepare(budapest, TallyOptions())
    start = Fraction(budapest.budget // data.voters)
    outcome = exact_pass(data, start)
    assert proved_steps(data, outcome, start, 1, 64) == 64
    for k in range(1, 65):
        assert float_pass(data, start + k) == (outcome, kernels.DONE)
