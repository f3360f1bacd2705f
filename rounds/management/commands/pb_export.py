"""Export a round's anonymised ballots as a Pabulib .pb file."""

from __future__ import annotations

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rounds.management.commands.pb_import import schema_context
from rounds.models import Round
from rounds.pb_round import round_pb_text


class Command(BaseCommand):
    help = (
        "Write a round's ballots as a Pabulib .pb file that pabutools and pb_import read: voter ids "
        "1..n, no names, receipts or times. Example: pb_export --schema aarhus --round 12 --out round.pb "
        "(without --out the file goes to stdout). Exits 2 on an unknown schema or round."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--schema", required=True, help="The municipality's schema, e.g. aarhus.")
        parser.add_argument("--round", required=True, help="The round's id (or slug).")
        parser.add_argument("--out", default="", help="Write to this file instead of stdout.")

    def handle(self, *args: object, **options) -> None:
        key = options["round"]
        with schema_context(options["schema"]):
            lookup = {"pk": int(key)} if key.isdigit() else {"slug": key}
            pb_round = Round.objects.filter(**lookup).first()
            if pb_round is None:
                raise CommandError(f"no round {key!r} in {options['schema']}", returncode=2)
            text, ballots = round_pb_text(pb_round)
        if not options["out"]:
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["out"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {options['out']}: {exc.strerror}", returncode=2) from None
        self.stdout.write(
            f"Wrote round {pb_round.pk} ({pb_round.slug}): {ballots} ballots to {options['out']}."
        )
