from fractions import Fraction

import pytest

from rounds.pabulib import election_from_pb, read_pb
from rounds.tallying import Completion, StaffOverride, TallyOptions, TieBreak, Utility, tally
from rounds.tallying.mes import add_one, equal_shares, prepare
from tests.rounds.tallying.conftest import pb_path
from tests.rounds.tallying.helpers import election


def test_equal_shares_funds_what_each_group_can_pay_for():
    # 4 voters with 10 each. A (cost 20) is backed by 3 voters, B (20) by 1, C (10) by 1.
    # MES funds A (rho 20/3 each) and then C, which its lone supporter can pay; B stays out.
    small = election({"A": 20, "B": 20, "C": 10}, ["A", "A", "A,B", "C"], budget=40)
    result = tally(small, "mes")
    assert result.selected == ("A", "C")
    assert result.spent == 30
    assert result.endowment == (10, 1)


def test_poor_supporters_pay_all_they_have():
    # After A the voter of A,B has 10 - 20/3 left; B costs 12 and its other supporter has 10, so
    # the poor one pays 10/3 and the rich one pays the rest (26/3 <= 10).
    small = election({"A": 20, "B": 12}, ["A", "A", "A,B", "B"], budget=40)
    assert tally(small, "mes").selected == ("A", "B")


def test_a_supporter_holding_exactly_the_cost_pays_it():
    # 26/3 each; "0" costs 2 and its three supporters pay 2/3 each, which leaves the voter of 0,1
    # exactly 8, the cost of "1". As floats 26/3 - 2/3 rounds below 8, so only exact arithmetic
    # funds "1" (the engine's floats must leave such a case to its exact path).
    exact = election({"0": 2, "1": 8}, ["0,1", "0", "0"], budget=26)
    result = tally(exact, "mes")
    assert result.selected == ("0", "1")
    assert result.spent == 10


def test_cardinality_utility_prefers_cheap_projects():
    # Cost utility ranks by cost / payment, cardinality by payment alone.
    small = election({"big": 30, "cheap": 10}, ["big,cheap"] * 3, budget=30)
    assert tally(small, "mes", TallyOptions(utility=Utility.COST)).selected == ("big",)
    assert tally(small, "mes", TallyOptions(utility=Utility.CARDINALITY)).selected == ("cheap",)


def test_ties_go_to_the_smallest_id_as_a_string_unless_keys_say_otherwise():
    tied = election({"2": 10, "11": 10, "3": 5}, ["2,11", "2,11", "3"], budget=20)
    assert tally(tied, "mes").selected[0] == "11"
    keyed = TallyOptions(tie_breaking=(TieBreak.MAX_VOTES,))
    assert tally(tied, "mes", keyed).selected[0] == "11"


def test_greedy_completion_spends_the_rest_by_votes():
    small = election({"A": 20, "B": 20, "C": 10}, ["A", "A", "A,B", "C"], budget=40)
    assert tally(small, "mes", TallyOptions(completion=Completion.GREEDY)).selected == ("A", "C")
    wider = election({"A": 20, "B": 10, "C": 10}, ["A", "A", "A,B", "C"], budget=40)
    assert tally(wider, "mes", TallyOptions(completion=Completion.GREEDY)).selected[-1] == "B"


def test_exclusive_groups_and_overrides_apply_to_mes():
    small = election({"A": 20, "B": 20, "C": 10}, ["A", "A", "A,B", "C"], budget=40)
    options = TallyOptions(exclusive_groups=(frozenset({"A", "C"}),))
    assert tally(small, "mes", options).selected == ("A",)
    result = tally(small, "mes", TallyOptions(override=StaffOverride("B", fund=True, reason="council vote")))
    assert result.selected == ("A", "C")
    assert result.final_selected[0] == "B"


def test_area_budgets_are_refused_by_mes():
    with pytest.raises(ValueError, match="greedy only"):
        tally(election({"A": 1}, ["A"], 1), "mes", TallyOptions(area_budgets={"x": 1}))


@pytest.mark.parametrize("stem", ["Netherlands_Assen_2024", "Poland_Swiecie_2023"])
def test_add_one_loop_stops_at_the_last_outcome_within_budget(stem):
    e = election_from_pb(read_pb(pb_path(stem)))
    data = prepare(e, TallyOptions())
    by_id = {p.id: p for p in e.projects}
    outcome, endowment = add_one(
        data,
        e.budget,
        by_id,
        start=Fraction(e.budget // data.voters),
        step=1,
        exhaustive_stop=False,
        pool=list(e.projects),
    )
    assert sum(by_id[p].cost for p in outcome) <= e.budget
    following = equal_shares(data, endowment + 1)
    assert sum(by_id[p].cost for p in following) > e.budget
