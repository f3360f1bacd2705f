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

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from rounds.tallying.counting import count_points, count_votes
from rounds.tallying.options import exclusive_rivals, ineligible_projects, tie_break_key
from rounds.tallying.types import Election, Project, TallyOptions, Utility


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


def prepare(election: Election, options: TallyOptions, blocked: frozenset[str] = frozenset()) -> MesInput:
    """Group ballots by the candidates they support and index supporters per candidate."""
    votes, points = count_votes(election), count_points(election)
    by_id = {p.id: p for p in election.projects}
    excluded = set(ineligible_projects(election, options, votes, points)) | blocked
    standing = [p for p in election.projects if p.id not in excluded and votes[p.id] > 0]
    free = tuple(sorted(p.id for p in standing if p.cost == 0))
    candidates = tuple(sorted((p for p in standing if p.cost > 0), key=lambda p: p.id))
    index = {p.id: i for i, p in enumerate(candidates)}
    groups: dict[frozenset[int], int] = {}
    for ballot in election.ballots:
        key = frozenset(index[pid] for pid in ballot.projects if pid in index)
        if key:
            groups[key] = groups.get(key, 0) + ballot.weight
    members: list[list[int]] = [[] for _ in candidates]
    for g, key in enumerate(groups):
        for j in key:
            members[j].append(g)
    weights = np.fromiter(groups.values(), dtype=np.float64, count=len(groups))
    supporters = tuple(np.array(m, dtype=np.int64) for m in members)
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
    """The state of one MES pass: the money class of each supporter group and each class's money."""

    def __init__(self, data: MesInput, endowment: Fraction) -> None:
        self.data = data
        self.group_class = np.zeros(data.group_count, dtype=np.int64)
        self.money: list[Fraction] = [endowment]
        self.class_of_money: dict[Fraction, int] = {endowment: 0}

    def price(self, j: int) -> tuple[Fraction, list[tuple[Fraction, int, int]]] | None:
        """The equal payment `pay` for candidate j, with its supporters' (money, heads, class), or None.

        None means j's supporters cannot afford it any more, which stays true for the rest of the pass.
        """
        classes = self.group_class[self.data.supporters[j]]
        heads = np.bincount(classes, weights=self.data.supporter_weights[j])
        present = np.flatnonzero(heads)
        money = self.money
        table = sorted((money[k], int(heads[k]), k) for k in present.tolist())
        cost = self.data.candidates[j].cost
        if sum(m * h for m, h, _ in table) < cost:
            return None
        paid, payers = 0, self.data.votes[j]
        for m, h, _ in table:
            pay = Fraction(cost - paid, payers)
            if pay <= m:
                return pay, table
            # This class cannot pay the equal share: it pays all it has, the others share the rest.
            paid += m * h
            payers -= h
        raise AssertionError("an affordable project always finds its payers")

    def charge(self, j: int, pay: Fraction, table: list[tuple[Fraction, int, int]]) -> None:
        lookup = np.arange(len(self.money), dtype=np.int64)
        for m, _, k in table:
            left = m - pay if m > pay else Fraction(0)
            target = self.class_of_money.get(left)
            if target is None:
                target = len(self.money)
                self.money.append(left)
                self.class_of_money[left] = target
                lookup = np.append(lookup, target)
            lookup[k] = target
        rows = self.data.supporters[j]
        self.group_class[rows] = lookup[self.group_class[rows]]


def _rho(data: MesInput, j: int, pay: Fraction) -> Fraction:
    # Cost utility: a supporter gets utility `cost`, so the price per unit is pay / cost.
    return pay / data.candidates[j].cost if data.utility is Utility.COST else pay


def equal_shares(data: MesInput, endowment: Fraction) -> list[str]:
    """One MES pass with the given per-voter endowment; the funded project ids in the order funded."""
    run = _Pass(data, endowment)
    selected = list(data.free)
    dead = [False] * len(data.candidates)
    heap: list[tuple[Fraction, int]] = []
    for j, p in enumerate(data.candidates):
        # Before anyone pays, rho is the cost split equally: a lower bound for the whole pass.
        heap.append((_rho(data, j, Fraction(p.cost, data.votes[j])), j))
    heapq.heapify(heap)
    index = {p.id: j for j, p in enumerate(data.candidates)}
    for pid in data.free:
        for rival in data.rivals.get(pid, ()):
            if rival in index:
                dead[index[rival]] = True
    while True:
        best: Fraction | None = None
        tied: list[int] = []
        fresh: dict[int, tuple[Fraction, Fraction, list]] = {}
        while heap and (best is None or heap[0][0] <= best):
            _, j = heapq.heappop(heap)
            if dead[j]:
                continue
            found = run.price(j)
            if found is None:
                dead[j] = True
                continue
            rho = _rho(data, j, found[0])
            fresh[j] = (rho, *found)
            if best is None or rho < best:
                best, tied = rho, [j]
            elif rho == best:
                tied.append(j)
        if best is None:
            return selected
        winner = min(tied, key=lambda j: data.tie_key(data.candidates[j].id))
        for j, (rho, _, _) in fresh.items():
            if j != winner:
                heapq.heappush(heap, (rho, j))
        _, pay, table = fresh[winner]
        run.charge(winner, pay, table)
        dead[winner] = True
        pid = data.candidates[winner].id
        selected.append(pid)
        for rival in data.rivals.get(pid, ()):
            if rival in index:
                dead[index[rival]] = True
