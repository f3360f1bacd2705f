"""The Pabulib elections the tests and benchmarks use, wherever the checkout is.

The 21 files (tests/data/pabulib/SOURCES.md says where they come from) are kept gzip-compressed in
the repository (4 MB instead of 20 MB) and unpacked once into `.data/pabulib/`, so every test sees
plain `.pb` files with their original names. PABULIB_DIR points at another folder of `.pb` files
instead (e.g. the shared folder beside the checkout).
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKED = Path(__file__).with_name("pabulib")
UNPACKED = ROOT / ".data" / "pabulib"


def pabulib_dir() -> Path:
    """A folder with the `.pb` files: $PABULIB_DIR, else the repository's files unpacked."""
    if configured := os.environ.get("PABULIB_DIR"):
        return Path(configured)
    UNPACKED.mkdir(parents=True, exist_ok=True)
    for packed in sorted(PACKED.glob("*.pb.gz")):
        target = UNPACKED / packed.name.removesuffix(".gz")
        if not target.exists() or target.stat().st_mtime < packed.stat().st_mtime:
            data = gzip.decompress(packed.read_bytes())
            partial = target.with_name(f"{target.name}.{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(target)  # atomic: a concurrent run never reads half a file
    return UNPACKED
