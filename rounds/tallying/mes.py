"""The Method of Equal Shares (MES) with cost or cardinality utility, exact, plus its completions.

One pass gives every voter the same endowment and repeatedly funds the affordable project whose
supporters can pay for it at the lowest price per unit of utility rho (a supporter pays
min(own money, rho * utility)). With approval-like ballots every supporter of a project has the same
utility for it, so a round charges each supporter of the winner the same amount `pay`, or all they
have left. That is what makes this fast:

- voters with identical ballots are one weighted group (Election ballots are merged already);
- a group that still has money paid the full payment of every funded project it supports, so its
  money is the endowment less those payments: it is kept as a float for every group, and an exact
  sum over any set of groups takes one product per funded project (_Pass);
- rho only grows during a pass, so the last value computed for a project is a lower bound and only
  projects whose bound beats the best value of the round are recomputed (a heap, as pabutools and
  equalshares.net do with a sorted list).

A pass that needs only its outcome runs first in floats, compiled (kernels.equal_shares), and falls
back to the exact pass below only where its error bounds leave a decision open. The add-one
completions run a pass per endowment step; add_one skips the steps that provably cannot change its
outcome (bounds over an interval in kernels.reach, _Limit, _same_set; the arguments are in
docs/tallying.md) where proving is cheaper than stepping.

Ties on rho are broken by the options' tie-break keys and then by the smallest project id as a
string: pabutools' default. Every outcome is exact: floats settle only what their error bounds
settle (numpy and the kernels count heads in float64, exact below 2**53 voters), and whatever a float
cannot settle is worked out with exact ints and Fractions.
"""

from __future__ import annotations

import dataclasses
import functools
import heapq
import itertools
import math
import operator
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from rounds.tallying import kernels
from rounds.tallying.counting import count_points, count_votes
from rounds.tallying.greedy import greedy_fill, greedy_tally
from rounds.tallying.options import exclusive_rivals, ineligible_projects, tie_break_key
from rounds.tallying.types import (
    Ballot,
    Completion,
    Election,
    Project,
    TallyOptions,
    TallyResult,
    Utility,
)


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

    @functools.cached_property
    def flat(self) -> tuple[np.ndarray, ...]:
        """The arguments of kernels.equal_shares but the endowment, built on first use."""
        n = len(self.candidates)
        indptr = np.zeros(n + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(s) for s in self.supporters])
        costs = np.array([float(p.cost) for p in self.candidates])
        per = np.array(self.per, dtype=np.float64)
        order = sorted(range(n), key=lambda j: self.tie_key(self.candidates[j].id))
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        index = self.position
        dead = [False] * n
        _kill_rivals(self, dead, self.free)
        rivals = [
            [index[r] for r in sorted(self.rivals.get(p.id, ())) if r in index] for p in self.candidates
        ]
        rival_ptr = np.zeros(n + 1, dtype=np.int64)
        rival_ptr[1:] = np.cumsum([len(r) for r in rivals])
        return (
            indptr,
            np.concatenate([*self.supporters, np.empty(0, dtype=np.int64)]),
            np.concatenate([*self.supporter_weights, np.empty(0)]),
            costs,
            per,
            np.array(self.votes, dtype=np.float64),
            rank,
            np.array(dead, dtype=bool),
            rival_ptr,
            np.array([r for rs in rivals for r in rs], dtype=np.int64),
            self.group_count,
        )

    @functools.cached_property
    def per(self) -> tuple[int, ...]:
        """Each candidate's utility per supporter: its cost (cost utility) or 1 (cardinality); rho is
        a supporter's payment divided by it."""
        return tuple(p.cost if self.utility is Utility.COST else 1 for p in self.candidates)

    @functools.cached_property
    def position(self) -> dict[str, int]:
        """Each candidate's index by project id."""
        return {p.id: j for j, p in enumerate(self.candidates)}

    def outcome(self, winners) -> list[str]:
        """The project ids a pass funds: the free projects, then these candidates (indexes) in order."""
        return [*self.free, *(self.candidates[j].id for j in winners)]

    @functools.cached_property
    def support(self) -> np.ndarray:
        """support[g, j]: supporter group g approves candidate j (built on first use, by add-one)."""
        matrix = np.zeros((self.group_count, len(self.candidates)), dtype=bool)
        for j, groups in enumerate(self.supporters):
            matrix[groups, j] = True
        return matrix


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
    # Groups are numbered in the order of their ballots' candidates, most voted first, written as
    # places in that order: the supporters of a popular candidate then sit close together, and the
    # passes read their money almost in a row (on Budapest 2024 proofs and passes took 1.7x as long
    # with the groups in the order their ballots came).
    popular = sorted(range(len(candidates)), key=lambda j: -votes[candidates[j].id])
    place = {candidates[j].id: k for k, j in enumerate(popular)}
    groups: dict[tuple[int, ...], int] = {}
    get = place.get
    kept = functools.partial(operator.is_not, None)
    for ballot in election.ballots:
        # Only the candidates on a ballot matter here; sorted, so equal sets make one group.
        key = tuple(sorted(filter(kept, map(get, ballot.projects))))
        if key:
            groups[key] = groups.get(key, 0) + ballot.weight
    keys = sorted(groups)
    # Supporter lists per candidate, built with numpy: (group, candidate) pairs sorted by candidate.
    sizes = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    places = np.fromiter(itertools.chain.from_iterable(keys), dtype=np.int64, count=int(sizes.sum()))
    flat = np.array(popular, dtype=np.int64)[places]
    owner = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
    order = np.argsort(flat, kind="stable")
    bounds = np.searchsorted(flat[order], np.arange(len(candidates) + 1))
    supporters = tuple(owner[order[bounds[j] : bounds[j + 1]]] for j in range(len(candidates)))
    weights = np.fromiter(map(groups.__getitem__, keys), dtype=np.float64, count=len(keys))
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


