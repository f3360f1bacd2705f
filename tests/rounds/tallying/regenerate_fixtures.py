"""Recompute pabutools' outcomes on the shared Pabulib files and store them as test fixtures.

    .venv/bin/python tests/rounds/tallying/regenerate_fixtures.py [--only FILE_STEM] [--variant NAME]
        [--timeout S] [--force] [--end-game K]

Each (file, variant) runs in its own process with a time limit; one that times out is left out of
the fixture and the agreement test says so. Existing entries are kept unless --force is given.
Takes hours for every large file with add-one completion (pabutools needs minutes per file).

With --end-game K, an add-one variant that has no whole outcome (it timed out) gets an end game
instead: pabutools' own iterated MES started K steps before the step where our engine stops
(pabutools_end_game), with that step and pabutools' outcome. The agreement test then checks that
our engine still stops there, with pabutools' outcome: the last K steps and the stop, checked by
pabutools, where its whole loop would take hours (Budapest 2023 VIII: about 75,000 passes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tests.data.pabulib_files import pabulib_dir  # noqa: E402
from tests.rounds.tallying.pabutools_oracle import (  # noqa: E402
    VARIANTS,
    add_one_steps,
    is_add_one,
    pabutools_end_game,
    pabutools_outcome,
)

FIXTURES = Path(__file__).with_name("fixtures")
PABULIB = pabulib_dir()


def fixture_path(pb_file: Path) -> Path:
    return FIXTURES / f"{pb_file.stem}.json"


def _own_process(timeout: float, *args: str) -> str:
    """This script's output run with `args` in a process of its own, stopped after `timeout` s."""
    return subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, timeout=timeout, check=True
    ).stdout


def regenerate(pb_file: Path, timeout: float, force: bool, variants: list[str]) -> None:
    target = fixture_path(pb_file)
    data = json.loads(target.read_text()) if target.exists() else {}
    digest = hashlib.sha256(pb_file.read_bytes()).hexdigest()
    if data.get("sha256") != digest:
        data = {"sha256": digest, "outcomes": {}, "seconds": {}, "timeouts": {}}
    import pabutools

    data["pabutools"] = getattr(pabutools, "__version__", "1.2.3")
    for variant in variants:
        if variant in data["outcomes"] and not force:
            continue
        if data["timeouts"].get(variant, 0) >= timeout and not force:
            continue
        started = time.perf_counter()
        try:
            out = _own_process(timeout, "--one", str(pb_file), variant)
        except subprocess.TimeoutExpired:
            data["timeouts"][variant] = timeout
            print(f"{pb_file.stem} {variant}: timeout after {timeout} s", flush=True)
        else:
            data["outcomes"][variant] = json.loads(out)
            data["seconds"][variant] = round(time.perf_counter() - started, 2)
            data["timeouts"].pop(variant, None)
            print(f"{pb_file.stem} {variant}: {data['seconds'][variant]} s", flush=True)
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def our_step(pb_file: Path, variant: str) -> int:
    """How many whole steps past budget / voters our engine's add-one loop stops for `variant`."""
    from rounds.pabulib import election_from_pb, read_pb
    from rounds.tallying import tally

    election = election_from_pb(read_pb(pb_file))
    method, options, _ = VARIANTS[variant]
    steps = add_one_steps(election, tally(election, method, options))
    if steps.denominator != 1:
        raise ValueError(f"{pb_file.stem} {variant}: the loop stopped off the whole-step grid")
    return int(steps)


def end_game(pb_file: Path, timeout: float, force: bool, variants: list[str], before: int) -> None:
    target = fixture_path(pb_file)
    data = json.loads(target.read_text())
    games = data.setdefault("end_games", {})
    for variant in variants:
        if not is_add_one(variant) or variant in data["outcomes"]:
            continue
        if variant in games and not force:
            continue
        step = our_step(pb_file, variant)
        start = max(step - before, 0)
        started = time.perf_counter()
        try:
            out = _own_process(timeout, "--end-one", str(pb_file), variant, str(start))
        except subprocess.TimeoutExpired:
            print(f"{pb_file.stem} {variant} end game: timeout after {timeout} s", flush=True)
            continue
        seconds = round(time.perf_counter() - started, 2)
        games[variant] = {
            "from_step": start,
            "our_step": step,
            "outcome": json.loads(out),
            "seconds": seconds,
        }
        print(
            f"{pb_file.stem} {variant} end game from step {start} (ours stops at {step}): {seconds} s",
            flush=True,
        )
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--variant", action="append", default=[], choices=list(VARIANTS))
    parser.add_argument("--end-game", type=int, metavar="K", help="pabutools' last K add-one steps only")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--end-one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(pabutools_outcome(*args.one)))
        return
    if args.end_one:
        path, variant, start = args.end_one
        print(json.dumps(pabutools_end_game(path, variant, int(start))))
        return
    FIXTURES.mkdir(exist_ok=True)
    files = sorted(PABULIB.glob("*.pb"), key=lambda p: p.stat().st_size)
    for pb_file in files:
        if not args.only or pb_file.stem in args.only:
            if args.end_game is not None:
                end_game(pb_file, args.timeout, args.force, args.variant or list(VARIANTS), args.end_game)
            else:
                regenerate(pb_file, args.timeout, args.force, args.variant or list(VARIANTS))


if __name__ == "__main__":
    main()
