"""Time two versions of the MES engine in one run, rule by rule, on the shared Pabulib files.

    .venv/bin/python benchmarks/compare_mes_versions.py --before REV [--cap S] [FILE_STEM ...]

Loads `rounds/tallying/mes.py` as it was at git revision REV next to the working tree's, and times
both on the same parsed election, alternating before/after per rule, so that both see about the same
load (this machine's timings drift by 2x within minutes). Prints one Markdown row per file: before and
after seconds for cost-utility `add1int_greedy` and `add1`, then cardinality-utility `add1int_greedy`
and `add1`, and says DIFFER where the two versions disagree on the outcome or the endowment. A rule
stopped after S seconds prints `>S`. Without file stems, every shared file, smallest first.
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rounds.pabulib import election_from_pb, read_pb  # noqa: E402
from rounds.tallying import Completion, TallyOptions, Utility  # noqa: E402
from rounds.tallying import mes as after  # noqa: E402
from tests.data.pabulib_files import pabulib_dir  # noqa: E402

RULES = [
    (Utility.COST, Completion.ADD1INT_GREEDY),
    (Utility.COST, Completion.ADD1),
    (Utility.CARDINALITY, Completion.ADD1INT_GREEDY),
    (Utility.CARDINALITY, Completion.ADD1),
]


class Stopped(Exception):
    pass


def load_before(rev: str):
    source = subprocess.run(
        ["git", "show", f"{rev}:rounds/tallying/mes.py"], cwd=ROOT, capture_output=True, text=True
    )
    if source.returncode != 0:
        sys.exit(f"cannot read rounds/tallying/mes.py at {rev}: {source.stderr.strip()}")
    path = Path(tempfile.mkdtemp()) / "mes_before.py"
    path.write_text(source.stdout)
    spec = importlib.util.spec_from_file_location("mes_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mes_before"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def timed(module, election, options: TallyOptions, cap: float):
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        result = module.mes_tally(election, options)
        return time.perf_counter() - started, result
    except Stopped:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", required=True, help="git revision of the engine to compare with")
    parser.add_argument("--cap", type=float, default=60, help="stop a rule after S seconds")
    parser.add_argument("stems", nargs="*", help="file stems (default: every shared file)")
    args = parser.parse_args()
    before = load_before(args.before)

    def stop(signum, frame):
        raise Stopped

    signal.signal(signal.SIGALRM, stop)
    files = sorted(pabulib_dir().glob("*.pb"), key=lambda p: p.stat().st_size)
    if args.stems:
        files = [p for p in files if p.stem in args.stems]
    print("| file | " + " | ".join(f"{u.value} {c.value} before | after" for u, c in RULES) + " |")
    print("|---|" + "---|---|" * len(RULES))
    for path in files:
        election = election_from_pb(read_pb(path))
        cells = []
        for utility, completion in RULES:
            options = TallyOptions(utility=utility, completion=completion)
            old_seconds, old = timed(before, election, options, args.cap)
            new_seconds, new = timed(after, election, options, args.cap)
            differ = old and new and (old.selected, old.endowment) != (new.selected, new.endowment)
            text = [f">{args.cap:.0f}" if s is None else f"{s:.2f}" for s in (old_seconds, new_seconds)]
            cells.append(f"{text[0]} | {text[1]}{' DIFFER' if differ else ''}")
        print(f"| {path.stem} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
