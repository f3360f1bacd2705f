"""The inner loops of an MES pass, compiled with numba: what a pass does for one project over all of its
supporter groups, where numpy would pay its per-call overhead a dozen times per project.

Floats only: every result is either settled with an error bound or handed back to the exact Python
code in mes.py. `tol` bounds the error of each group's float money; sums run in order, one term at a
time, so for n terms their rounding error is below (n + 2) * 2**-53 of the sum of the terms' sizes.

Two users: mes._Pass prices one project at a time with price() (its payments are exact, so its `tol`
stays fixed), and equal_shares() runs a whole pass in floats when only the outcome is needed.

Plain loops throughout: numba's fancy indexing and array expressions allocate and cost several times
more here. Each array handed back to Python costs about a microsecond, so there are few.

numba caches the machine code beside this file (`cache=True`): the first use on a machine compiles
for several seconds (`make` does it once at install), later processes load it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# What price() found.
NOBODY_SHORT = 0  # every group can pay the equal split: pay = cost / payers
SETTLED = 1  # the first `capped` groups pay all they have, the rest pay `pay` (within `error`)
UNSETTLED = 2  # floats cannot tell who is short: work it out exactly
UNAFFORDABLE = 3  # the supporters' money is surely below the cost
CLOSE = 4  # the supporters' money is too close to the cost for floats: compare exactly, then fill()

# What equal_shares() found.
DONE = 0  # the winners, in the order funded
UNSURE = 1  # some decision was too close for floats: the caller runs the pass exactly

_U = 2.0**-53  # unit roundoff: a correctly rounded operation is off by at most this, relatively


@njit(cache=True, nogil=True)
def price(groups, heads, spent, broke, full, cost, tol):
    """gather() a project's supporter groups, then, if they can surely pay its cost, fill(): the
    groups with money (the capped ones first), their heads and float money as rows of one array, the
    broke groups, the heads of the first, how many are capped, the payment and its error bound, how
    many groups are too close to the payment to compare in floats (the caller finds them) and what was
    found.
    """
    alive, state, gone, payers, total = _gather(groups, heads, spent, broke, full)
    found = _affordable(total, cost, payers, alive.shape[0], tol)
    if found != SETTLED:
        return alive, state, gone, payers, 0, 0.0, 0.0, 0, found
    alive, state, capped, pay, error, unsure, found = _fill(alive, state, cost, payers, tol)
    return alive, state, gone, payers, capped, pay, error, unsure, found


@njit(cache=True, nogil=True)
def _affordable(total, cost, payers, terms, tol):
    """UNAFFORDABLE, CLOSE or (affordable) SETTLED, for supporters with `total` money as floats: each
    group's money is off by at most tol (and so may be up to tol below 0), and the sum of `terms`
    products adds a rounding each."""
    error = payers * tol + (terms + 2) * _U * (abs(total) + 2 * payers * tol)
    if total < cost - error:
        return UNAFFORDABLE
    if total <= cost + error:
        return CLOSE
    return SETTLED


@njit(cache=True, nogil=True)
def gather(groups, heads, spent, broke, full):
    """A project's supporter groups with money, their heads and float money (rows of one array), its
    broke supporter groups, the heads of the first and their float total money. `spent` and `broke`
    are every group's float payments so far and whether it has no money left; `full` the endowment."""
    return _gather(groups, heads, spent, broke, full)


@njit(cache=True, nogil=True)
def _gather(groups, heads, spent, broke, full):
    n = groups.shape[0]
    alive = np.empty(n, np.int64)
    state = np.empty((2, n), np.float64)
    gone = np.empty(n, np.int64)
    k = b = 0
    payers = total = 0.0
    for i in range(n):
        g = groups[i]
        if broke[g]:
            gone[b] = g
            b += 1
        else:
            h = heads[i]
            m = full - spent[g]
            alive[k] = g
            state[0, k] = h
            state[1, k] = m
            payers += h
            total += h * m
            k += 1
    return alive[:k], state[:, :k], gone[:b], payers, total


@njit(cache=True, nogil=True)
def fill(groups, state, cost, payers, tol):
    """The water-filling of price() for groups whose money was found, exactly, to cover the cost."""
    return _fill(groups, state, cost, payers, tol)


