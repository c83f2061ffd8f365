"""``oversight benchmarks-import FILE.csv``: national, regional and statistical-neighbour values."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from oversight.performance.imports import CsvImportError, import_benchmarks


class Command(BaseCommand):
    help = ("Import benchmark values from a CSV with DfE statistics columns (time_period, geographic_level, "
            "country/region/la name and code, indicator, value; optional quartile, rank). All or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file")
        parser.add_argument("--indicator", help="Indicator id for every row (a DfE file has no indicator column)")
        parser.add_argument("--value-column", default="value", help="Column holding the value (default: value)")
        parser.add_argument("--source", default="", help="Where the figures come from (default: the file name)")

    def handle(self, *args, **opts):
        try:
            summary = import_benchmarks(opts["file"], indicator=opts["indicator"],
                                        value_column=opts["value_column"], source=opts["source"])
        except CsvImportError as e:
            raise CommandError(str(e), returncode=2) from None
        self.stdout.write(f"Benchmarks imported: {summary}.")
