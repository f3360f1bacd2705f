"""The Method of Equal Shares (MES) with cost or cardinality utility, exact, plus its completions.

One pass gives every voter the same endowment and repeatedly funds the affordable project whose
supporters can pay for it at the lowest price per unit of utility rho (a supporter pays
min(own money, rho * utility)). With approval-like ballots every supporter of a project has the same
utility for it, so a round charges each supporter of the winner the same amount `pay`, or all they
have left. That is what makes this fast:

- voters with identical ballots are one weighted group (Election ballots are merged already);
- a voter's money depends only on what it was charged, so groups are bucketed into "classes" of equal
  money, and a project's supporters are a handful of (money, head count) pairs;
- rho only grows during a pass, so the last value computed for a project is a lower bound and only
  projects whose bound beats the best value of the round are recomputed (a heap, as pabutools and
  equalshares.net do with a sorted list).

Ties on rho are broken by the options' tie-break keys and then by the smallest project id as a
string: pabutools' default. All money is Fraction or int; numpy only moves integer indexes around and
counts heads (float64 holds those sums exactly below 2**53 voters).
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from math import gcd

import numpy as np

from rounds.tallying.counting import count_points, count_votes
from rounds.tallying.greedy import greedy_fill, greedy_tally
from rounds.tallying.options import exclusive_rivals, ineligible_projects, tie_break_key
from rounds.tallying.types import Completion, Election, Project, TallyOptions, TallyResult, Utility


@dataclass(frozen=True)
class MesInput:
    """What every pass of MES needs, prepared once per election (add-one completions run many passes)."""

    candidates: tuple[Project, ...]
    # Supporter groups of each candidate (indexes into `weights`) and their head counts.
    supporters: tuple[np.ndarray, ...]
    supporter_weights: tuple[np.ndarray, ...]
    votes: tuple[int, ...]
    group_count: int
    voters: int
    utility: Utility
    tie_key: Callable[[str], tuple]
    rivals: dict[str, frozenset[str]]
    # Supported projects of cost 0: pabutools funds them before the first round.
    free: tuple[str, ...]


def prepare(
    election: Election,
    options: TallyOptions,
    ineligible: dict[str, str] | None = None,
    votes: dict[str, int] | None = None,
) -> MesInput:
    """Group ballots by the candidates they support and index supporters per candidate."""
    votes = votes if votes is not None else count_votes(election)
    by_id = {p.id: p for p in election.projects}
    if ineligible is None:
        ineligible = ineligible_projects(election, options, votes, count_points(election, votes))
    excluded = set(ineligible)
    standing = [p for p in election.projects if p.id not in excluded and votes[p.id] > 0]
    free = tuple(sorted(p.id for p in standing if p.cost == 0))
    candidates = tuple(sorted((p for p in standing if p.cost > 0), key=lambda p: p.id))
    index = {p.id: i for i, p in enumerate(candidates)}
    groups: dict[tuple[int, ...], int] = {}
    get = index.get
    for ballot in election.ballots:
        # Only the candidates on a ballot matter here; sorted, so equal sets make one group.
        key = tuple(sorted(j for j in map(get, ballot.projects) if j is not None))
        if key:
            groups[key] = groups.get(key, 0) + ballot.weight
    # Supporter lists per candidate, built with numpy: (group, candidate) pairs sorted by candidate.
    sizes = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    flat = np.fromiter((j for key in groups for j in key), dtype=np.int64, count=int(sizes.sum()))
    owner = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(len(candidates) + 1))
    supporters = tuple(owner[order[bounds[j] : bounds[j + 1]]] for j in range(len(candidates)))
    weights = np.fromiter(groups.values(), dtype=np.float64, count=len(groups))
    return MesInput(
        candidates=candidates,
        supporters=supporters,
        supporter_weights=tuple(weights[s] for s in supporters),
        votes=tuple(votes[p.id] for p in candidates),
        group_count=len(groups),
        voters=sum(b.weight for b in election.ballots),
        utility=options.utility,
        tie_key=tie_break_key(options, votes, by_id),
        rivals=exclusive_rivals(options),
        free=free,
    )


class _Pass:
    """The state of one MES pass: the money class of each supporter group and each class's money.

    Money is kept as integers over one common denominator `scale` (a class holds money[k] / scale):
    integer comparisons are many times faster than Fraction ones, and a charge that does not divide
    evenly multiplies every class's money and the scale by the same factor.
    """

    def __init__(self, data: MesInput, endowment: Fraction) -> None:
        self.data = data
        self.group_class = np.zeros(data.group_count, dtype=np.int64)
        self.scale = endowment.denominator
        self.money: list[int] = [endowment.numerator]
        self.class_of_money: dict[int, int] = {endowment.numerator: 0}

    def price(self, j: int) -> tuple[int, int, list[tuple[int, int, int]]] | None:
        """Candidate j's equal payment as (numerator, payers): pay = numerator / (payers * scale).

        Also returns the supporters' (money, heads, class) table for charge(). None means j's
        supporters cannot afford it any more, which stays true for the rest of the pass.
        """
        classes = self.group_class[self.data.supporters[j]]
        heads = np.bincount(classes, weights=self.data.supporter_weights[j])
        present = np.flatnonzero(heads)
        money = self.money
        table = sorted((money[k], int(heads[k]), k) for k in present.tolist())
        cost = self.data.candidates[j].cost * self.scale
        if sum(m * h for m, h, _ in table) < cost:
            return None
        left, payers = cost, self.data.votes[j]
        for m, h, _ in table:
            if left <= m * payers:
                return left, payers, table
            # This class cannot pay the equal share: it pays all it has, the others share the rest.
            left -= m * h
            payers -= h
        raise AssertionError("an affordable project always finds its payers")

    def charge(self, j: int, left: int, payers: int, table: list[tuple[int, int, int]]) -> None:
        g = gcd(left, payers)
        left, payers = left // g, payers // g
        if payers != 1:
            # pay = left / (payers * scale): bring every class onto the finer common denominator.
            self.scale *= payers
            self.money = [m * payers for m in self.money]
            self.class_of_money = {m: k for k, m in enumerate(self.money)}
            table = [(m * payers, h, k) for m, h, k in table]
        moves: list[tuple[int, int]] = []
        for m, _, k in table:
            rest = m - left if m > left else 0
            target = self.class_of_money.get(rest)
            if target is None:
                target = len(self.money)
                self.money.append(rest)
                self.class_of_money[rest] = target
            moves.append((k, target))
        lookup = np.arange(len(self.money), dtype=np.int64)
        for k, target in moves:
            lookup[k] = target
        rows = self.data.supporters[j]
        self.group_class[rows] = lookup[self.group_class[rows]]

    def rho(self, j: int, left: int, payers: int) -> Fraction:
        # Cost utility: a supporter gets utility `cost`, so the price per unit of utility is pay / cost.
        per = self.data.candidates[j].cost if self.data.utility is Utility.COST else 1
        return Fraction(left, payers * self.scale * per)


def equal_shares(data: MesInput, endowment: Fraction) -> list[str]:
    """One MES pass with the given per-voter endowment; the funded project ids in the order funded."""
    run = _Pass(data, endowment)
    selected = list(data.free)
    dead = [False] * len(data.candidates)
    heap: list[tuple[Fraction, int]] = []
    for j, p in enumerate(data.candidates):
        # Before anyone pays, rho is the cost split equally: a lower bound for the whole pass.
        heap.append((run.rho(j, p.cost * run.scale, data.votes[j]), j))
    heapq.heapify(heap)
    index = {p.id: j for j, p in enumerate(data.candidates)}
    for pid in data.free:
        for rival in data.rivals.get(pid, ()):
            if rival in index:
                dead[index[rival]] = True
    while True:
        best: Fraction | None = None
        tied: list[int] = []
        fresh: dict[int, tuple[Fraction, int, int, list]] = {}
        while heap and (best is None or heap[0][0] <= best):
            _, j = heapq.heappop(heap)
            if dead[j]:
                continue
            found = run.price(j)
            if found is None:
                dead[j] = True
                continue
            rho = run.rho(j, found[0], found[1])
            fresh[j] = (rho, *found)
            if best is None or rho < best:
                best, tied = rho, [j]
            elif rho == best:
                tied.append(j)
        if best is None:
            return selected
        winner = min(tied, key=lambda j: data.tie_key(data.candidates[j].id))
        for j, (rho, *_) in fresh.items():
            if j != winner:
                heapq.heappush(heap, (rho, j))
        _, left, payers, table = fresh[winner]
        run.charge(winner, left, payers, table)
        dead[winner] = True
        pid = data.candidates[winner].id
        selected.append(pid)
        for rival in data.rivals.get(pid, ()):
            if rival in index:
                dead[index[rival]] = True


def _cost(by_id: dict[str, Project], ids: list[str]) -> int:
    return sum(by_id[pid].cost for pid in ids)


def _is_exhaustive(
    selected: list[str], pool: list[Project], budget: int, spent: int, blocked: set[str]
) -> bool:
    chosen = set(selected)
    return not any(p.id not in chosen and p.id not in blocked and spent + p.cost <= budget for p in pool)


def _blocked_by(data: MesInput, selected: list[str]) -> set[str]:
    return {rival for pid in selected for rival in data.rivals.get(pid, ())}


def add_one(
    data: MesInput,
    budget: int,
    by_id: dict[str, Project],
    *,
    start: Fraction,
    step: int,
    exhaustive_stop: bool,
    pool: list[Project],
) -> tuple[list[str], Fraction]:
    """Raise the endowment from `start` by `step` per voter until the outcome no longer fits the budget.

    Returns the last outcome that fitted and its endowment. With `exhaustive_stop` it also stops at the
    first outcome to which no project of `pool` can be added. It always stops once every candidate is
    funded, since more money cannot change that outcome's cost.
    """
    endowment = start
    outcome = equal_shares(data, endowment)
    while True:
        spent = _cost(by_id, outcome)
        if exhaustive_stop and _is_exhaustive(outcome, pool, budget, spent, _blocked_by(data, outcome)):
            return outcome, endowment
        if len(outcome) == len(data.candidates) + len(data.free):
            return outcome, endowment
        following = equal_shares(data, endowment + step)
        if _cost(by_id, following) > budget:
            return outcome, endowment
        outcome, endowment = following, endowment + step


def _greedy_completion(
    election: Election,
    data: MesInput,
    options: TallyOptions,
    selected: list[str],
    ineligible: dict[str, str],
    votes: dict[str, int],
) -> None:
    """Fill the money MES left with the greedy rule of the same utility, as pabutools' completion does.

    Cost utility ranks by votes; cardinality utility by votes per unit of cost. Unsupported projects
    rank last and are still funded if they fit.
    """
    by_id = {p.id: p for p in election.projects}

    def rank(p: Project) -> tuple:
        if options.utility is Utility.COST:
            return (-votes[p.id], data.tie_key(p.id))
        # pabutools gives a supported free project infinite density: it comes first.
        free = p.cost == 0 and votes[p.id] > 0
        density = Fraction(votes[p.id], p.cost) if p.cost else Fraction(0)
        return (not free, -density, data.tie_key(p.id))

    order = sorted(election.projects, key=rank)
    blocked = set(ineligible) | _blocked_by(data, selected)
    greedy_fill(
        order, election.budget - _cost(by_id, selected), selected, blocked=blocked, rivals=data.rivals
    )


def _voters_preferring(election: Election, first: list[str], second: list[str]) -> tuple[int, int]:
    """How many voters approve more projects of `first` than of `second`, and the other way round."""
    a, b = set(first), set(second)
    prefer_first = prefer_second = 0
    for ballot in election.ballots:
        in_a = sum(pid in a for pid in ballot.projects)
        in_b = sum(pid in b for pid in ballot.projects)
        if in_a > in_b:
            prefer_first += ballot.weight
        elif in_b > in_a:
            prefer_second += ballot.weight
    return prefer_first, prefer_second


def mes_tally(election: Election, options: TallyOptions) -> TallyResult:
    """The Method of Equal Shares with options.utility and options.completion (see Completion)."""
    votes = count_votes(election)
    ineligible = ineligible_projects(election, options, votes, count_points(election, votes))
    if options.area_budgets:
        raise ValueError("area sub-pots are supported by greedy only")
    data = prepare(election, options, ineligible, votes)
    by_id = {p.id: p for p in election.projects}
    budget, voters = election.budget, data.voters
    eligible = [p for p in election.projects if p.id not in ineligible]
    completion = Completion(options.completion)
    endowment = Fraction(budget, voters) if voters else Fraction(0)
    if voters == 0:
        selected: list[str] = []
    elif completion in (Completion.ADD1, Completion.ADD1_GREEDY):
        selected, endowment = add_one(
            data,
            budget,
            by_id,
            start=endowment,
            step=options.increment,
            exhaustive_stop=options.exhaustive_stop,
            pool=list(data.candidates),
        )
    elif (
        completion in (Completion.ADD1INT, Completion.ADD1INT_GREEDY)
        and _cost(by_id, [p.id for p in eligible]) > budget
    ):
        # equalshares.net starts from whole units and skips Add1 when every project fits anyway.
        selected, endowment = add_one(
            data,
            budget,
            by_id,
            start=Fraction(budget // voters),
            step=options.increment,
            exhaustive_stop=options.exhaustive_stop,
            pool=eligible,
        )
    else:
        selected = equal_shares(data, endowment)
    if completion in (Completion.GREEDY, Completion.ADD1_GREEDY, Completion.ADD1INT_GREEDY):
        _greedy_completion(election, data, options, selected, ineligible, votes)
    method = "mes"
    if options.compare_with_greedy:
        greedy = greedy_tally(election, dataclasses.replace(options, count="votes", override=None)).selected
        prefer_mes, prefer_greedy = _voters_preferring(election, selected, list(greedy))
        if prefer_greedy > prefer_mes:
            selected, method = list(greedy), "mes_compared_greedy"
    rest = sorted(
        (p for p in election.projects if p.id not in set(selected)), key=lambda p: (-votes[p.id], p.id)
    )
    return TallyResult(
        method=method,
        selected=tuple(selected),
        spent=_cost(by_id, selected),
        ranking=tuple((pid, votes[pid]) for pid in [*selected, *(p.id for p in rest)]),
        ineligible=ineligible,
        endowment=(endowment.numerator, endowment.denominator),
    )