# One head: sums() of a single group.
_ONE = np.ones(1)


class _Price:
    """Candidate j's equal payment in one round: pay = left / (payers * scale), and how it moves with
    the endowment (left grows by `slope` per unit; 0 in a pass without slopes).

    `groups` are j's supporter groups that have money, `heads` their head counts and `money` their
    float money; the first `capped` of them have less than the payment and pay all they have (they
    come first; neither part is in a set order). `broke` are j's supporter groups with no money left.

    Who is capped is exact. The payment itself is `pay` as a float, off by at most `error`; `left`
    and `slope` are worked out exactly when first read, which must be before the pass charges
    anything else (most losers of a round are never read exactly).
    """

    __slots__ = ("run", "version", "cost", "payers", "pay", "error", "groups", "heads", "money", "capped")
    __slots__ += ("broke", "_exact")

    def __init__(self, run, cost, payers, pay, error, groups, heads, money, capped, broke, exact=None):
        self.run, self.version, self.cost, self.payers = run, run.charges, cost, payers
        self.pay, self.error = pay, error
        self.groups, self.heads, self.money, self.capped, self.broke = groups, heads, money, capped, broke
        self._exact: tuple[int, int] | None = exact

    def exact(self) -> tuple[int, int]:
        """(left, slope), exact."""
        if self._exact is None:
            run = self.run
            if run.charges != self.version:
                raise AssertionError("a price read exactly after the pass charged another project")
            if self.capped:
                paid, slope = run.sums(self.groups[: self.capped], self.heads[: self.capped])
                self._exact = (self.cost * run.scale - paid, -slope)
            else:
                self._exact = (self.cost * run.scale, 0)
        return self._exact

    @property
    def left(self) -> int:
        return self.exact()[0]

    @property
    def slope(self) -> int:
        return self.exact()[1]

    def bounds(self, per: int) -> tuple[float, float]:
        """Floats at most and at least rho = payment / per."""
        if self._exact is not None:
            rho = self._exact[0] / (self.payers * self.run.scale * per)
            return _below(rho), _above(rho)
        return _below((self.pay - self.error) / per), _above((self.pay + self.error) / per)

    def capped_groups(self) -> np.ndarray:
        """The supporter groups that pay less than the payment: the capped ones and the broke ones."""
        return np.concatenate([self.broke, self.groups[: self.capped]])


