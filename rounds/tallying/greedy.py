"""Greedy by votes (or points) within the pot: the rule most participatory budgets use."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rounds.tallying.counting import count_points, count_votes
from rounds.tallying.options import exclusive_rivals, ineligible_projects, tie_break_key
from rounds.tallying.types import Election, Project, TallyOptions, TallyResult


def greedy_order(
    projects: Iterable[Project], score: dict[str, int], key: Callable[[str], tuple]
) -> list[Project]:
    """Projects by score, highest first; ties by the tie-break key (the id last, as pabutools does)."""
    return sorted(projects, key=lambda p: (-score[p.id], key(p.id)))


def greedy_fill(
    order: list[Project],
    remaining: int,
    selected: list[str],
    *,
    blocked: set[str],
    rivals: dict[str, frozenset[str]],
    area_left: dict[str, int] | None = None,
    no_skip: bool = False,
) -> None:
    """Go down `order` and fund every project that fits in `remaining` (and in its area's sub-pot).

    Appends to `selected` and grows `blocked` with the exclusive rivals of what it funds, so a
    completion step can continue from an earlier rule's outcome.
    """
    chosen = set(selected)
    for p in order:
        if p.id in chosen or p.id in blocked:
            continue
        if p.cost > remaining:
            if no_skip:
                return
            continue
        if area_left is not None and p.area in area_left:
            if p.cost > area_left[p.area]:
                continue
            area_left[p.area] -= p.cost
        selected.append(p.id)
        chosen.add(p.id)
        remaining -= p.cost
        blocked.update(rivals.get(p.id, ()))


def greedy_tally(election: Election, options: TallyOptions) -> TallyResult:
    """Fund projects in order of votes (options.count == "points": points) while they fit.

    A project that does not fit is skipped and the next one is tried. Projects with no votes come
    last but are still funded if money is left, as pabutools does; set min_votes=1 to prevent it.
    """
    votes = count_votes(election)
    points = count_points(election, votes)
    score = points if options.count == "points" else votes
    by_id = {p.id: p for p in election.projects}
    ineligible = ineligible_projects(election, options, votes, points)
    order = greedy_order(election.projects, score, tie_break_key(options, votes, by_id))
    selected: list[str] = []
    blocked = set(ineligible)
    rivals = exclusive_rivals(options)
    area_left = dict(options.area_budgets)
    greedy_fill(
        order,
        election.budget,
        selected,
        blocked=blocked,
        rivals=rivals,
        area_left=area_left,
        no_skip=options.no_skip,
    )
    if options.area_leftover_to_pot and area_left:
        spent = sum(by_id[pid].cost for pid in selected)
        greedy_fill(order, election.budget - spent, selected, blocked=blocked, rivals=rivals)
    return TallyResult(
        method="greedy",
        selected=tuple(selected),
        spent=sum(by_id[pid].cost for pid in selected),
        ranking=tuple((p.id, score[p.id]) for p in order),
        ineligible=ineligible,
    )
