"""Import proposals from a CSV file (e.g. proposals handed in on paper), all or nothing.

The columns are those of the console's proposal export (rounds/console/exports.py); columns the
import does not know (id, status, votes, ...) are ignored, so an export imports again as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rounds.models import Proposal, Round
from rounds.rules import RuleViolation
from rounds.services.audit import audit_record
from rounds.services.proposals import proposal_submit

REQUIRED_COLUMNS = ("title", "description", "cost", "author_name")
OPTIONAL_COLUMNS = ("summary", "author_email", "area", "theme")


@dataclass(frozen=True)
class RowError:
    row: int  # the line number in the file, the header being line 1
    message: str


class ImportRefused(Exception):
    """Nothing was imported; `errors` says why, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problems")


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = list(reader)
    return [c.strip() for c in (reader.fieldnames or [])], rows


def _clean(pb_round: Round, number: int, row: dict[str, str], errors: list[RowError]) -> dict | None:
    values = {k.strip(): (v or "").strip() for k, v in row.items() if k}
    before = len(errors)
    for column in ("title", "description", "author_name"):
        if not values.get(column):
            errors.append(RowError(number, _("The column “%(column)s” is empty.") % {"column": column}))
    raw_cost = values.get("cost", "").replace(".", "").replace(" ", "").removesuffix("kr")
    cost = int(raw_cost) if raw_cost.isdigit() else None
    if cost is None:
        errors.append(
            RowError(
                number, _("“%(value)s” is not an amount in whole kroner.") % {"value": values.get("cost", "")}
            )
        )
    area = theme = None
    if values.get("area"):
        area = pb_round.areas.filter(name=values["area"]).first()
        if area is None:
            errors.append(RowError(number, _("The round has no area “%(name)s”.") % {"name": values["area"]}))
    if values.get("theme"):
        theme = pb_round.themes.filter(name=values["theme"]).first()
        if theme is None:
            errors.append(
                RowError(number, _("The round has no theme “%(name)s”.") % {"name": values["theme"]})
            )
    if len(errors) > before:
        return None
    return {
        "title": values["title"],
        "summary": values.get("summary", ""),
        "description": values["description"],
        "cost": cost,
        "author_name": values["author_name"],
        "author_email": values.get("author_email", ""),
        "area": area,
        "theme": theme,
    }


def proposals_import_csv(*, pb_round: Round, text: str, actor) -> list[Proposal]:
    """Submit one proposal per row, through the same rules as a citizen's proposal.

    Raises ImportRefused with every row's problems (missing columns, empty fields, amounts,
    unknown areas or themes, and the round's rules, e.g. over the cap or phase closed); then
    nothing is imported.
    """
    columns, rows = _rows(text.lstrip("\ufeff"))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportRefused(
            [RowError(1, _("The file has no column “%(column)s”.") % {"column": c}) for c in missing]
        )
    if not rows:
        raise ImportRefused([RowError(1, _("The file has no proposals."))])
    errors: list[RowError] = []
    cleaned = [(number, _clean(pb_round, number, row, errors)) for number, row in enumerate(rows, start=2)]
    # The rows that parsed are submitted too, so the round's rules are reported in the same pass.
    with transaction.atomic():
        created = []
        for number, values in cleaned:
            if values is None:
                continue
            try:
                with transaction.atomic():
                    created.append(proposal_submit(pb_round=pb_round, author=None, **values))
            except RuleViolation as exc:
                errors.append(RowError(number, exc.message))
            except ValidationError as exc:
                errors.extend(RowError(number, message) for message in exc.messages)
        if errors:
            # Leaving the atomic block with an exception undoes every row.
            raise ImportRefused(sorted(errors, key=lambda e: e.row))
        audit_record(
            actor=actor, action="proposals_import", obj=pb_round, new={"proposals": [p.pk for p in created]}
        )
    return created