class _Pass:
    """The state of one MES pass: what each funded project charged each of its paying supporters.

    A supporter group either has no money left (`broke`: it once paid all it had) or it paid the
    full payment of every funded project it supports, so its money is the endowment less those
    payments. Payments are exact: integers over the common denominator `scale` (a charge that does not
    divide evenly refines it, and the numerators kept are brought onto it) and, with `slopes`, their
    slope: at endowment + t a payment is (num + slope * t) / scale as long as the pass makes the same
    decisions (see _Limit).

    What a group holds is also kept as a float (`spent`, the sum of its payments as floats), which
    numpy reads for all the supporters of a project at once; floats only order supporters and settle
    clear cases, with an error bound (`tol`) that keeps every decision exact. An exact amount for a
    set of groups is the endowment times their heads less each payment times the heads in the set
    that paid it: one product per funded project, whatever the number of groups.
    """

    def __init__(self, data: MesInput, endowment: Fraction, slopes: bool = True) -> None:
        """Everyone holds the endowment. Without `slopes` (no _Limit to serve) every slope is 0."""
        self.data = data
        self.slopes = slopes
        self.scale = endowment.denominator
        self.spent = np.zeros(data.group_count, dtype=np.float64)
        self.spent_slope = np.zeros(data.group_count, dtype=np.float64)
        self.broke = np.zeros(data.group_count, dtype=bool)
        # The endowment and each charge's payment and slope, as numerators over the current scale.
        self.base = endowment.numerator
        self.paid: list[int] = []
        self.paid_slope: list[int] = []
        # The funded candidates, in the order charged.
        self.funded = np.empty(0, dtype=np.int64)
        # How many charges so far: a _Price is exact only for the state it was computed in.
        self.charges = 0
        self.full = float(endowment)
        # A float amount is off by less than `tol`: it sums at most one correctly rounded payment per
        # candidate, each at most the endowment, so its error is below candidates * 2**-52 of the
        # endowment, far below 1e-9 of it. Slopes likewise (slope_tol grows with each payment's).
        self.tol = 1e-9 * max(self.full, 1.0)
        self.slope_tol = 1e-9

    def copy(self) -> _Pass:
        """An independent copy, to return to when a _same_set block has to be checked anew."""
        other = _Pass.__new__(_Pass)
        other.__dict__.update(self.__dict__)
        other.spent, other.spent_slope = self.spent.copy(), self.spent_slope.copy()
        other.broke = self.broke.copy()
        other.paid, other.paid_slope = list(self.paid), list(self.paid_slope)
        return other

    def float_slopes(self, groups: np.ndarray) -> np.ndarray:
        """How fast these groups' money grows with the endowment, as floats (off by less than
        `slope_tol`)."""
        return 1.0 - self.spent_slope[groups]

    def sums(self, groups: np.ndarray, heads: np.ndarray) -> tuple[int, int]:
        """The exact money and slope of these groups (none broke) times their heads, over the scale."""
        total = int(heads.sum())
        money = total * self.base
        slope = total * self.scale if self.slopes else 0
        if len(self.funded) and len(groups):
            counts = kernels.heads_paying(self.data.support, groups, heads, self.funded)
            paid, paid_slope = self.paid, self.paid_slope
            for w in counts.nonzero()[0].tolist():
                count = int(counts[w])
                money -= paid[w] * count
                slope -= paid_slope[w] * count
        return money, slope

    def price(self, j: int) -> _Price | None:
        """Candidate j's equal payment; None means j's supporters cannot afford it any more, which
        stays true for the rest of the pass."""
        data = self.data
        cost = data.candidates[j].cost
        supporters, heads = data.supporters[j], data.supporter_weights[j]
        groups, state, broke, payers, capped, pay, error, unsure, found = kernels.price(
            supporters, heads, self.spent, self.broke, self.full, float(cost), self.tol
        )
        if found == kernels.UNAFFORDABLE:
            return None
        if found == kernels.CLOSE:
            if self.sums(groups, state[0])[0] < cost * self.scale:
                return None
            groups, state, capped, pay, error, unsure, found = kernels.fill(
                groups, state, float(cost), payers, self.tol
            )
        payers = int(payers)
        heads, money = state
        exact = None
        if found == kernels.NOBODY_SHORT:
            exact = (cost * self.scale, 0)
        elif found == kernels.SETTLED and unsure:
            exact = self._settle(cost, groups, heads, money, capped, payers, pay, error)
            if exact is None:
                found = kernels.UNSETTLED
        if found == kernels.UNSETTLED:
            exact, payers, pay, error, groups, heads, money, capped = self._exact_price(
                cost, groups, heads, payers
            )
        elif capped:
            payers -= int(heads[:capped].sum())
        return _Price(self, cost, payers, pay, error, groups, heads, money, capped, broke, exact)

    def _settle(self, cost, groups, heads, money, capped, payers, pay, error):
        """The exact payment if the first `capped` groups are exactly those that pay less than it, where
        floats put some groups too close to the payment `pay` (off by at most `error`) to tell; else
        None."""
        paid, slope = self.sums(groups[:capped], heads[:capped]) if capped else (0, 0)
        left = cost * self.scale - paid
        pays = payers - int(heads[:capped].sum())
        for i in np.flatnonzero(np.abs(money - pay) <= self.tol + error).tolist():
            has, _ = self.sums(groups[i : i + 1], _ONE)
            if (has * pays < left) != (i < capped):
                return None
        return left, -slope

    def _exact_price(self, cost, groups, heads, payers):
        """The water-filling done with every group's exact money (floats left it unsure)."""
        exact = [self.sums(groups[i : i + 1], _ONE)[0] for i in range(len(groups))]
        order = sorted(range(len(groups)), key=exact.__getitem__)
        groups, heads = groups[order], heads[order]
        money = np.array([exact[i] / self.scale for i in order], dtype=np.float64)
        left, pays = cost * self.scale, payers
        for capped, i in enumerate(order):
            if left <= exact[i] * pays:
                slope = -self.sums(groups[:capped], heads[:capped])[1] if capped else 0
                pay = left / (pays * self.scale)
                return (left, slope), pays, pay, abs(pay) * 1e-15, groups, heads, money, capped
            h = int(heads[capped])
            left -= exact[i] * h
            pays -= h
        raise AssertionError("an affordable project always finds its payers")

    def charge(self, j: int, price: _Price) -> None:
        """Fund candidate j: its capped supporters pay all they have, the others the payment."""
        g = math.gcd(price.left, price.slope, price.payers)
        self.charges += 1
        pay, pay_slope, factor = price.left // g, price.slope // g, price.payers // g
        # pay = left / (payers * scale): the scale becomes fine enough to hold it.
        if factor != 1:
            self.scale *= factor
            self.base *= factor
            self.paid = [m * factor for m in self.paid]
            self.paid_slope = [m * factor for m in self.paid_slope]
        self.paid.append(pay)
        self.paid_slope.append(pay_slope)
        self.funded = np.append(self.funded, j)
        paying = price.groups[price.capped :]
        self.spent[paying] += pay / self.scale
        if pay_slope:
            self.spent_slope[paying] += pay_slope / self.scale
            self.slope_tol += 1e-9 * abs(pay_slope / self.scale)
        if price.capped:
            self.broke[price.groups[: price.capped]] = True


