"""Read and write Pabulib `.pb` files (docs in shared/pb-format.md) as plain data.

Invalid input raises PbFormatError with one line naming the section and the line number.
No Django here: the pb_tally command and the tests use this module directly.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from math import lcm
from typing import NamedTuple

from rounds.tallying.types import Ballot, BallotKind, Election, Project

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "ordinal", "cumulative", "scoring", "choose-1")
REQUIRED_META = ("num_projects", "num_votes", "budget", "vote_type")
# Pabulib marks a withdrawn project that stayed on the ballot with this cost; it never fits.
WITHDRAWN_COST = 999_999_999


class PbFormatError(ValueError):
    """A `.pb` file that cannot be read; the message is one line with section and line number."""


@dataclass(frozen=True, slots=True)
class PbProject:
    project_id: str
    cost: int | Fraction
    # Every other column, as text, keyed by header name (name, votes, score, selected, category, ...).
    fields: dict[str, str]

    @property
    def selected(self) -> int | None:
        value = self.fields.get("selected")
        return int(value) if value else None


class PbVote(NamedTuple):
    # A NamedTuple rather than a dataclass: building 130k of them is a third of the parse time otherwise.
    voter_id: str
    vote: tuple[str, ...]
    points: tuple[int | Fraction, ...] | None
    # Cells of the columns other than voter_id, vote and points, aligned with PbFile.vote_extra_columns.
    extra: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PbFile:
    meta: dict[str, str]
    projects: dict[str, PbProject]
    votes: tuple[PbVote, ...]
    project_columns: tuple[str, ...]
    vote_extra_columns: tuple[str, ...]

    @property
    def budget(self) -> int | Fraction:
        return parse_number(self.meta["budget"].replace(",", "."))

    @property
    def vote_type(self) -> str:
        return self.meta["vote_type"].strip().lower()

    def official_selection(self) -> tuple[str, ...] | None:
        """Projects the file records as funded by the official rule (`selected` = 1), or None if unknown."""
        if "selected" not in self.project_columns:
            return None
        return tuple(pid for pid, p in self.projects.items() if p.selected == 1)


def parse_number(text: str) -> int | Fraction:
    """An int when the text is integral (`4000.0` too), else an exact Fraction. Raises ValueError."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        value = Fraction(text)
    return value.numerator if value.denominator == 1 else value


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    value = row[index].strip()
    return "" if value.lower() == "none" else value


class _Reader:
    """A CSV reader over the whole text that knows the line number of the row it returned last."""

    def __init__(self, text: str) -> None:
        self._rows = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
        self._pending: list[str] | None = None

    @property
    def line(self) -> int:
        # A pushed-back row is always the last one read, so the CSV reader's count stays right.
        return self._rows.line_num

    def next_row(self) -> list[str] | None:
        if self._pending is not None:
            row, self._pending = self._pending, None
            return row
        for row in self._rows:
            if row and "".join(row).strip():
                return row
        return None

    def rows(self) -> Iterator[list[str]]:
        """The data rows of the current section; stops before the next section title."""
        if self._pending is not None:
            return
        for row in self._rows:
            # Titles and blank lines have one non-empty cell at most; data rows have two or more.
            if len(row) < 2 or not row[1]:
                if not "".join(row).strip():
                    continue
                if _section_title(row) is not None:
                    self._pending = row
                    return
            yield row


def _section_title(row: list[str]) -> str | None:
    title = row[0].strip().lower()
    return title if title in SECTIONS and all(not c.strip() for c in row[1:]) else None


def _start_section(reader: _Reader, name: str, first_column: str) -> list[str]:
    row = reader.next_row()
    if row is None or _section_title(row) != name:
        where = "end of file" if row is None else f"line {reader.line}"
        raise PbFormatError(f"missing section {name.upper()} (expected at {where})")
    header = reader.next_row()
    if header is None or _section_title(header) is not None:
        raise PbFormatError(f"{name.upper()} line {reader.line}: missing header line")
    header = [h.strip() for h in header]
    if header[0].lower() != first_column:
        raise PbFormatError(
            f"{name.upper()} line {reader.line}: header must start with {first_column!r}, got {header[0]!r}"
        )
    return header


