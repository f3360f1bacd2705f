"""Where the Pabulib files are: $PABULIB_DIR, else the repository's copies (tests/data/pabulib_files.py)."""

import functools
from pathlib import Path

import pytest

from rounds.pabulib import PbFile, election_from_pb, read_pb
from rounds.tallying import Election
from tests.data.pabulib_files import pabulib_dir

ROOT = Path(__file__).resolve().parents[3]
PABULIB = pabulib_dir()
PB_FILES = sorted(PABULIB.glob("*.pb"))
FIXTURES = Path(__file__).with_name("fixtures")


def pb_path(stem: str) -> Path:
    path = PABULIB / f"{stem}.pb"
    if not path.exists():
        pytest.skip(f"{path} is not here (set PABULIB_DIR)")
    return path


@functools.cache
def _parsed(path: Path) -> tuple[PbFile, Election]:
    pb = read_pb(path)
    return pb, election_from_pb(pb)


def parsed(path: Path) -> tuple[PbFile, Election]:
    """The file and its Election, parsed once per test session (the large files take a while)."""
    return _parsed(path)