# A price per unit of utility as an affine function of the endowment: rho(t) = (a + b * t) / d at
# endowment + t, while the pass makes the same decisions.
Rho = tuple[int, int, int]


class _Limit:
    """How many endowment steps further a pass provably makes the same decisions.

    Every condition the pass's outcome rests on is an affine inequality alpha + beta * t >= 0 (or > 0)
    in the extra endowment t, true at t = 0; `steps` is the largest k for which all hold at t = k * step
    (None: all hold for every k). docs/tallying.md gives the argument.
    """

    def __init__(self, step: int) -> None:
        self.step = step
        self.steps: int | None = None

    @property
    def open(self) -> bool:
        """False once no further step is provable: the remaining conditions need not be computed."""
        return self.steps != 0

    def hold(self, alpha: int, beta: int, strict: bool) -> None:
        if alpha < 0 or (strict and alpha == 0):
            raise AssertionError("a condition of the pass fails at its own endowment")
        if beta >= 0:
            return
        per_step = -beta * self.step
        steps = (alpha - 1) // per_step if strict else alpha // per_step
        if self.steps is None or steps < self.steps:
            self.steps = steps

    def at_least(self, high: Rho, low: Rho, strict: bool) -> None:
        """high(t) >= low(t), or > with strict."""
        (a1, b1, d1), (a2, b2, d2) = high, low
        self.hold(a1 * d2 - a2 * d1, b1 * d2 - b2 * d1, strict)


@dataclass
class _Record:
    """What a pass decided, for _same_set: each round's winner, its exact rho as (numerator,
    denominator), and the supporter groups that still had money but could not pay the equal share."""

    winners: list[int] = dataclasses.field(default_factory=list)
    rhos: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    capped: list[np.ndarray] = dataclasses.field(default_factory=list)


def equal_shares(
    data: MesInput, endowment: Fraction, limit: _Limit | None = None, record: _Record | None = None
) -> list[str]:
    """One MES pass with the given per-voter endowment; the funded project ids in the order funded.

    With a limit, it also works out how many endowment steps further the pass provably stays the same;
    with a record, it keeps what _same_set needs.
    """
    if limit is None and record is None and data.candidates:
        # Floats first; the exact pass below only where they leave a decision open.
        winners, found = kernels.equal_shares(*data.flat, float(endowment))
        if found == kernels.DONE:
            return data.outcome(winners.tolist())
    run = _Pass(data, endowment, slopes=limit is not None)
    candidates = data.candidates
    per = data.per
    selected = list(data.free)
    dead = [False] * len(candidates)
    # Each candidate's last price as a function of the endowment (its capped supporters kept capped)
    # and the round it was computed in: a lower bound on its rho for the rest of the pass. Before
    # anyone pays, that is the cost split equally.
    last: list[Rho] = [
        (p.cost * run.scale, 0, data.votes[j] * run.scale * per[j]) for j, p in enumerate(candidates)
    ]
    since = [0] * len(candidates)
    won: list[Rho] = []
    # Heap keys are floats rounded down, so still lower bounds; exact rhos decide the round.
    heap = [(_below(a / d), j) for j, (a, _, d) in enumerate(last)]
    heapq.heapify(heap)
    _kill_rivals(data, dead, data.free)
    while True:
        # The round's lowest rho: the projects tied on it, and floats at most and at least it.
        best_below = best_above = math.inf
        tied: list[int] = []
        fresh: dict[int, _Price] = {}
        while heap and heap[0][0] <= best_above:
            _, j = heapq.heappop(heap)
            if dead[j]:
                continue
            if limit and limit.open and since[j] < len(won):
                # j sat out the rounds since its last price: that beat every winner since, the last
                # of whom had the highest rho.
                limit.at_least(last[j], won[-1], strict=True)
            found = run.price(j)
            if found is None:
                dead[j] = True
                if limit and limit.open:
                    _unaffordable_condition(limit, run, j)
                continue
            fresh[j] = found
            low, high = found.bounds(per[j])
            if low > best_above:
                continue
            if tied and high >= best_below:
                # Too close for floats: compare exactly.
                rival = fresh[tied[0]]
                order = found.left * rival.payers * per[tied[0]] - rival.left * found.payers * per[j]
                if order > 0:
                    continue
                if order == 0:
                    tied.append(j)
                    continue
            best_below, best_above, tied = low, high, [j]
        if not tied:
            return selected
        winner = min(tied, key=lambda j: data.tie_key(candidates[j].id))
        price = fresh[winner]
        left, den = price.left, price.payers * run.scale * per[winner]
        won_rho = (left, price.slope, den)
        if limit and limit.open:
            _winner_conditions(limit, run, price)
            if won:
                limit.at_least(won_rho, won[-1], strict=False)
        for j, j_price in fresh.items():
            if j != winner:
                heapq.heappush(heap, (j_price.bounds(per[j])[0], j))
                since[j] = len(won) + 1
                if limit and limit.open:
                    left_j, slope_j = j_price.exact()
                    last[j] = (left_j, slope_j, j_price.payers * run.scale * per[j])
                    # j lost this round: on rho, or on the tie-break if it could not have won a tie.
                    strict = data.tie_key(candidates[j].id) < data.tie_key(candidates[winner].id)
                    limit.at_least(last[j], won_rho, strict)
        won.append(won_rho)
        if record is not None:
            record.winners.append(winner)
            record.rhos.append((left, den))
            record.capped.append(price.capped_groups())
        run.charge(winner, price)
        dead[winner] = True
        pid = candidates[winner].id
        selected.append(pid)
        for rival in data.rivals.get(pid, ()):
            r = data.position.get(rival)
            if r is not None and not dead[r]:
                if limit and limit.open and since[r] < len(won):
                    limit.at_least(last[r], won[-1], strict=True)
                dead[r] = True


