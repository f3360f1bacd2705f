"""Create a batch of voting codes and write its letters (one A4 page per code) to a PDF file."""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from rounds.letters import DRAWING, WRITING, letters_context, letters_render
from rounds.management.commands.pb_import import schema_context
from rounds.models import Area, Round
from rounds.rules import RuleViolation
from rounds.services.codes import CODES, MAX_BATCH_SIZE, code_batch_create

PROGRESS_LABELS = {CODES: "Codes", DRAWING: "Letters drawn", WRITING: "Letters written to the PDF"}


class Command(BaseCommand):
    help = (
        "Create a batch of one-time voting codes for a round (and area) and write the letters to "
        "mail as one PDF: code_batch --schema <schema> --round <slug> --size N [--area <id>] "
        "--out letters.pdf (or through tenant_command code_batch --schema=<schema> ...). Progress "
        "goes to stderr, the summary to stdout. The plain codes exist only in that file: keep it "
        "safe and delete it once the letters are mailed. Exits 2 on bad input; nothing is created then."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="The municipality's schema, e.g. aarhus.")
        parser.add_argument("--round", required=True, dest="round_slug", help="The round's slug.")
        parser.add_argument(
            "--size", required=True, type=int, help=f"Number of codes, 1 to {MAX_BATCH_SIZE}."
        )
        parser.add_argument("--area", type=int, help="The id of the area the codes vote in.")
        parser.add_argument("--label", default="", help="A name for the batch, e.g. 'Skoler, 4.–6. klasse'.")
        parser.add_argument("--out", required=True, help="The PDF file to write (must not exist).")

    def handle(self, *args, schema, round_slug, size, area, label, out, **options):
        with schema_context(schema) if schema else nullcontext():
            if connection.schema_name == get_public_schema_name():
                raise CommandError(
                    "Which municipality? Give --schema <schema> (or run it through tenant_command).",
                    returncode=2,
                )
            self._create(round_slug=round_slug, size=size, area=area, label=label, path=Path(out))

    def _create(self, *, round_slug: str, size: int, area: int | None, label: str, path: Path) -> None:
        pb_round = Round.objects.filter(slug=round_slug).first()
        if pb_round is None:
            raise CommandError(f"No round with the slug {round_slug!r} in this municipality.", returncode=2)
        area_obj = None
        if area is not None:
            area_obj = Area.objects.filter(pk=area, round=pb_round).first()
            if area_obj is None:
                choices = ", ".join(f"{a.pk} ({a.name})" for a in pb_round.areas.all()) or "none"
                raise CommandError(
                    f"Area {area} is not an area of this round; its areas: {choices}.", returncode=2
                )
        if path.exists():
            raise CommandError(f"{path} exists already; choose a new file name.", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.", returncode=2)
        started = time.monotonic()
        partial = path.with_name(f".{path.name}.partial")
        report = self._progress(size)
        try:
            # One transaction: if writing the letters fails, no codes exist that nobody can read.
            with transaction.atomic():
                batch, codes = code_batch_create(
                    pb_round=pb_round, size=size, area=area_obj, label=label, on_progress=report
                )
                with open(partial, "wb") as handle:
                    pages = letters_render(
                        handle, codes, on_progress=report, every=self._every(size), **letters_context(batch)
                    )
                os.replace(partial, path)
        except RuleViolation as exc:
            raise CommandError(exc.message, returncode=2) from None
        finally:
            partial.unlink(missing_ok=True)
        megabytes = path.stat().st_size / 1_000_000
        self.stdout.write(
            f"Batch {batch.pk}: {size} codes for {pb_round.title}"
            f"{f' ({area_obj.name})' if area_obj else ''}, {pages} letters in {path} "
            f"({megabytes:.1f} MB, {time.monotonic() - started:.0f} s)."
        )

    @staticmethod
    def _every(size: int) -> int:
        return max(1000, size // 10)  # at most about ten lines per step

    def _progress(self, total: int):
        """Lines like "Letters drawn: 10,000 / 50,000" on stderr, so stdout keeps only the summary."""
        every = self._every(total)

        def report(step: str, done: int) -> None:
            if done % every == 0 or done == total:
                self.stderr.write(f"{PROGRESS_LABELS[step]}: {done:,} / {total:,}", style_func=str)

        return report