def _parse_meta(reader: _Reader) -> dict[str, str]:
    _start_section(reader, "meta", "key")
    meta: dict[str, str] = {}
    for row in reader.rows():
        meta[row[0].strip()] = row[1].strip() if len(row) > 1 else ""
    for key in REQUIRED_META:
        if not meta.get(key):
            raise PbFormatError(f"META: required key {key!r} is missing")
    for key in ("num_projects", "num_votes"):
        if not meta[key].isdigit():
            raise PbFormatError(f"META: {key} must be a whole number, got {meta[key]!r}")
    try:
        parse_number(meta["budget"].replace(",", "."))
    except (ValueError, ZeroDivisionError):
        raise PbFormatError(f"META: budget is not a number: {meta['budget']!r}") from None
    if meta["vote_type"].lower() not in VOTE_TYPES:
        raise PbFormatError(f"META: unknown vote_type {meta['vote_type']!r}")
    return meta


def _parse_projects(reader: _Reader, declared: int) -> tuple[dict[str, PbProject], tuple[str, ...]]:
    header = _start_section(reader, "projects", "project_id")
    if "cost" not in header:
        raise PbFormatError(f"PROJECTS line {reader.line}: header has no 'cost' column")
    cost_at = header.index("cost")
    others = [(i, name) for i, name in enumerate(header) if i not in (0, cost_at)]
    projects: dict[str, PbProject] = {}
    for row in reader.rows():
        pid = _cell(row, 0)
        if not pid:
            raise PbFormatError(f"PROJECTS line {reader.line}: empty project_id")
        if pid in projects:
            raise PbFormatError(f"PROJECTS line {reader.line}: duplicate project_id {pid!r}")
        raw_cost = _cell(row, cost_at)
        try:
            cost = parse_number(raw_cost.replace(",", "."))
        except (ValueError, ZeroDivisionError):
            raise PbFormatError(
                f"PROJECTS line {reader.line}: cost of project {pid!r} is not a number: {raw_cost!r}"
            ) from None
        if cost < 0:
            raise PbFormatError(f"PROJECTS line {reader.line}: cost of project {pid!r} is negative")
        projects[pid] = PbProject(pid, cost, {name: _cell(row, i) for i, name in others})
    if len(projects) != declared:
        raise PbFormatError(
            f"PROJECTS: META num_projects is {declared} but the section has {len(projects)} rows"
        )
    return projects, tuple(header)


def _parse_points(cell: str, count: int, line: int) -> tuple[int | Fraction, ...]:
    parts = cell.split(",") if cell else []
    if len(parts) != count:
        raise PbFormatError(f"VOTES line {line}: {len(parts)} points for {count} projects")
    try:
        return tuple(int(p) if p.strip().isdigit() else parse_number(p) for p in parts)
    except (ValueError, ZeroDivisionError):
        raise PbFormatError(f"VOTES line {line}: points are not numbers: {cell!r}") from None


def _parse_votes(
    reader: _Reader, project_ids: dict[str, PbProject], vote_type: str, declared: int
) -> tuple[tuple[PbVote, ...], tuple[str, ...]]:
    header = _start_section(reader, "votes", "voter_id")
    if "vote" not in header:
        raise PbFormatError(f"VOTES line {reader.line}: header has no 'vote' column")
    vote_at = header.index("vote")
    points_at = header.index("points") if "points" in header else None
    needs_points = vote_type in ("cumulative", "scoring")
    if needs_points and points_at is None:
        raise PbFormatError(f"VOTES line {reader.line}: {vote_type} votes need a 'points' column")
    extra_at = [i for i in range(1, len(header)) if i not in (vote_at, points_at)]
    width = len(header)
    known = frozenset(project_ids)
    votes: list[PbVote] = []
    append = votes.append
    # The hot loop of the parser (130k rows on the largest files): no per-cell helper calls on
    # well-formed rows; _cell handles short rows and stray spaces.
    for row in reader.rows():
        if len(row) < width:
            row = row + [""] * (width - len(row))
        cell = row[vote_at]
        if " " in cell or cell.lower() == "none":
            cell = _cell(row, vote_at)
        vote = tuple(cell.split(",")) if cell else ()
        if " " in cell:
            vote = tuple(v.strip() for v in vote)
        listed = set(vote)
        if not listed <= known:
            unknown = next(v for v in vote if v not in known)
            raise PbFormatError(f"VOTES line {reader.line}: vote names unknown project {unknown!r}")
        if len(listed) != len(vote):
            raise PbFormatError(f"VOTES line {reader.line}: a project is listed twice in one vote")
        points = _parse_points(_cell(row, points_at), len(vote), reader.line) if needs_points else None
        append(PbVote(row[0].strip(), vote, points, tuple([row[i].strip() for i in extra_at])))
    if len(votes) != declared:
        raise PbFormatError(f"VOTES: META num_votes is {declared} but the section has {len(votes)} rows")
    return tuple(votes), tuple(header[i] for i in extra_at)


