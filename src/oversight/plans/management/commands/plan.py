"""``oversight plan import|export``: move an improvement plan in and out of Oversight.

    oversight plan import FILE --programme SLUG [--name NAME] [--source "Ofsted Dec 2016"]
                          [--replace | --merge] [--dry-run] [--sheet NAME]
    oversight plan export --programme SLUG --format json|xlsx|docx -o FILE

Import reads an Excel tracker or action plan, a Word one, or a JSON export. It is all or
nothing: a bad file exits with status 2 and one line naming the file, sheet/table, row and
column, and writes nothing. A programme that already has a plan is left alone unless
``--replace`` (replace its plan with the file) or ``--merge`` (add what is new in the file) is
given; see ``oversight.plans.importers.build`` for exactly what each does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.plans.importers import PlanImportError, import_plan


class Command(BaseCommand):
    help = "Import an improvement plan from Excel, Word or JSON, or export one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True, metavar="import|export")
        imp = sub.add_parser("import", help="Import a plan from an .xlsx, .docx or .json file.")
        imp.add_argument("file", help="the plan: .xlsx, .docx, or .json from `plan export`")
        imp.add_argument("--programme", required=True, help="programme slug; created if new")
        imp.add_argument("--name", help="programme name (for a new programme, or to rename it)")
        imp.add_argument("--source", help='where recommendations came from when the file does not say, '
                                          'e.g. "Ofsted Dec 2016"')
        how = imp.add_mutually_exclusive_group()
        how.add_argument("--replace", action="store_true",
                         help="replace the programme's existing plan with this file")
        how.add_argument("--merge", action="store_true",
                         help="add this file's new themes, recommendations, actions, steps and notes "
                              "to the existing plan")
        imp.add_argument("--dry-run", action="store_true", help="read and check the file; write nothing")
        imp.add_argument("--sheet", metavar="NAME",
                         help="read only this sheet of a workbook (and its Key sheet), e.g. when it keeps an "
                              "older copy of the tracker")
        exp = sub.add_parser("export", help="Export a programme's plan.")
        exp.add_argument("--programme", required=True, help="programme slug")
        exp.add_argument("--format", required=True, choices=["json", "xlsx", "docx"])
        exp.add_argument("-o", "--output", required=True, help="file to write ('-' for JSON on standard output)")

    def handle(self, *args, **options) -> None:
        if options["subcommand"] == "import":
            self._import(options)
        else:
            self._export(options)

    def _import(self, o: dict) -> None:
        try:
            report = import_plan(Path(o["file"]), o["programme"], name=o.get("name"), source=o.get("source"),
                                 replace=o["replace"], merge=o["merge"], dry_run=o["dry_run"], sheet=o.get("sheet"))
        except PlanImportError as exc:
            raise CommandError(" ".join(str(exc).split()), returncode=2) from None
        for w in report.warnings:
            self.stderr.write(f"warning: {w}")
        self.stdout.write(report.summary())

    def _export(self, o: dict) -> None:
        from oversight.accounts.audit import log_command
        from oversight.plans.exporters import export_json, write_docx, write_xlsx
        from oversight.plans.models import Programme

        programme = Programme.objects.filter(slug=o["programme"]).first()
        if programme is None:
            raise CommandError(f"no programme {o['programme']!r}", returncode=2)
        out = o["output"]
        fmt = o["format"]
        if out == "-" and fmt != "json":
            raise CommandError("only JSON can be written to standard output; give -o FILE", returncode=2)
        log_command(f"plan export {programme.slug} ({fmt})", path=out, fmt=fmt, programme=programme.slug)
        try:
            if fmt == "json":
                text = json.dumps(export_json(programme), indent=2, ensure_ascii=False) + "\n"
                if out == "-":
                    sys.stdout.write(text)
                    return
                Path(out).write_text(text, encoding="utf-8")
            elif fmt == "xlsx":
                write_xlsx(programme, out)
            else:
                write_docx(programme, out)
        except OSError as exc:
            raise CommandError(f"{out}: cannot write the file ({exc.strerror or exc})", returncode=2) from None
        self.stdout.write(f"exported programme {programme.slug!r} as {fmt} to {out}")
