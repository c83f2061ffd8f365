"""``oversight report NAME --programme SLUG --as-at DATE --format FMT -o FILE``.

NAME is one of highlight, report-card, tracker, committee, risks, or ``pack`` (a zip of every
report in every format). An unknown programme, report or format exits with status 2 and one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.audit import log_command
from oversight.cli import as_at_date
from oversight.plans.models import Programme
from oversight.plans.periods import Period, current_period, period_end
from oversight.reports import packs
from oversight.reports.builders import NAMES, build


class Command(BaseCommand):
    help = "Write a report (or the whole board pack) for a programme as at a date."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help=f"One of {', '.join(NAMES)}, or pack")
        parser.add_argument("--programme", required=True, help="The programme's slug")
        parser.add_argument("--as-at", type=as_at_date, default=None,
                            help="Any day in the reporting period (YYYY-MM-DD); default the current period")
        parser.add_argument("--format", dest="fmt", default=None, help="html, docx, xlsx or pdf (pack: zip)")
        parser.add_argument("-o", "--output", required=True, help="File to write ('-' for standard output)")
        parser.add_argument("--publication", action="store_true",
                            help="Suppress small numbers (for reports that leave the building)")

    def handle(self, *args, name: str, programme: str, as_at, fmt: str | None, output: str, publication: bool,
               **options) -> None:
        if name != "pack" and name not in NAMES:
            raise CommandError(f"unknown report {name!r}: expected one of {', '.join(NAMES)}, pack", returncode=2)
        prog = Programme.objects.filter(slug=programme).first()
        if prog is None:
            raise CommandError(f"unknown programme {programme!r}", returncode=2)
        cycle = prog.reporting_cycle or "monthly"
        period = Period(period_end(as_at, cycle), cycle) if as_at else current_period(prog)
        if name == "pack":
            if fmt not in (None, "zip"):
                raise CommandError(f"unknown format {fmt!r} for pack: expected zip", returncode=2)
            content = packs.pack_zip(prog, period)
        else:
            fmt = fmt or "html"
            if fmt not in packs.FORMATS and fmt != "json":
                raise CommandError(f"unknown format {fmt!r}: expected one of {', '.join(packs.FORMATS)}",
                                   returncode=2)
            report = build(name, prog, period, for_publication=publication)
            if fmt == "json":
                import json

                from oversight.reports.data import to_json

                content = json.dumps(to_json(report), ensure_ascii=False, indent=1).encode("utf-8")
            else:
                try:
                    content = packs.render(report, fmt)
                except ImportError as exc:
                    raise CommandError(f"the {fmt} renderer is not available: {exc}") from exc
        log_command(f"report {name} {prog.slug} as at {period.as_at:%Y-%m-%d}", path=output, fmt=fmt or "zip",
                    programme=prog.slug)
        if output == "-":
            sys.stdout.buffer.write(content)
            return
        Path(output).write_bytes(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes): {name} as at {period.as_at:%d/%m/%Y}.")