def _same_set(data: MesInput, record: _Record, endowment: Fraction, out: _Record | None = None) -> bool:
    """Whether every endowment from the recorded one up to `endowment` funds the same projects.

    A sufficient test (docs/tallying.md, "The same projects over an interval"): along the recorded
    order of winners every amount is monotone in the endowment, so the record gives each round's
    rhos at their highest and this pass, forced along the same order at `endowment`, at their
    lowest. The rounds split into blocks of winners whose supporters in common can pay them all, so
    that the order they are funded in changes nobody's payment, and which beat every other project
    over the whole interval; their order within the block may change, nothing else may. The record
    may be a real pass or an earlier forced one; `out` receives this one's, for the next interval.
    """
    run = _Pass(data, endowment, slopes=False)
    candidates, winners, rhos = data.candidates, record.winners, record.rhos
    per = data.per
    tie = [data.tie_key(p.id) for p in candidates]
    position = {j: r for r, j in enumerate(winners)}
    dead = [False] * len(candidates)
    _kill_rivals(data, dead, data.free)
    # Lower bounds on each candidate's rho at `endowment`: the cost split equally, then its last price.
    heap = [(_below(p.cost / (data.votes[j] * per[j])), j) for j, p in enumerate(candidates)]
    heapq.heapify(heap)
    start = 0
    while start < len(winners):
        end = start  # the block is winners[start : end + 1]
        saved = (run.copy(), list(heap), list(dead))
        while True:
            members = winners[start : end + 1]
            if end > start and not _commute(data, record, start, end, run):
                return False
            charged, later = _block(run, members, rhos[start : end + 1], heap, dead, per, tie, position)
            if later is None:
                break
            if later <= end:
                return False
            # A later winner may come first somewhere in the interval: the block grows to reach it.
            end = later
            run, heap, dead = saved[0].copy(), list(saved[1]), list(saved[2])
        if out is not None:
            for j, left, den, capped in charged:
                out.winners.append(j)
                out.rhos.append((left, den))
                out.capped.append(capped)
        for j in members:
            dead[j] = True
        _kill_rivals(data, dead, [candidates[j].id for j in members])
        start = end + 1
    # The recorded pass ended there: nothing may be affordable here either.
    return all(dead[j] or run.price(j) is None for _, j in heap)


def _block(
    run: _Pass,
    members: list[int],
    highs: list[tuple[int, int]],
    heap: list,
    dead: list[bool],
    per: list[int],
    tie: list[tuple],
    position: dict[int, int],
) -> tuple[list, int | None]:
    """Charge a block's members at the interval's high end, checking that no other project can come
    first anywhere in the interval; returns the charges made and, if one could, its position in the
    recorded order (-1: not a recorded winner).

    Member i pays at most highs[i] (its recorded rho) and at least its rho here at the block's start.
    When i is funded, every member that surely costs less has been funded: at least the longest
    leading run of members whose highs are below i's low. So a project must beat highs[i] with its
    rho here after that run has paid.
    """
    member_set = set(members)
    lows = []
    if len(members) > 1:
        for j in members:
            found = run.price(j)
            if found is None:
                raise AssertionError("a recorded winner is affordable with more money")
            lows.append((found.left, found.payers * run.scale * per[j]))
    # before[i]: how many leading members are funded before member i wherever in the interval.
    before = []
    for low_num, low_den in lows:
        count = 0
        while count < len(members) and highs[count][0] * low_den < low_num * highs[count][1]:
            count += 1
        before.append(count)
    if not lows:
        before = [0]
    charged = []
    for paid, j in enumerate(members):
        bars = [(highs[i], tie[members[i]]) for i in range(len(members)) if before[i] == paid]
        if bars:
            top_num, top_den = max((bar for bar, _ in bars), key=lambda rho: Fraction(*rho))
            above, kept = _above(top_num / top_den), []
            while heap and heap[0][0] <= above:
                _, c = heapq.heappop(heap)
                if dead[c] or c in member_set:
                    continue
                found = run.price(c)
                if found is None:
                    dead[c] = True  # unaffordable here, so with less money too, for the rest of the pass
                    continue
                low = found.bounds(per[c])[0]
                kept.append((low, c))
                for (bar_num, bar_den), bar_tie in bars:
                    if low > _above(bar_num / bar_den):
                        continue
                    order = found.left * bar_den - bar_num * found.payers * run.scale * per[c]
                    if order < 0 or (order == 0 and tie[c] < bar_tie):
                        for item in kept:
                            heapq.heappush(heap, item)
                        return charged, position.get(c, -1)
            for item in kept:
                heapq.heappush(heap, item)
        found = run.price(j)
        if found is None:
            raise AssertionError("a recorded winner is affordable with more money")
        charged.append((j, found.left, found.payers * run.scale * per[j], found.capped_groups()))
        run.charge(j, found)
    return charged, None