@njit(cache=True, nogil=True)
def _fill(groups, state, cost, payers, tol):
    """_water_level() over arrays: the groups reordered with the capped ones first."""
    n = groups.shape[0]
    heads, money = state[0], state[1]
    is_capped = np.empty(n, np.bool_)
    lowest = np.inf
    for i in range(n):
        lowest = min(lowest, money[i])
    found, capped, pays, pay, error = _water_level(heads, money, n, cost, payers, tol, is_capped, lowest)
    if found != SETTLED:
        return groups, state, 0, pay, error, 0, found
    out_groups = np.empty(n, np.int64)
    out = np.empty((2, n), np.float64)
    first, last, unsure = 0, capped, 0
    for i in range(n):
        if is_capped[i]:
            k = first
            first += 1
        else:
            k = last
            last += 1
        out_groups[k] = groups[i]
        out[0, k] = heads[i]
        out[1, k] = money[i]
        if abs(money[i] - pay) <= tol + error:
            unsure += 1
    return out_groups, out, capped, pay, error, unsure, SETTLED


@njit(cache=True, nogil=True)
def _water_level(heads, money, n, cost, payers, tol, capped, lowest):
    """Water-filling in floats over the first n groups, the poorest of which has `lowest`: who pays all
    they have (marked in `capped`) and what the others pay. Returns what was found (NOBODY_SHORT,
    SETTLED or UNSETTLED), how many are capped, the paying heads, the payment and its error bound.

    Everyone with less money than the equal split of what is left to pay is capped, repeated until
    nobody more falls below it. Each round raises the split, so it stops at the least split that
    nobody paying it falls short of: the water level. (Sorting the groups below a threshold first,
    as mes.py did in numpy, measured twice as slow here: few rounds are needed.) Rounds after the
    first look only at the groups the first found below twice the equal split, while the split stays
    below that. So the capped groups hold less than the payment and the others at least as much, in
    floats: the caller still has to look for groups within tol + error of it, which floats cannot
    place.
    """
    pay = cost / payers
    if lowest > pay * (1 + 1e-12) + tol:
        return NOBODY_SHORT, 0, payers, pay, abs(pay) * 1e-15
    count = 0
    short_count = paid = 0.0
    capped[:n] = False
    bound = 2 * pay
    near = np.empty(n, np.int64)  # the groups not capped in the first round with less than bound
    near_count = 0
    more = False
    for i in range(n):
        m = money[i]
        if m < pay:
            capped[i] = True
            count += 1
            short_count += heads[i]
            paid += heads[i] * m
            more = True
        elif m < bound:
            near[near_count] = i
            near_count += 1
    while more:
        if count == n:
            # Everyone short means the floats were too close to call.
            return UNSETTLED, 0, 0.0, 0.0, 0.0
        pay = (cost - paid) / (payers - short_count)
        more = False
        for k in range(near_count if pay < bound else n):
            i = near[k] if pay < bound else k
            if not capped[i] and money[i] < pay:
                capped[i] = True
                count += 1
                short_count += heads[i]
                paid += heads[i] * money[i]
                more = True
    pays = payers - short_count
    # The capped groups' money is off by tol each, and the sum adds a rounding per term.
    error = (short_count * tol + (count + 2) * _U * (abs(paid) + 2 * short_count * tol)) / pays
    error += abs(pay) * 1e-15
    return SETTLED, count, pays, pay, error


@njit(cache=True, nogil=True)
def heads_paying(support, groups, heads, funded):
    """For each funded project, how many heads of these groups support it (support[g, j])."""
    counts = np.zeros(funded.shape[0], np.float64)
    for i in range(groups.shape[0]):
        row = support[groups[i]]
        h = heads[i]
        for w in range(funded.shape[0]):
            if row[funded[w]]:
                counts[w] += h
    return counts


