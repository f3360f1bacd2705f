"""Options shared by every method: eligibility, exclusive groups, tie-breaking, staff override."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from rounds.tallying.types import Election, Project, TallyOptions, TallyResult, TieBreak

# Reason codes for projects the options rule out (shown to staff next to the result).
BELOW_MIN_VOTES = "below_min_votes"
BELOW_MIN_POINTS = "below_min_points"
BELOW_MIN_COST = "below_min_project_cost"
ABOVE_MAX_COST = "above_max_project_cost"


def ineligible_projects(
    election: Election, options: TallyOptions, votes: dict[str, int], points: dict[str, int]
) -> dict[str, str]:
    """Projects that may not win under the options, each with its reason code."""
    reasons: dict[str, str] = {}
    for p in election.projects:
        if votes[p.id] < options.min_votes:
            reasons[p.id] = BELOW_MIN_VOTES
        elif points[p.id] < options.min_points:
            reasons[p.id] = BELOW_MIN_POINTS
        elif options.min_project_cost is not None and p.cost < options.min_project_cost:
            reasons[p.id] = BELOW_MIN_COST
        elif options.max_project_cost is not None and p.cost > options.max_project_cost:
            reasons[p.id] = ABOVE_MAX_COST
    return reasons


def exclusive_rivals(options: TallyOptions) -> dict[str, frozenset[str]]:
    """For each project in an exclusive group, the projects that funding it rules out."""
    rivals: dict[str, frozenset[str]] = {}
    for group in options.exclusive_groups:
        for pid in group:
            rivals[pid] = rivals.get(pid, frozenset()) | (group - {pid})
    return rivals


def tie_break_key(
    options: TallyOptions, votes: dict[str, int], projects: dict[str, Project]
) -> Callable[[str], tuple]:
    """Sort key among tied projects: the configured keys in order, then the id as a string.

    The id comes last so every tie is decided, the way pabutools' default lexicographic rule does.
    """
    getters = {
        TieBreak.MAX_VOTES: lambda pid: -votes[pid],
        TieBreak.MIN_COST: lambda pid: projects[pid].cost,
        TieBreak.MAX_COST: lambda pid: -projects[pid].cost,
    }
    chosen = [getters[TieBreak(k)] for k in options.tie_breaking]
    return lambda pid: (*(g(pid) for g in chosen), pid)


def with_override(
    rule: Callable[[Election, TallyOptions], TallyResult],
    election: Election,
    options: TallyOptions,
) -> TallyResult:
    """Run `rule`, then apply the staff override (if any) and return both outcomes in one result.

    Funding a project takes its cost off the pot (and its area's sub-pot) before the rule runs again on
    the other projects; excluding one reruns the rule without it. Raises ValueError for an unknown
    project or one that costs more than the budget.
    """
    computed = rule(election, dataclasses.replace(options, override=None))
    override = options.override
    if override is None:
        return dataclasses.replace(computed, final_selected=computed.selected, final_spent=computed.spent)
    by_id = {p.id: p for p in election.projects}
    if override.project_id not in by_id:
        raise ValueError(f"override names unknown project {override.project_id!r}")
    forced = by_id[override.project_id]
    others = tuple(p for p in election.projects if p.id != forced.id)
    plain = dataclasses.replace(options, override=None)
    if override.fund:
        if forced.cost > election.budget:
            raise ValueError(f"override funds project {forced.id!r}, which costs more than the budget")
        areas = dict(options.area_budgets)
        if forced.area in areas:
            areas[forced.area] -= forced.cost
        rivals = exclusive_rivals(options).get(forced.id, frozenset())
        others = tuple(p for p in others if p.id not in rivals)
        rest = rule(
            dataclasses.replace(election, projects=others, budget=election.budget - forced.cost),
            dataclasses.replace(plain, area_budgets=areas),
        )
        final = (forced.id, *rest.selected)
    else:
        final = rule(dataclasses.replace(election, projects=others), plain).selected
    return dataclasses.replace(
        computed,
        override=override,
        final_selected=final,
        final_spent=sum(by_id[pid].cost for pid in final),
    )
