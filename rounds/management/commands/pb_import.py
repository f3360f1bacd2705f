"""Import a finished vote from a Pabulib .pb file into one municipality as a round with its result."""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from django_tenants.utils import get_public_schema_name, get_tenant_model, tenant_context

from rounds.pabulib import PbFormatError, read_pb
from rounds.services.pb_import import BALLOTS, RESULT, PbImportError, round_import_pb


@contextmanager
def schema_context(schema: str):
    """Run the block in the municipality whose schema is `schema`. Raises CommandError (exit 2)."""
    model = get_tenant_model()
    tenant = model.objects.exclude(schema_name=get_public_schema_name()).filter(schema_name=schema).first()
    if tenant is None:
        raise CommandError(f"no municipality has the schema {schema!r}", returncode=2)
    with tenant_context(tenant):
        yield tenant


class Command(BaseCommand):
    help = (
        "Import a vote that already happened (a Pabulib .pb file) into a municipality: a round in its "
        "results phase with the file's projects as proposals, its ballots (channel 'imported') and the "
        "result counted with the file's rule. Example: pb_import --schema aarhus Gdansk.pb. "
        "Progress goes to stderr, the summary to stdout. "
        "Exits 2 on an unknown schema or a file that cannot be imported."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", help="The .pb file.")
        parser.add_argument("--schema", required=True, help="The municipality's schema, e.g. aarhus.")
        parser.add_argument("--slug", default="", help="The new round's slug; default: from the file name.")
        parser.add_argument(
            "--title", default="", help="The new round's title; default: the file's description."
        )

    def handle(self, *args: object, **options) -> None:
        path = Path(options["file"])
        slug = options["slug"] or slugify(path.stem)[:80]
        started = time.monotonic()
        try:
            pb_file = read_pb(path)
        except PbFormatError as exc:
            raise CommandError(f"{path.name}: {exc}", returncode=2) from None
        self._say(
            f"Read {path.name}: {len(pb_file.projects):,} projects, {len(pb_file.votes):,} votes "
            f"({time.monotonic() - started:.1f} s)."
        )
        with schema_context(options["schema"]) as tenant:
            self._say(f"Creating the round with {len(pb_file.projects):,} proposals and its ballots …")
            try:
                pb_round = round_import_pb(
                    pb_file=pb_file, slug=slug, title=options["title"] or None, on_progress=self._progress
                )
            except PbImportError as exc:
                raise CommandError(f"{path.name}: {exc}", returncode=2) from None
            result = pb_round.result
            selected = result.projects.filter(is_selected=True).count()
            self.stdout.write(
                f"Imported {path.name} into {tenant.schema_name} as round {pb_round.pk} ({pb_round.slug}): "
                f"{pb_round.proposals.count()} proposals, {result.ballots} ballots, {selected} selected "
                f"by {result.method} for {result.spent} of {pb_round.pot}."
            )

    def _say(self, line: str) -> None:
        """Progress on stderr (plain, not styled as an error): stdout keeps the one-line summary."""
        self.stderr.write(line, style_func=str)

    def _progress(self, step: str, done: int, total: int) -> None:
        if step == BALLOTS:  # every 5,000 ballots (the service's batch)
            self._say(f"Ballots: {done:,} / {total:,}")
        elif step == RESULT:
            self._say("Computing the result with the round's rule …")