@njit(cache=True, nogil=True)
def equal_shares(indptr, supporters, heads, costs, per, votes, rank, dead, rival_ptr, rivals, groups, full):
    """One MES pass in floats, for a pass that only needs its outcome: the candidates funded, in order,
    and DONE, or UNSURE as soon as a decision is too close to settle with the error bounds.

    Candidate j's supporter groups are supporters[indptr[j]:indptr[j + 1]] with their head counts;
    rho is its payment per unit of utility per[j]; among projects tied on rho the lowest rank wins;
    `dead` marks candidates out of the pass from the start, and rivals[rival_ptr[j]:rival_ptr[j + 1]]
    the candidates that funding j rules out. `full` is the endowment of each of the `groups` groups,
    correctly rounded.

    Unlike mes._Pass, payments are floats computed from float money, so the error bound `tol` on every
    group's money grows with each charge: by the payment's own bound, which counts the capped groups'
    errors (short heads / paying heads times `tol`) and the rounding of the sums.
    """
    n = costs.shape[0]
    money = np.full(groups, full)  # -inf once a group is broke
    dead = dead.copy()
    # Lower bounds on each candidate's rho for the rest of the pass: rho only grows as money is spent.
    lower = np.empty(n, np.float64)
    for j in range(n):
        lower[j] = costs[j] / (votes[j] * per[j]) * (1 - 4 * _U)
    winners = np.empty(n, np.int64)
    won = 0
    tol = 2 * _U * full
    tried = np.zeros(n, np.bool_)
    # The projects tied on the round's lowest rho so far and their paying heads. More than one only
    # where nobody is short for any of them, so that each pays cost / payers exactly.
    tied = np.empty(n, np.int64)
    tied_payers = np.zeros(n, np.float64)
    size = 0
    for j in range(n):
        size = max(size, indptr[j + 1] - indptr[j])
    scratch = np.empty((2, size), np.float64)
    capped = np.empty(size, np.bool_)
    while True:
        best_below = best_above = np.inf
        count = 0
        tried[:] = False
        best_pay = best_error = 0.0
        best_exact = False  # nobody is short for the best so far
        while True:
            j = -1
            for c in range(n):
                if not dead[c] and not tried[c] and (j < 0 or lower[c] < lower[j]):
                    j = c
            if j < 0 or lower[j] > best_above:
                break
            tried[j] = True
            found, payers, pay, error = _evaluate(
                supporters[indptr[j] : indptr[j + 1]],
                heads[indptr[j] : indptr[j + 1]],
                money,
                costs[j],
                tol,
                scratch,
                capped,
            )
            if found == UNAFFORDABLE:
                dead[j] = True
                continue
            if found != NOBODY_SHORT and found != SETTLED:
                return winners[:won], UNSURE
            low = (pay - error) / per[j] * (1 - 4 * _U)
            high = (pay + error) / per[j] * (1 + 4 * _U)
            lower[j] = max(lower[j], low)
            if low > best_above:
                continue
            if count and high >= best_below:
                # Too close for the bounds: exact only where nobody is short on both sides.
                rival = tied[0]
                if found != NOBODY_SHORT or not best_exact:
                    return winners[:won], UNSURE
                # rho = cost / (payers * per): compare cost_j * payers_r * per_r with its mirror,
                # exactly while the products stay below 2**53.
                a = costs[j] * tied_payers[0] * per[rival]
                b = costs[rival] * payers * per[j]
                if max(a, b) >= 2.0**53:
                    return winners[:won], UNSURE
                if a > b:
                    continue
                if a == b:
                    tied[count] = j
                    tied_payers[count] = payers
                    count += 1
                    continue
            best_below, best_above, best_pay, best_error = low, high, pay, error
            best_exact = found == NOBODY_SHORT
            tied[0] = j
            tied_payers[0] = payers
            count = 1
        if count == 0:
            return winners[:won], DONE
        first = 0
        for i in range(1, count):
            if rank[tied[i]] < rank[tied[first]]:
                first = i
        winner = tied[first]
        if first:
            best_pay = costs[winner] / tied_payers[first]
            best_error = abs(best_pay) * 1e-15
        # Charge the winner: the groups below the payment pay all they have (floats settled who
        # they are, with a margin), the others the payment.
        for i in range(indptr[winner], indptr[winner + 1]):
            g = supporters[i]
            m = money[g]
            if m == -np.inf:
                continue
            money[g] = -np.inf if m < best_pay else m - best_pay
        # The paying groups' money is now off by their old bound, the payment's and a rounding.
        tol += best_error + 2 * _U * full
        winners[won] = winner
        won += 1
        dead[winner] = True
        for r in range(rival_ptr[winner], rival_ptr[winner + 1]):
            dead[rivals[r]] = True


@njit(cache=True, nogil=True)
def _evaluate(supporters, heads, money, cost, tol, scratch, capped):
    """price() for equal_shares(): what was found, the paying heads, the payment and its error bound,
    without handing any array back (`scratch` and `capped` are work space)."""
    k = 0
    payers = total = 0.0
    lowest = np.inf
    for i in range(supporters.shape[0]):
        m = money[supporters[i]]
        if m == -np.inf:
            continue
        h = heads[i]
        scratch[0, k] = h
        scratch[1, k] = m
        payers += h
        total += h * m
        lowest = min(lowest, m)
        k += 1
    found = _affordable(total, cost, payers, k, tol)
    if found != SETTLED:
        return found, payers, 0.0, 0.0
    found, _, pays, pay, error = _water_level(scratch[0], scratch[1], k, cost, payers, tol, capped, lowest)
    if found == SETTLED:
        for i in range(k):
            if abs(scratch[1, i] - pay) <= tol + error:
                return UNSETTLED, payers, 0.0, 0.0
    return found, pays, pay, error
