"""Recompute pabutools' outcomes on the shared Pabulib files and store them as test fixtures.

    .venv/bin/python tests/rounds/tallying/regenerate_fixtures.py [--only FILE_STEM] [--variant NAME]
        [--timeout S] [--force]

Each (file, variant) runs in its own process with a time limit; one that times out is left out of
the fixture and the agreement test says so. Existing entries are kept unless --force is given.
Takes hours for every large file with add-one completion (pabutools needs minutes per file).
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
from tests.rounds.tallying.pabutools_oracle import VARIANTS, pabutools_outcome  # noqa: E402

FIXTURES = Path(__file__).with_name("fixtures")
PABULIB = pabulib_dir()


def fixture_path(pb_file: Path) -> Path:
    return FIXTURES / f"{pb_file.stem}.json"


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
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(pb_file), variant],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=True,
            ).stdout
        except subprocess.TimeoutExpired:
            data["timeouts"][variant] = timeout
            print(f"{pb_file.stem} {variant}: timeout after {timeout} s", flush=True)
        else:
            data["outcomes"][variant] = json.loads(out)
            data["seconds"][variant] = round(time.perf_counter() - started, 2)
            data["timeouts"].pop(variant, None)
            print(f"{pb_file.stem} {variant}: {data['seconds'][variant]} s", flush=True)
        target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--variant", action="append", default=[], choices=list(VARIANTS))
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(pabutools_outcome(*args.one)))
        return
    FIXTURES.mkdir(exist_ok=True)
    files = sorted(PABULIB.glob("*.pb"), key=lambda p: p.stat().st_size)
    for pb_file in files:
        if not args.only or pb_file.stem in args.only:
            regenerate(pb_file, args.timeout, args.force, args.variant or list(VARIANTS))


if __name__ == "__main__":
    main()