def parse_pb(text: str) -> PbFile:
    """Parse the text of a `.pb` file. Raises PbFormatError."""
    reader = _Reader(text.removeprefix("\ufeff"))
    meta = _parse_meta(reader)
    projects, project_columns = _parse_projects(reader, int(meta["num_projects"]))
    vote_type = meta["vote_type"].lower()
    votes, vote_extra = _parse_votes(reader, projects, vote_type, int(meta["num_votes"]))
    if (row := reader.next_row()) is not None:
        raise PbFormatError(f"line {reader.line}: unexpected section {row[0].strip()!r} after VOTES")
    return PbFile(meta, projects, votes, project_columns, vote_extra)


def read_pb(path: str | os.PathLike[str]) -> PbFile:
    """Parse a `.pb` file from disk. Raises PbFormatError, also for unreadable files."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PbFormatError(f"cannot read {os.fspath(path)}: {exc}") from None
    return parse_pb(text)


def _number_text(value: int | Fraction) -> str:
    if isinstance(value, int):
        return str(value)
    return str(value.numerator / value.denominator)


def write_pb(pb: PbFile) -> str:
    """The `.pb` text for `pb`: META, PROJECTS and VOTES in the order they were read, LF line endings."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\n")
    meta = dict(pb.meta, num_projects=str(len(pb.projects)), num_votes=str(len(pb.votes)))
    out.write("META\n")
    writer.writerow(["key", "value"])
    writer.writerows(meta.items())
    out.write("PROJECTS\n")
    writer.writerow(pb.project_columns)
    for p in pb.projects.values():
        cells = {"project_id": p.project_id, "cost": _number_text(p.cost), **p.fields}
        writer.writerow([cells.get(col, "") for col in pb.project_columns])
    has_points = any(v.points is not None for v in pb.votes)
    out.write("VOTES\n")
    writer.writerow(["voter_id", "vote", *(["points"] if has_points else []), *pb.vote_extra_columns])
    for v in pb.votes:
        points = [",".join(_number_text(x) for x in v.points or ())] if has_points else []
        writer.writerow([v.voter_id, ",".join(v.vote), *points, *v.extra])
    return out.getvalue()


def _money_scale(pb: PbFile) -> int:
    # Exact arithmetic on integers: a file with decimal costs is tallied in its smallest unit.
    values = [pb.budget, *(p.cost for p in pb.projects.values())]
    return lcm(*(v.denominator for v in values if isinstance(v, Fraction)), 1)


def election_from_pb(pb: PbFile) -> Election:
    """The tally engine's Election for a parsed file.

    choose-1 is read as approval. Scoring ballots are read as cumulative (their points kept), and
    ordinal rankings keep their order so greedy can count Borda points. Identical
    ballots are merged into one with a weight. Decimal money is scaled to
    whole units of its finest decimal (the scale is the only change).
    """
    scale = _money_scale(pb)
    kind = {
        "approval": BallotKind.APPROVAL,
        "choose-1": BallotKind.APPROVAL,
        "ordinal": BallotKind.ORDINAL,
        "cumulative": BallotKind.CUMULATIVE,
        "scoring": BallotKind.CUMULATIVE,
    }[pb.vote_type]
    if kind is BallotKind.APPROVAL and pb.meta.get("max_sum_cost"):
        kind = BallotKind.KNAPSACK
    projects = tuple(Project(pid, int(p.cost * scale)) for pid, p in pb.projects.items())
    # Identical ballots become one weighted Ballot: most large files have far fewer distinct ballots
    # than voters, and every rule counts a weighted ballot exactly like its copies.
    if kind is BallotKind.CUMULATIVE:
        counted = Counter((v.vote, tuple(int(x) for x in v.points or ())) for v in pb.votes)
        ballots = tuple(Ballot(vote, points, n) for (vote, points), n in counted.items())
    elif kind is BallotKind.ORDINAL:
        ballots = tuple(Ballot(vote, None, n) for vote, n in Counter(v.vote for v in pb.votes).items())
    else:
        as_sets: Counter[tuple[str, ...]] = Counter()
        for vote, n in Counter(v.vote for v in pb.votes).items():
            as_sets[tuple(sorted(vote))] += n
        ballots = tuple(Ballot(vote, None, n) for vote, n in as_sets.items())
    return Election(projects, ballots, int(pb.budget * scale), kind)
