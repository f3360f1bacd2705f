import pytest

from rounds.tallying import BallotKind, Project, StaffOverride, TallyOptions, TieBreak, tally
from tests.rounds.tallying.helpers import election

# The example of shared/pb-format.md section 7.
EXAMPLE = election(
    {"1": 600, "2": 800, "4": 1400, "5": 1000, "7": 1200}, ["1,2,4", "1,2", "4,5,7"], budget=2500
)


def test_greedy_skips_what_does_not_fit_and_goes_on():
    result = tally(EXAMPLE, "greedy")
    assert result.selected == ("1", "2", "5")
    assert result.spent == 2400
    assert result.ranking[:3] == (("1", 2), ("2", 2), ("4", 2))


def test_ties_go_to_the_smallest_id_as_a_string():
    tied = election({"10": 5, "9": 5, "2": 5}, ["10,9,2"], budget=10)
    assert tally(tied, "greedy").selected == ("10", "2")


def test_configured_tie_break_keys_come_before_the_id():
    tied = election({"a": 6, "b": 4, "c": 5}, ["a,b,c"], budget=10)
    assert tally(tied, "greedy", TallyOptions(tie_breaking=(TieBreak.MIN_COST,))).selected == ("b", "c")
    assert tally(tied, "greedy", TallyOptions(tie_breaking=(TieBreak.MAX_COST,))).selected == ("a", "b")


def test_no_skip_stops_at_the_first_project_that_does_not_fit():
    assert tally(EXAMPLE, "greedy", TallyOptions(no_skip=True)).selected == ("1", "2")


def test_points_rank_cumulative_ballots():
    cumulative = election(
        {"a": 5, "b": 5, "c": 5}, ["a:1,b:4", "a:1,c:2", "a:1"], budget=10, kind=BallotKind.CUMULATIVE
    )
    assert tally(cumulative, "greedy").selected == ("a", "b")
    assert tally(cumulative, "greedy", TallyOptions(count="points")).selected == ("b", "a")


def test_rankings_count_borda_points():
    ranked = election({"a": 5, "b": 5, "c": 5}, ["c,a", "b,a", "a"], budget=5, kind=BallotKind.ORDINAL)
    # a: 1 + 1 + 1 = 3 points, b: 2, c: 2.
    assert tally(ranked, "greedy", TallyOptions(count="points")).ranking == (("a", 3), ("b", 2), ("c", 2))


def test_unsupported_projects_are_funded_last_unless_min_votes_forbids():
    plain = election({"a": 5, "b": 3}, ["a"], budget=10)
    assert tally(plain, "greedy").selected == ("a", "b")
    result = tally(plain, "greedy", TallyOptions(min_votes=1))
    assert result.selected == ("a",)
    assert result.ineligible == {"b": "below_min_votes"}


def test_project_cost_limits_make_projects_ineligible():
    result = tally(EXAMPLE, "greedy", TallyOptions(max_project_cost=1000, min_project_cost=700))
    assert result.selected == ("2", "5")
    assert result.ineligible == {
        "1": "below_min_project_cost",
        "4": "above_max_project_cost",
        "7": "above_max_project_cost",
    }


def test_area_sub_pots_cap_what_an_area_gets():
    areas = {"n1": "north", "n2": "north", "s1": "south", "s2": "south"}
    base = election({pid: 4 for pid in areas}, ["n1,n2,s1", "n1,n2", "n1"], budget=12)
    base = type(base)(tuple(Project(p.id, p.cost, areas[p.id]) for p in base.projects), base.ballots, 12)
    capped = TallyOptions(area_budgets={"north": 4, "south": 4})
    assert tally(base, "greedy", capped).selected == ("n1", "s1")
    leftover = TallyOptions(area_budgets={"north": 4, "south": 4}, area_leftover_to_pot=True)
    assert tally(base, "greedy", leftover).selected == ("n1", "s1", "n2")


def test_at_most_one_project_of_an_exclusive_group_is_funded():
    options = TallyOptions(exclusive_groups=(frozenset({"1", "2"}),))
    assert tally(EXAMPLE, "greedy", options).selected == ("1", "4")


def test_staff_override_funds_a_project_first_and_keeps_the_computed_outcome():
    override = StaffOverride("7", fund=True, reason="Safety issue at the school")
    result = tally(EXAMPLE, "greedy", TallyOptions(override=override))
    assert result.selected == ("1", "2", "5")
    assert result.override == override
    # 7 takes 1200 of 2500; of the rest only 1 (600) still fits.
    assert result.final_selected == ("7", "1")
    assert result.final_spent == 1800


def test_staff_override_can_exclude_a_project():
    override = StaffOverride("2", fund=False, reason="Land not available")
    result = tally(EXAMPLE, "greedy", TallyOptions(override=override))
    assert result.selected == ("1", "2", "5")
    assert result.final_selected == ("1", "4")
    assert result.final_spent == 2000


def test_override_of_an_unknown_or_unaffordable_project_is_refused():
    with pytest.raises(ValueError, match="unknown project"):
        tally(EXAMPLE, "greedy", TallyOptions(override=StaffOverride("99", fund=True, reason="x")))
    dear = election({"a": 30}, ["a"], budget=10)
    with pytest.raises(ValueError, match="more than the budget"):
        tally(dear, "greedy", TallyOptions(override=StaffOverride("a", fund=True, reason="x")))


def test_advisory_ranks_and_funds_nothing():
    result = tally(EXAMPLE, "advisory", TallyOptions(min_votes=2))
    assert result.selected == ()
    assert result.spent == 0
    assert result.ranking == (("1", 2), ("2", 2), ("4", 2))
    assert set(result.ineligible) == {"5", "7"}