def _commute(data: MesInput, record: _Record, start: int, end: int, run: _Pass) -> bool:
    """No group that backs two winners of the block could run short paying for them, so every
    member's payment is the same whatever order the block is funded in.

    A group the recorded pass found short is harmless only if it has no money even at the interval's
    high end (`run`, at the block's start): then it pays nothing anywhere in the interval.
    """
    members = record.winners[start : end + 1]
    for capped in record.capped[start : end + 1]:
        if len(capped):
            capped = capped[~run.broke[capped]]
            if len(capped) and (data.support[np.ix_(capped, members)].sum(axis=1) > 1).any():
                return False
    return True


def _kill_rivals(data: MesInput, dead: list[bool], funded) -> None:
    """Mark the candidates that share an exclusive group with a funded project as out of the pass."""
    index = data.position
    for pid in funded:
        for rival in data.rivals.get(pid, ()):
            if rival in index:
                dead[index[rival]] = True


def _below(x: float) -> float:
    """The next float down: no larger than the value x was rounded from (Python rounds int / int
    correctly, to the nearest)."""
    return math.nextafter(x, -math.inf)


def _above(x: float) -> float:
    return math.nextafter(x, math.inf)


def _unaffordable_condition(limit: _Limit, run: _Pass, j: int) -> None:
    """Candidate j, found unaffordable, stays so: its supporters keep less money than its cost
    (strict). A float lower bound on the steps this allows comes first; the exact condition is
    worked out only if that bound could lower the limit."""
    data = run.data
    groups, (heads, _), _, payers, total = kernels.gather(
        data.supporters[j], data.supporter_weights[j], run.spent, run.broke, run.full
    )
    slope = run.float_slopes(groups)
    growth = float(heads @ slope)
    gap = run.data.candidates[j].cost - total - payers * run.tol - 1e-10 * abs(total)
    faster = growth + payers * run.slope_tol + 1e-10 * float(heads @ np.abs(slope))
    if faster <= 0:
        return  # the money does not grow: no bound
    if limit.steps is not None and max(gap, 0.0) / (faster * limit.step) > limit.steps:
        return
    money, money_slope = run.sums(groups, heads)
    limit.hold(run.data.candidates[j].cost * run.scale - money, -money_slope, True)


