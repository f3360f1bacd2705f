"""Where the shared Pabulib files are: $PABULIB_DIR, else shared/pabulib beside the checkout."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PABULIB = Path(os.environ.get("PABULIB_DIR", ROOT.parent / "shared" / "pabulib"))
PB_FILES = sorted(PABULIB.glob("*.pb"))
FIXTURES = Path(__file__).with_name("fixtures")


def pb_path(stem: str) -> Path:
    path = PABULIB / f"{stem}.pb"
    if not path.exists():
        pytest.skip(f"{path} is not here (set PABULIB_DIR)")
    return path
