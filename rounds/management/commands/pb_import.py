"""Import a finished vote from a Pabulib .pb file into one municipality as a round with its result."""

from __future__ import annotations

import argparse
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from django_tenants.utils import get_public_schema_name, get_tenant_model, tenant_context

from rounds.pabulib import PbFormatError, read_pb
from rounds.services.pb_import import PbImportError, round_import_pb


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
        try:
            pb_file = read_pb(path)
        except PbFormatError as exc:
            raise CommandError(f"{path.name}: {exc}", returncode=2) from None
        with schema_context(options["schema"]) as tenant:
            try:
                pb_round = round_import_pb(pb_file=pb_file, slug=slug, title=options["title"] or None)
            except PbImportError as exc:
                raise CommandError(f"{path.name}: {exc}", returncode=2) from None
            result = pb_round.result
            selected = result.projects.filter(is_selected=True).count()
            self.stdout.write(
                f"Imported {path.name} into {tenant.schema_name} as round {pb_round.pk} ({pb_round.slug}): "
                f"{pb_round.proposals.count()} proposals, {result.ballots} ballots, {selected} selected "
                f"by {result.method} for {result.spent} of {pb_round.pot}."
            )
