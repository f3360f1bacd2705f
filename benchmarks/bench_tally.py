"""Time our tally engine against pabutools on Lodz 2022 and a generated 100,000-voter election.

    .venv/bin/python benchmarks/bench_tally.py [--no-pabutools] [--all-files [--stepwise] [--cap S]
        [--only NAME ...]] [--repeat N]

Prints one row per (instance, rule): our seconds (best of --repeat), pabutools' seconds in its faster
mode (profile.as_multiprofile()), the ratio and whether the winners agree. pabutools takes about
15 s per rule on these instances; --no-pabutools skips it. --all-files also times every rule and
completion of ours on every shared Pabulib file, parsing included; --stepwise adds the add-one
completions run one full pass per endowment step (the loop before it learnt to skip steps), for the
ratio.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import random
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rounds.pabulib import election_from_pb, read_pb  # noqa: E402
from rounds.tallying import (  # noqa: E402
    Ballot,
    Completion,
    Election,
    Project,
    TallyOptions,
    Utility,
    mes,
    tally,
)
from tests.data.pabulib_files import pabulib_dir  # noqa: E402

PABULIB = pabulib_dir()  # the repository's copies (tests/data/pabulib/), or $PABULIB_DIR
RULES: dict[str, tuple[str, TallyOptions]] = {
    "greedy": ("greedy", TallyOptions()),
    "mes (cost, none)": ("mes", TallyOptions()),
    "mes (cost, add1int)": ("mes", TallyOptions(completion=Completion.ADD1INT)),
    "mes (cost, add1int_greedy)": ("mes", TallyOptions(completion=Completion.ADD1INT_GREEDY)),
    # The same, one full pass per endowment step (the loop before it learnt to skip steps).
    "mes (cost, add1int) stepwise": ("mes", TallyOptions(completion=Completion.ADD1INT)),
}


def generated(voters: int = 100_000, projects: int = 200, seed: int = 2024) -> Election:
    """Approval ballots of 1-5 projects, popularity skewed like real PB; budget 30% of all costs."""
    rng = random.Random(seed)
    items = tuple(Project(f"P{i:03d}", rng.randrange(10, 500) * 1000) for i in range(projects))
    popularity = [1 / (i + 1) ** 0.8 for i in range(projects)]
    ballots = []
    for _ in range(voters):
        size = rng.randint(1, 5)
        chosen = {items[i].id for i in rng.choices(range(projects), weights=popularity, k=size)}
        ballots.append(Ballot(tuple(sorted(chosen))))
    return Election(items, tuple(ballots), sum(p.cost for p in items) * 3 // 10)


def best_time(work: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def pabutools_run(election: Election, rule: str) -> tuple[float, list[str]] | None:
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
    from pabutools.election import Project as PabuProject
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    if rule not in ("greedy", "mes (cost, none)"):
        return None  # pabutools has no whole-unit add-one; its own add-one takes minutes here.
    by_id = {p.id: PabuProject(p.id, p.cost) for p in election.projects}
    instance = Instance(by_id.values(), budget_limit=election.budget)
    ballots = [
        ApprovalBallot(by_id[pid] for pid in b.projects) for b in election.ballots for _ in range(b.weight)
    ]
    profile = ApprovalProfile(ballots, instance=instance).as_multiprofile()
    started = time.perf_counter()
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    return time.perf_counter() - started, [p.name for p in outcome]


def compare(name: str, election: Election, with_pabutools: bool, repeat: int, rules: list[str]) -> None:
    for rule in rules:
        method, options = RULES[rule]
        with stepwise_add_one() if rule.endswith("stepwise") else contextlib.nullcontext():
            ours, result = best_time(lambda m=method, o=options: tally(election, m, o), repeat)
        theirs = pabutools_run(election, rule) if with_pabutools else None
        if theirs is None:
            print(f"| {name} | {rule} | {ours:.3f} | - | - | - |")
            continue
        seconds, winners = theirs
        agree = "yes" if sorted(winners) == sorted(result.selected) else "NO"
        print(f"| {name} | {rule} | {ours:.3f} | {seconds:.2f} | {seconds / ours:.0f}x | {agree} |")


ADD_ONE = (Completion.ADD1, Completion.ADD1_GREEDY, Completion.ADD1INT, Completion.ADD1INT_GREEDY)


@contextlib.contextmanager
def stepwise_add_one() -> Iterator[None]:
    """Run the add-one completions one full pass per step, as before the skipping loop (for the ratio)."""
    saved = mes.add_one
    mes.add_one = mes.add_one_stepwise
    try:
        yield
    finally:
        mes.add_one = saved


class TimeLimit(Exception):
    pass


def capped_time(work: Callable[[], object], cap: float) -> float:
    """Seconds `work` takes, or inf once it runs past `cap` seconds (it is interrupted)."""

    def stop(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        work()
    except TimeLimit:
        return math.inf
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return time.perf_counter() - started


def seconds(value: float, cap: float) -> str:
    return f">{cap:.0f}" if value == math.inf else f"{value:.2f}"


def every_file(stepwise: bool, cap: float, only: list[str]) -> None:
    """Per shared file: parsing, then the slowest variant of each rule family, then the add-one rules.

    With `stepwise`, the two cost-utility add-one rules also run one full pass per endowment step, as
    before the skipping loop (stopped after `cap` seconds).
    """
    head = "| file | voters | parse | greedy | MES none/greedy | add1int_greedy | add1 | slowest add-one |"
    rule = "|---|---|---|---|---|---|---|---|"
    if stepwise:
        head += " add1int_greedy stepwise | add1 stepwise |"
        rule += "---|---|"
    print("\n" + head + " parse + slowest |\n" + rule + "---|")
    for path in sorted(PABULIB.glob("*.pb"), key=lambda p: p.stat().st_size):
        if only and not any(part in path.stem for part in only):
            continue
        started = time.perf_counter()
        election = election_from_pb(read_pb(path))
        parse = time.perf_counter() - started

        def timed(method: str, options: TallyOptions, e: Election = election) -> float:
            return capped_time(lambda: tally(e, method, options), cap)

        greedy = max(timed("greedy", TallyOptions(count=c)) for c in ("votes", "points"))
        plain = max(
            timed("mes", TallyOptions(utility=u, completion=c))
            for u in Utility
            for c in (Completion.NONE, Completion.GREEDY)
        )
        add_one = {
            (u, c): timed("mes", TallyOptions(utility=u, completion=c)) for u in Utility for c in ADD_ONE
        }
        cost_int = add_one[Utility.COST, Completion.ADD1INT_GREEDY]
        cost_add1 = add_one[Utility.COST, Completion.ADD1]
        slowest = max(add_one.values())
        row = [path.stem, str(sum(b.weight for b in election.ballots)), f"{parse:.2f}"]
        row += [seconds(x, cap) for x in (greedy, plain, cost_int, cost_add1, slowest)]
        if stepwise:
            with stepwise_add_one():
                row += [
                    seconds(timed("mes", TallyOptions(completion=c)), cap)
                    for c in (Completion.ADD1INT_GREEDY, Completion.ADD1)
                ]
        row.append(seconds(parse + max(greedy, plain, slowest), cap))
        print("| " + " | ".join(row) + " |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-pabutools", action="store_true", help="skip the slow pabutools runs")
    parser.add_argument("--all-files", action="store_true", help="also time every rule on every shared file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of ours per rule; the best counts")
    parser.add_argument(
        "--stepwise", action="store_true", help="with --all-files, also time add-one one pass per step"
    )
    parser.add_argument("--cap", type=float, default=40, help="with --all-files, stop a rule after S seconds")
    parser.add_argument("--only", action="append", default=[], help="with --all-files, only files named so")
    args = parser.parse_args()
    print("| instance | rule | ours s | pabutools s | ratio | same winners |")
    print("|---|---|---|---|---|---|")
    lodz = PABULIB / "Poland_Lodz_2022.pb"
    if lodz.exists():
        started = time.perf_counter()
        election = election_from_pb(read_pb(lodz))
        print(f"| Lodz 2022 | parse | {time.perf_counter() - started:.3f} | - | - | - |")
        compare("Lodz 2022", election, not args.no_pabutools, args.repeat, list(RULES))
    # Whole-unit add-one is left out here: with 200 projects costing up to 500,000 it needs hundreds
    # of passes (about a minute); the Lodz rows and --all-files cover it on real elections.
    generated_rules = ["greedy", "mes (cost, none)"]
    compare("generated 100k x 200", generated(), not args.no_pabutools, args.repeat, generated_rules)
    if args.all_files:
        every_file(args.stepwise, args.cap, args.only)


if __name__ == "__main__":
    main()
