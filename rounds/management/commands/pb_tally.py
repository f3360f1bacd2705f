"""Tally a Pabulib .pb file with greedy, MES or an advisory ranking; prints the winners. No database."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from rounds.tallying.cli import PbTallyError, add_arguments, render, tally_file


class Command(BaseCommand):
    help = (
        "Tally a Pabulib .pb file (greedy, mes or advisory) and print the winners, what they cost and "
        "how long it took. Use it to check the engine against published elections; it does not touch "
        "the database. Exits 2 on an unreadable or invalid file."
    )
    # Only reads a file: no migrations needed, no system checks worth running.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)

    def handle(self, *args: object, **options: object) -> None:
        namespace = argparse.Namespace(**options)
        try:
            summary = tally_file(namespace)
        except PbTallyError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(render(summary, bool(options["json"])))
