"""pabutools' outcomes for the rule variants our engine must match (the tests' live oracle).

Each variant name maps to how pabutools computes it. Slow on large files: the tests run it live only
on small instances, and regenerate_fixtures.py stores its outcomes for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from pabutools.election import (
    AbstractCardinalProfile,
    AbstractOrdinalProfile,
    Cardinality_Sat,
    Cost_Sat,
    Instance,
    parse_pabulib,
)
from pabutools.election.satisfaction.additivesatisfaction import AdditiveSatisfaction
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

from rounds.tallying import Completion, Election, TallyOptions, TallyResult, Utility


def _points_times_cost(instance, profile, ballot, project, precomputed_values):
    # Greedy ranks by density = total satisfaction / cost; points * cost makes the density the points.
    if isinstance(profile, AbstractOrdinalProfile):
        ranking = list(ballot)
        return (len(ranking) - ranking.index(project)) * project.cost if project in ranking else 0
    if isinstance(profile, AbstractCardinalProfile):
        return ballot.get(project, 0) * project.cost
    return project.cost if project in ballot else 0


class PointsSat(AdditiveSatisfaction):
    def __init__(self, instance, profile, ballot):
        super().__init__(instance, profile, ballot, _points_times_cost)


def _mes(instance: Instance, profile, utility: Utility, completion: Completion) -> list[str]:
    sat = Cost_Sat if utility is Utility.COST else Cardinality_Sat
    mes_params: dict = {"sat_class": sat}
    if completion in (Completion.ADD1, Completion.ADD1_GREEDY):
        mes_params["voter_budget_increment"] = 1
    if completion in (Completion.GREEDY, Completion.ADD1_GREEDY):
        outcome = completion_by_rule_combination(
            instance,
            profile,
            [method_of_equal_shares, greedy_utilitarian_welfare],
            [mes_params, {"sat_class": sat}],
        )
    else:
        outcome = method_of_equal_shares(instance, profile, **mes_params)
    return [p.name for p in outcome]


# Variant name -> (our method, our options, pabutools computation). The add1int variants have no
# pabutools counterpart: they are checked against the official outcomes instead.
VARIANTS: dict[str, tuple[str, TallyOptions, Callable]] = {
    "greedy_votes": (
        "greedy",
        TallyOptions(count="votes"),
        lambda i, p: [x.name for x in greedy_utilitarian_welfare(i, p, sat_class=Cost_Sat)],
    ),
    "greedy_points": (
        "greedy",
        TallyOptions(count="points"),
        lambda i, p: [x.name for x in greedy_utilitarian_welfare(i, p, sat_class=PointsSat)],
    ),
}
for _utility in Utility:
    for _completion in (Completion.NONE, Completion.GREEDY, Completion.ADD1, Completion.ADD1_GREEDY):
        VARIANTS[f"mes_{_utility.value}_{_completion.value}"] = (
            "mes",
            TallyOptions(utility=_utility, completion=_completion),
            lambda i, p, u=_utility, c=_completion: _mes(i, p, u, c),
        )


def is_add_one(variant: str) -> bool:
    """Whether the variant completes MES by pabutools' add-one loop (`voter_budget_increment=1`)."""
    return VARIANTS[variant][1].completion in (Completion.ADD1, Completion.ADD1_GREEDY)


def add_one_steps(election: Election, result: TallyResult) -> Fraction:
    """How many steps of one unit per voter past budget / voters our add-one loop stopped at."""
    return Fraction(*result.endowment) - Fraction(election.budget, sum(b.weight for b in election.ballots))


def pabutools_end_game(path: str, variant: str, from_step: int) -> list[str]:
    """pabutools' own iterated MES for an add-one `variant` (one unit more per voter and step, as
    `voter_budget_increment=1`), started `from_step` steps past budget / voters instead of at it:
    the outcome where it stops, greedy-completed like completion_by_rule_combination where the
    variant says so. For files where the whole loop takes pabutools hours; it checks the last steps.
    """
    from pabutools.election import AbstractApprovalProfile
    from pabutools.fractions import frac
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking

    if not is_add_one(variant):
        raise ValueError(f"{variant} is not an add-one variant")
    _, options, _ = VARIANTS[variant]
    instance, profile = parse_pabulib(path)
    profile = profile.as_multiprofile()
    sat = Cost_Sat if options.utility is Utility.COST else Cardinality_Sat
    start = frac(instance.budget_limit, profile.num_ballots()) + from_step
    outcome = method_of_equal_shares_scheme(
        instance,
        profile,
        profile.as_sat_profile(sat_class=sat),
        start,
        BudgetAllocation(),
        lexico_tie_breaking,
        voter_budget_increment=1,
        binary_sat=isinstance(profile, AbstractApprovalProfile),
    )
    if options.completion is Completion.ADD1_GREEDY and not instance.is_exhaustive(outcome):
        outcome = greedy_utilitarian_welfare(
            instance, profile, sat_class=sat, initial_budget_allocation=outcome
        )
    return [p.name for p in outcome]


def pabutools_outcome(path: str, variant: str) -> list[str]:
    """The project ids pabutools selects for `variant` on the file, in its order."""
    instance, profile = parse_pabulib(path)
    return VARIANTS[variant][2](instance, profile.as_multiprofile())
