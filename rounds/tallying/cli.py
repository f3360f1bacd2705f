"""`pb_tally`: tally a Pabulib `.pb` file from the command line (the Django command wraps `run`)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TextIO

from rounds.pabulib import PbFormatError, election_from_pb, read_pb
from rounds.tallying import TallyOptions, tally
from rounds.tallying.types import Completion, TieBreak, Utility

RULES = ("greedy", "mes", "advisory")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="path of the .pb file")
    parser.add_argument("--rule", choices=RULES, default="greedy")
    parser.add_argument("--utility", choices=[u.value for u in Utility], default="cost")
    parser.add_argument("--completion", choices=[c.value for c in Completion], default="none")
    parser.add_argument("--count", choices=("votes", "points"), default="votes", help="greedy ranking")
    parser.add_argument(
        "--no-exhaustive-stop",
        action="store_true",
        help="add1/add1int: keep adding until over budget, even once the outcome is exhaustive",
    )
    parser.add_argument(
        "--tie-break",
        default="",
        help="comma-separated keys tried before the project id: " + ",".join(t.value for t in TieBreak),
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


class PbTallyError(Exception):
    """A problem to report in one line with exit status 2."""


def tally_file(args: argparse.Namespace) -> dict[str, object]:
    """Parse and tally; the summary pb_tally prints. Raises PbTallyError."""
    started = time.perf_counter()
    try:
        pb = read_pb(args.file)
        tie_breaking = tuple(TieBreak(k) for k in args.tie_break.split(",") if k)
    except (PbFormatError, ValueError) as exc:
        raise PbTallyError(f"{args.file}: {exc}") from None
    options = TallyOptions(
        count=args.count,
        utility=Utility(args.utility),
        completion=Completion(args.completion),
        exhaustive_stop=not args.no_exhaustive_stop,
        tie_breaking=tie_breaking,
    )
    result = tally(election_from_pb(pb), args.rule, options)
    spent = sum(pb.projects[pid].cost for pid in result.selected)
    return {
        "selected": list(result.selected or (pid for pid, _ in result.ranking)),
        "spent": spent if isinstance(spent, int) else float(spent),
        "rule": args.rule,
        "seconds": round(time.perf_counter() - started, 4),
    }


def render(summary: dict[str, object], as_json: bool) -> str:
    if as_json:
        return json.dumps(summary, ensure_ascii=False)
    selected = summary["selected"]
    assert isinstance(selected, list)
    return (
        f"{summary['rule']}: {len(selected)} projects, spent {summary['spent']} "
        f"in {summary['seconds']} s: {', '.join(selected)}"
    )


def run(argv: list[str], out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The pb_tally command without Django: prints the summary and returns the exit status."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = argparse.ArgumentParser(prog="pb_tally", description="Tally a Pabulib .pb file.")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        summary = tally_file(args)
    except PbTallyError as exc:
        print(f"error: {exc}", file=err)
        return 2
    print(render(summary, args.json), file=out)
    return 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
