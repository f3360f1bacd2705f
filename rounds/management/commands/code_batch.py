"""Create a batch of voting codes and write its letters (one A4 page per code) to a PDF file."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rounds.letters import letters_context, letters_render
from rounds.models import Area, Round
from rounds.rules import RuleViolation
from rounds.services.codes import MAX_BATCH_SIZE, code_batch_create

PROGRESS_EVERY = 1000


class Command(BaseCommand):
    help = (
        "Create a batch of one-time voting codes for a round (and area) and write the letters to "
        "mail as one PDF. Run it per municipality: manage.py tenant_command code_batch "
        "--schema=<schema> --round <slug> --size N [--area <id>] --out letters.pdf. The plain "
        "codes exist only in that file: keep it safe and delete it once the letters are mailed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", required=True, dest="round_slug", help="The round's slug.")
        parser.add_argument(
            "--size", required=True, type=int, help=f"Number of codes, 1 to {MAX_BATCH_SIZE}."
        )
        parser.add_argument("--area", type=int, help="The id of the area the codes vote in.")
        parser.add_argument("--label", default="", help="A name for the batch, e.g. 'Skoler, 4.–6. klasse'.")
        parser.add_argument("--out", required=True, help="The PDF file to write (must not exist).")

    def handle(self, *args, round_slug, size, area, label, out, **options):
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
        path = Path(out)
        if path.exists():
            raise CommandError(f"{path} exists already; choose a new file name.", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.", returncode=2)
        started = time.monotonic()
        partial = path.with_name(f".{path.name}.partial")
        try:
            # One transaction: if writing the letters fails, no codes exist that nobody can read.
            with transaction.atomic():
                batch, codes = code_batch_create(pb_round=pb_round, size=size, area=area_obj, label=label)
                self.stdout.write(f"Created {size} codes; writing letters to {path} …")
                with open(partial, "wb") as handle:
                    pages = letters_render(
                        handle, codes, on_page=self._progress(size), **letters_context(batch)
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

    def _progress(self, total: int):
        def report(pages: int) -> None:
            if pages % PROGRESS_EVERY == 0 or pages == total:
                self.stdout.write(f"  {pages}/{total} letters")

        return report
