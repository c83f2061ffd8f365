"""``oversight targets-import FILE.csv``: target bands (minimum, upper) per indicator, optionally dated."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.performance.imports import CsvImportError, import_targets


class Command(BaseCommand):
    help = ("Import targets from a CSV: indicator, minimum and/or upper, optional due (2013-07-31 or "
            "'By Jul 2013'), label, note. All or nothing; changes are kept in the target history.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file")

    def handle(self, *args, **opts):
        try:
            summary = import_targets(opts["file"])
        except CsvImportError as e:
            raise CommandError(str(e), returncode=2) from None
        self.stdout.write(f"Targets imported: {summary}.")
