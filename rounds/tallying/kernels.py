"""The inner loops of an MES pass, compiled with numba: what a pass does for one project over all of its
supporter groups, where numpy would pay its per-call overhead a dozen times per project.

Floats only: every result is either settled with an error bound or handed back to the exact Python
code in mes.py. `tol` bounds the error of each group's float money; sums run in order, one term at a
time, so for n terms their rounding error is below (n + 2) * 2**-53 of the sum of the terms' sizes.

Three users: mes._Pass prices one project at a time with price() (its payments are exact, so its `tol`
stays fixed), equal_shares() runs a whole pass in floats when only the outcome is needed, and reach()
proves for how far along an interval of endowments a pass funds the same order (add-one).

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
    found, capped, pays, pay, error = _water_level(
        heads, money, n, cost, payers, tol, is_capped, lowest, np.empty(n, np.int64)
    )
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
def _water_level(heads, money, n, cost, payers, tol, capped, lowest, near):
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
    # near[:near_count]: the groups not capped in the first round with less than bound.
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
    near = np.empty(size, np.int64)
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
                near,
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
def _evaluate(supporters, heads, money, cost, tol, scratch, capped, near):
    """price() for equal_shares(): what was found, the paying heads, the payment and its error bound,
    without handing any array back (`scratch`, `capped` and `near` are work space)."""
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
    found, _, pays, pay, error = _water_level(
        scratch[0], scratch[1], k, cost, payers, tol, capped, lowest, near
    )
    if found == SETTLED:
        for i in range(k):
            if abs(scratch[1, i] - pay) <= tol + error:
                return UNSETTLED, payers, 0.0, 0.0
    return found, pays, pay, error


@njit(cache=True, nogil=True)
def reach(
    indptr,
    supporters,
    heads,
    costs,
    per,
    votes,
    rank,
    dead,
    rival_ptr,
    rivals,
    groups,
    order,
    low,
    high,
    least,
):
    """How far a pass provably funds `order`, in that order, as the endowment rises from `low` to
    `high`: an s in [0, 1] such that it does at every endowment low + x * (high - low) with
    0 <= x <= s; -1.0 where that s would be below `least` (the proof stops as soon as it is: the caller
    has no use for less) or where an upper payment at the far end cannot be settled. Also the round and
    the rival where the proof ended (-1, -1 where no rival ended it; the round is len(order) where a
    rival was still affordable after the last).
    The other arguments are equal_shares()'s.

    Every amount is bounded by a line over the interval, kept as its values at the two ends (x = 0, 1).
    Along a fixed order a group's money before a round is max(0, t - the payments so far of the
    winners it supports), so (docs/tallying.md, "Bounds over an interval"):
    - each winner's payment lies between two lines. The upper one is the chord of the equal payments
      that the groups' lower money lines give at the two ends. It is checked at each end by summing
      min(money, chord) over the supporters; that sum is concave in t, so it covers the cost all along.
      The lower one is the piece (cost - money of S) / heads outside S over the upper money lines,
      for S the groups short at the start: the equal payment is the largest such piece over all S;
    - a group's money lies above the line t - upper payments where that is positive at the start, else
      above 0 (both are below max(0, that line) and exact at the start), and below the chord of
      max(0, t - lower payments), which is convex;
    - another candidate's rho is at least either end's piece over the upper money lines, in this
      round and every later one (money only falls during a pass; the far end's piece is worked out
      only where the start's alone does not clear the winner). Where both pieces are at most the
      winner's upper line and its supporters' upper money covers its cost, it might come first: s
      ends before that. After the last round, every candidate left must be short of its cost;
    - a candidate whose voters hold less than its cost at the far end from the start is out all along
      (on Budapest 2024, about 100 of 175), and a rival is summed before it is gathered: most rivals
      looked at are short of their cost at both ends, for the rest of the pass.
    Floats: every line is moved outwards by a bound on its rounding errors (`err` for the money lines).
    """
    n = costs.shape[0]
    # t - payments so far, at most (lo) and at least (hi), per group, at both ends (a row is read
    # at once). low and high are floats rounded from the endowments: moved outwards to be sure.
    lo = np.empty((groups, 2), np.float64)
    hi = np.empty((groups, 2), np.float64)
    lo[:, 0], lo[:, 1] = low * (1 - 4 * _U), high * (1 - 4 * _U)
    hi[:, 0], hi[:, 1] = low * (1 + 4 * _U), high * (1 + 4 * _U)
    # Every money line above is off by at most `err` from the line it stands for.
    err = 0.0
    size = 0
    for j in range(n):
        size = max(size, indptr[j + 1] - indptr[j])
    h = np.empty(size, np.float64)
    ma = np.empty(size, np.float64)
    mb = np.empty(size, np.float64)
    h2 = np.empty(size, np.float64)
    ma2 = np.empty(size, np.float64)
    mb2 = np.empty(size, np.float64)
    capped = np.empty(size, np.bool_)
    near = np.empty(size, np.int64)
    dead = dead.copy()
    # Two lower lines on each candidate's rho (values at both ends): the cost split equally to begin.
    lines = np.empty((n, 4), np.float64)
    for j in range(n):
        lines[j, :] = costs[j] / (votes[j] * per[j]) * (1 - 4 * _U)
        # Short of its cost from the first round, all along: its supporters hold votes * t at most.
        if votes[j] * high * (1 + 8 * _U) < costs[j]:
            dead[j] = True
    s = 1.0
    # The round and the rival of the first place where another project might come first.
    when = who = -1
    paid_max = 0.0
    for r in range(order.shape[0]):
        w = order[r]
        if dead[w]:
            return -1.0, -1, -1
        start, end = indptr[w], indptr[w + 1]
        cost = costs[w]
        # Upper payment: over the lower money lines.
        lower, upper = _both(supporters, heads, start, end, lo, hi, err, (h, ma, mb), (h2, ma2, mb2))
        k, payers, total_a, total_b, lowest_a, lowest_b = lower
        up_a = _upper_level(h, ma, k, cost, capped, near, payers, total_a, lowest_a)
        if up_a < 0:
            return -1.0, -1, -1
        up_b = _upper_level(h, mb, k, cost, capped, near, payers, total_b, lowest_b)
        if up_b < 0:
            return -1.0, -1, -1
        # Lower payment: the piece of the groups short at the start, over the upper money lines.
        k, payers, total_a, _, lowest_a, _ = upper
        down_a, down_b = _piece(h2, ma2, mb2, k, cost, capped, near, ma2, payers, total_a, lowest_a)
        if down_a < 0 or down_b < 0:
            down_a = down_b = 0.0  # a payment is never below 0
        top_a = up_a / per[w] * (1 + 4 * _U)
        top_b = up_b / per[w] * (1 + 4 * _U)
        # Nobody else may come first anywhere in [0, s].
        for c in range(n):
            if dead[c] or c == w:
                continue
            line = lines[c]
            if (
                _first_below(line[0] - top_a, line[1] - top_b, line[2] - top_a, line[3] - top_b, -1.0, -1.0)
                >= s
            ):
                continue
            # Most rivals looked at here turn out unaffordable: sums alone tell, without gathering.
            total_a, total_b = _totals(supporters, heads, indptr[c], indptr[c + 1], hi, err)
            short_a, short_b = _shortfall(indptr[c + 1] - indptr[c], costs[c], total_a, total_b)
            if short_a > 0 and short_b > 0:
                dead[c] = True  # unaffordable all along, with the upper money, for the rest of the pass
                continue
            k, payers, total_a, total_b, lowest_a, lowest_b = _money(
                supporters, heads, indptr[c], indptr[c + 1], hi, True, err, h, ma, mb
            )
            q = per[c]
            p_a, p_b = _piece(h, ma, mb, k, costs[c], capped, near, ma, payers, total_a, lowest_a)
            line[0] = line[2] = _lower(p_a / q)
            line[1] = line[3] = _lower(p_b / q)
            if _first_below(line[0] - top_a, line[1] - top_b, -1.0, -1.0, short_a, short_b) < s:
                # Not enough alone: the piece of the groups short at the far end as well.
                p_a, p_b = _piece(h, ma, mb, k, costs[c], capped, near, mb, payers, total_b, lowest_b)
                line[2], line[3] = _lower(p_a / q), _lower(p_b / q)
                first = _first_below(
                    line[0] - top_a, line[1] - top_b, line[2] - top_a, line[3] - top_b, short_a, short_b
                )
                if first < s:
                    s, when, who = first, r, c
                if s < least:
                    return -1.0, when, who
        # Charge: the payers' money lines fall by the payment's lines.
        paid_max = max(paid_max, up_a, up_b)
        for i in range(start, end):
            g = supporters[i]
            lo[g, 0] -= up_a
            lo[g, 1] -= up_b
            hi[g, 0] -= down_a
            hi[g, 1] -= down_b
        # Each subtraction rounds by at most a unit of the largest amount a line can reach.
        err += 2 * _U * (high + (r + 1) * paid_max)
        dead[w] = True
        for i in range(rival_ptr[w], rival_ptr[w + 1]):
            dead[rivals[i]] = True
    # The pass ends: nobody left can afford anything.
    for c in range(n):
        if dead[c]:
            continue
        total_a, total_b = _totals(supporters, heads, indptr[c], indptr[c + 1], hi, err)
        short_a, short_b = _shortfall(indptr[c + 1] - indptr[c], costs[c], total_a, total_b)
        first = _first_below(short_a, short_b, -1.0, -1.0, -1.0, -1.0)
        if first < s:
            s, when, who = first, order.shape[0], c
        if s < least:
            return -1.0, when, who
    return s, when, who


@njit(cache=True, nogil=True)
def _money(supporters, heads, start, end, rows, upper, err, h, ma, mb):
    """Money lines of these supporters at both ends, into h, ma, mb, for the groups with money anywhere
    in the interval; returns how many, their heads, their money at each end (float sums) and the least
    money at each end.

    With `upper`, `rows` are the upper lines (t - lower payments), each err below what it stands for
    at most: the chord of max(0, line + err). Else the lower lines, each err above at most: the line
    - err itself where it is positive at the start, else 0 (both are below max(0, line - err) and
    exact where the interval starts)."""
    k, sums = 0, _NO_MONEY
    for i in range(start, end):
        a, b, kept = _line(rows, supporters[i], upper, err)
        if kept:
            k, sums = _keep(k, sums, heads[i], a, b, h, ma, mb)
    return (k, *sums)


@njit(cache=True, nogil=True)
def _both(supporters, heads, start, end, lo, hi, err, low, high):
    """_money() of the lower lines `lo` into the arrays `low` (h, ma, mb) and of the upper lines `hi`
    into `high`, in one sweep: a winner's supporters, whose lines are read for both payments."""
    h, ma, mb = low
    h2, ma2, mb2 = high
    k, sums, k2, sums2 = 0, _NO_MONEY, 0, _NO_MONEY
    for i in range(start, end):
        g, x = supporters[i], heads[i]
        a, b, kept = _line(lo, g, False, err)
        if kept:
            k, sums = _keep(k, sums, x, a, b, h, ma, mb)
        a, b, kept = _line(hi, g, True, err)
        if kept:
            k2, sums2 = _keep(k2, sums2, x, a, b, h2, ma2, mb2)
    return (k, *sums), (k2, *sums2)


# _money()'s sums before the first group: heads, money at each end, least money at each end.
_NO_MONEY = (0.0, 0.0, 0.0, np.inf, np.inf)


@njit(cache=True, nogil=True, inline="always")
def _line(rows, g, upper, err):
    """Group g's money line for _money(), at both ends, and whether it has money anywhere."""
    a, b = (rows[g, 0] + err, rows[g, 1] + err) if upper else (rows[g, 0] - err, rows[g, 1] - err)
    if a <= 0 and b <= 0:
        return 0.0, 0.0, False
    if upper:
        return max(a, 0.0), max(b, 0.0), True
    if a <= 0:
        return 0.0, 0.0, True
    return a, b, True


@njit(cache=True, nogil=True, inline="always")
def _keep(k, sums, x, a, b, h, ma, mb):
    """A group of x heads with money a and b, kept as the k-th in h, ma, mb and added to _money()'s sums."""
    h[k], ma[k], mb[k] = x, a, b
    payers, total_a, total_b, lowest_a, lowest_b = sums
    return k + 1, (payers + x, total_a + x * a, total_b + x * b, min(lowest_a, a), min(lowest_b, b))


@njit(cache=True, nogil=True)
def _totals(supporters, heads, start, end, rows, err):
    """The money that _money(..., upper=True) gathers, summed only, in one branch-free sweep: at each
    end, a float sum of at most end - start terms (the count _shortfall() takes; groups without money
    add 0)."""
    total_a = total_b = 0.0
    for i in range(start, end):
        g = supporters[i]
        total_a += heads[i] * max(rows[g, 0] + err, 0.0)
        total_b += heads[i] * max(rows[g, 1] + err, 0.0)
    return total_a, total_b


@njit(cache=True, nogil=True)
def _shortfall(k, cost, total_a, total_b):
    """Lower bounds on cost - the money of k groups at both ends, from its float sums (positive: surely
    unaffordable there)."""
    slack = (k + 2) * _U
    return cost - total_a * (1 + slack), cost - total_b * (1 + slack)


@njit(cache=True, nogil=True)
def _upper_level(h, m, k, cost, capped, near, payers, total, lowest):
    """An upper bound on the equal payment of k groups with money m (heads h; their heads, float sum
    of money and least money given): a water level checked by summing min(m, level) over them; -1
    where it cannot be settled (or they cannot afford the cost)."""
    if k == 0 or total * (1 - (k + 2) * _U) < cost:
        return -1.0
    found, _, _, pay, error = _water_level(h, m, k, cost, payers, 0.0, capped, lowest, near)
    if found != NOBODY_SHORT and found != SETTLED:
        return -1.0
    level = (pay + error) * (1 + 1e-12)
    if lowest >= level and level * payers * (1 - 2 * _U) >= cost:
        return level  # everyone pays the level: no need to sum
    for grow in (1e-12, 1e-9, 1e-6):
        level = (pay + error) * (1 + grow)
        covered = scale = 0.0
        for i in range(k):
            part = h[i] * min(m[i], level)
            covered += part
            scale += abs(part)
        if covered - (k + 2) * _U * scale >= cost:
            return level
    return -1.0


@njit(cache=True, nogil=True)
def _piece(h, ma, mb, k, cost, capped, near, at, payers, total, lowest):
    """(cost - money of S) / heads outside S at both ends, lowered by its rounding bound, for S the
    groups short at the end whose money is `at` (ma or mb; `total` and `lowest` its float sum and
    least): a lower bound on the equal payment."""
    if k == 0:
        return np.inf, np.inf
    found = NOBODY_SHORT
    if total >= cost:
        found, _, _, _, _ = _water_level(h, at, k, cost, payers, 0.0, capped, lowest, near)
    short_a = short_b = short_heads = 0.0
    if found == SETTLED:
        for i in range(k):
            if capped[i]:
                short_a += h[i] * ma[i]
                short_b += h[i] * mb[i]
                short_heads += h[i]
    pays = payers - short_heads
    if pays <= 0:
        return 0.0, 0.0
    slack = (k + 2) * _U
    piece_a = (cost - short_a * (1 + slack)) / pays
    piece_b = (cost - short_b * (1 + slack)) / pays
    return _lower(piece_a), _lower(piece_b)


@njit(cache=True, nogil=True)
def _first_below(a1, b1, a2, b2, a3, b3):
    """The first x in [0, 1] where the lines through (0, a_i) and (1, b_i) are all at most 0, moved a
    little earlier (a certified interval ends before it); 2.0 where there is none."""
    first, last = 0.0, 1.0
    for a, b in ((a1, b1), (a2, b2), (a3, b3)):
        if a > 0 and b > 0:
            return 2.0
        if a > 0:  # falls to 0 at the root
            first = max(first, a / (a - b))
        elif b > 0:  # rises above 0 after the root
            last = min(last, -a / (b - a))
    if first > last + 1e-9:
        return 2.0
    return first * (1 - 1e-9) - 1e-12


@njit(cache=True, nogil=True)
def _lower(x):
    """x moved down by more than the rounding of the few operations that made it."""
    return x - 4 * _U * abs(x)