def _winner_conditions(limit: _Limit, run: _Pass, price: _Price) -> None:
    """The winner's capped supporters keep having at most the payment, the others at least, and the
    payment stays at least 0 (what its broke supporters pay).

    Each group's condition is alpha + beta * t >= 0 with alpha = +-(left - payers * money) and
    beta = +-(slope - payers * its slope); floats give every group a lower bound on the steps it
    allows, and only groups whose bound does not exceed the limit found so far are worked out exactly.
    """
    left, slope, payers, scale = price.left, price.slope, price.payers, run.scale
    if len(price.broke):
        limit.hold(left, slope, False)
    n = len(price.groups)
    if not n or not limit.open:
        return
    pay, pay_slope = left / (payers * scale), slope / (payers * scale)
    sign = np.where(np.arange(n) < price.capped, 1.0, -1.0)
    gap = sign * (pay - price.money)
    drift = sign * (pay_slope - run.float_slopes(price.groups))
    gap_error = run.tol + abs(pay) * 1e-15
    drift_error = run.slope_tol + abs(pay_slope) * 1e-15
    shrink = drift_error - drift  # an upper bound on how fast the gap may close, if positive
    closing = np.flatnonzero(shrink > 0)
    if not len(closing):
        return
    bound = np.maximum(gap[closing] - gap_error, 0.0) / (shrink[closing] * limit.step)
    for i in np.argsort(bound, kind="stable").tolist():
        if limit.steps is not None and bound[i] > limit.steps:
            break
        k = int(closing[i])
        money, money_slope = run.sums(price.groups[k : k + 1], _ONE)
        alpha, beta = left - payers * money, slope - payers * money_slope
        if k < price.capped:
            limit.hold(alpha, beta, False)
        else:
            limit.hold(-alpha, -beta, False)
        if not limit.open:
            return


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
    skip: bool = True,
) -> tuple[list[str], Fraction]:
    """Raise the endowment from `start` by `step` per voter until the outcome no longer fits the budget.

    Returns the last outcome that fitted and its endowment. With `exhaustive_stop` it also stops at the
    first outcome to which no project of `pool` can be added. It always stops once every candidate is
    funded. With `skip`, steps that provably give the same projects are not run: each pass proves for
    how many further steps its outcome stays the same (_Limit), and a forced pass further on can prove
    that the funded projects stay the same, in whatever order (_same_set). The loop then also stops
    once no larger endowment can change the outcome, where the step-by-step loop (add_one_stepwise)
    would never end.
    """
    endowment = start
    # What a pass that only gives its outcome costs here, in seconds (floats first: on Toulouse a
    # tenth of a pass with proofs, on Mokotów a third). Proofs must save more such passes than they
    # cost, or they rest (_Effort).
    plain = math.inf
    for _ in range(2 if skip else 0):  # twice: a process's first pass also loads the kernels
        clock = time.perf_counter()
        equal_shares(data, endowment)
        plain = min(plain, time.perf_counter() - clock)
    # How many steps the next _same_set proof tries first (each success doubles it).
    reach = 1
    steps_proof, set_proof, bounds_proof = _Effort(), _Effort(), _Effort()
    tries = _Tries()
    limit = _Limit(step) if skip else None
    record = _Record() if skip else None
    clock = time.perf_counter()
    outcome = equal_shares(data, endowment, limit, record)
    took = time.perf_counter() - clock
    # The endowment `outcome` was computed at: after a _same_set jump only its projects are known.
    computed = endowment
    while True:
        if _stops(data, budget, by_id, outcome, exhaustive_stop, pool):
            break
        if limit and limit.steps is None:
            break  # no larger endowment changes the outcome
        extra = took - plain  # what the last pass's limit and record cost beyond a plain pass
        # How many further steps provably fund the same projects in the same order: by the bounds
        # over an interval first (kernels.reach), then by the pass's _Limit where it has one.
        ahead = bounded = 0
        if skip and bounds_proof.ready:
            clock = time.perf_counter()
            ahead, outcome = _bounded_steps(data, outcome, endowment, step, tries)
            bounded = ahead
            bounds_proof.settle(time.perf_counter() - clock, ahead, plain)
        else:
            bounds_proof.wait()
        if limit:
            steps_proof.settle(extra, max(limit.steps - ahead, 0), plain)
            ahead = max(ahead, limit.steps)
        else:
            steps_proof.wait()
        endowment += ahead * step
        computed = endowment
        if record is not None:
            # Forced passes further on, each the next one's record, as long as they prove the same
            # projects (after a first failure, once more at half the reach); then a real pass one step
            # past the last proved endowment.
            clock = time.perf_counter()
            tried, last, gained = reach, 0, 0
            halved = False
            while True:
                ahead = _Record()
                if not _same_set(data, record, endowment + tried * step, ahead):
                    if halved or tried == 1:
                        break
                    halved, tried = True, tried // 2
                    continue
                endowment += tried * step
                record, last, gained, tried = ahead, tried, gained + tried, tried * 2
            cost = time.perf_counter() - clock + (0.0 if limit else extra)
            set_proof.settle(cost, gained, plain)
            reach = max(last // 2, 1)
        else:
            set_proof.wait()
        # Where the bounds proofs just skipped steps, the next pass keeps no record for a set proof.
        # It works out its limit when those proofs rest, and after a run of _CHAIN steps they proved
        # in one go: only a limit can tell that no larger endowment changes the outcome.
        limit = _Limit(step) if skip and (steps_proof.ready or bounded >= _CHAIN) else None
        record = _Record() if skip and set_proof.ready and not bounded else None
        clock = time.perf_counter()
        following = equal_shares(data, endowment + step, limit, record)
        took = time.perf_counter() - clock
        if not limit and record is None:
            plain = (plain + took) / 2
        if _cost(by_id, following) > budget:
            break
        outcome, endowment = following, endowment + step
        computed = endowment
    if computed != endowment:
        outcome = equal_shares(data, endowment)
    return outcome, endowment


def _bounded_steps(
    data: MesInput, outcome: list[str], endowment: Fraction, step: int, tries: _Tries
) -> tuple[int, list[str]]:
    """How many steps past `endowment` (whose pass funded `outcome`) provably fund the same projects,
    and the outcome at the last of them: kernels.reach over intervals of `tries.horizon` steps, one
    after the other.

    After an interval that holds only part of the way, one more starts a step past what it proved (a
    proof vouches for its own start too). Where that one also falls short, or cannot vouch for its
    start, the order is about to change. Where the rival that ended the proof is a later winner (most
    often the next one), it has likely moved up to the round where it threatened: a proof of that
    order, from the first step not proved, takes over if it vouches for its start (the funded projects
    are the same). Otherwise the caller's next pass finds the new order."""
    position = data.position
    order = np.array([position[pid] for pid in outcome if pid in position], dtype=np.int64)
    tries.start(outcome)
    total, gap = 0, False
    while True:
        first = total + 1 if gap else total
        at = endowment + first * step
        horizon = tries.horizon
        # Less than a step's worth of the interval is no use, except that a proof after a gap
        # vouches for its own start: any s from 0 up.
        least = 0.0 if gap else 1 / horizon
        s, when, who = kernels.reach(*data.flat, order, float(at), float(at + horizon * step), least)
        if s > 0 or not gap:
            steps = _whole_steps(s, horizon)
            total = first + steps
            if total >= _CHAIN:
                return total, outcome  # the caller's next pass checks whether this goes on for ever
            if tries.proved(steps):
                gap = False
                continue
            if not gap:
                gap = True
                continue
        # The order is about to change, at the step after `total`.
        later = np.flatnonzero(order[when + 1 :] == who) if 0 <= when < len(order) else ()
        if not len(later):
            return total, outcome
        # The rival moves up to the round where it threatened; the winners in between move down.
        moved_up = order.copy()
        moved = when + 1 + int(later[0])
        moved_up[when] = who
        moved_up[when + 1 : moved + 1] = order[when:moved]
        at = endowment + (total + 1) * step
        s, *_ = kernels.reach(*data.flat, moved_up, float(at), float(at + _FIRST * step), 0.0)
        if s <= 0:
            return total, outcome
        order = moved_up
        outcome = data.outcome(order.tolist())
        tries.start(outcome)
        steps = _whole_steps(s, _FIRST)
        total += 1 + steps
        gap = not tries.proved(steps)


def _whole_steps(s: float, horizon: int) -> int:
    """How many whole steps past its start a proof over `horizon` steps that returned s vouches for."""
    return min(math.floor(s * horizon), horizon) if s > 0 else 0


class _Tries:
    """How long an interval the next bounds proof spans. The bounds loosen with its length, so a
    proof over too long an interval proves little: it starts at _FIRST steps for a new order, grows by
    half after each proof that held all the way, and after one that fell short tries a quarter of what
    it proved (the order usually changes soon after). On Budapest 2024 the total time hardly depends
    on these numbers (within 5% from 32 to 128 first steps and growth from 1.5x to 3x)."""

    def __init__(self) -> None:
        self.horizon = _FIRST
        self.outcome: list[str] | None = None

    def start(self, outcome: list[str]) -> None:
        if outcome != self.outcome:
            self.outcome, self.horizon = outcome, _FIRST

    def proved(self, steps: int) -> bool:
        """Whether this proof held all the way."""
        if steps < self.horizon:
            self.horizon = max(steps // 4, 8)
            return False
        self.horizon = min(self.horizon * 3 // 2, _LONGEST)
        return True


_FIRST, _LONGEST = 96, 1024
# The most steps one call of _bounded_steps proves: where the outcome never changes again, the proofs
# would go on for ever.
_CHAIN = 8 * _LONGEST


class _Effort:
    """Whether a kind of proof pays for itself in add_one: after n proofs in a row that cost more time
    than the plain passes they saved would have, the next 2**n - 1 passes (at most 255) go without."""

    def __init__(self) -> None:
        self.failures = self.idle = 0

    def settle(self, seconds: float, saved: int, plain: float) -> None:
        if saved * plain < seconds:
            self.failures = min(self.failures + 1, 8)
            self.idle = 2**self.failures - 1
        else:
            self.failures = self.idle = 0

    def wait(self) -> None:
        self.idle = max(self.idle - 1, 0)

    @property
    def ready(self) -> bool:
        return not self.idle


# The loop as pabutools and equalshares.net run it, one full pass per step: the tests' reference.
add_one_stepwise = functools.partial(add_one, skip=False)


def _stops(
    data: MesInput,
    budget: int,
    by_id: dict[str, Project],
    outcome: list[str],
    exhaustive_stop: bool,
    pool: list[Project],
) -> bool:
    """The loop ends at this outcome: it is exhaustive (if asked) or funds every candidate."""
    if exhaustive_stop:
        spent = _cost(by_id, outcome)
        if _is_exhaustive(outcome, pool, budget, spent, _blocked_by(data, outcome)):
            return True
    return len(outcome) == len(data.candidates) + len(data.free)


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


def compile_kernels() -> None:
    """Run the compiled kernels once on a small election that takes every path, so that numba compiles
    them and caches the machine code (`make` does it at install; otherwise the first tally on a
    machine pays some seconds for it)."""
    # The voter of a,b is left with exactly b's cost: the float pass hands over to the exact one.
    ballots = (Ballot(("a", "b")), Ballot(("a",)), Ballot(("a",)), Ballot(("c",)))
    election = Election((Project("a", 2), Project("b", 8), Project("c", 90)), ballots, 26 * 4 // 3)
    data = prepare(election, TallyOptions())
    outcome = equal_shares(data, Fraction(26, 3))
    equal_shares(data, Fraction(26, 3), _Limit(1), _Record())
    _bounded_steps(data, outcome, Fraction(26, 3), 1, _Tries())
