"""``oversight annex-a check|load``: validate an Annex A workbook, or store it as a dataset.

Exit codes (check): 0 no errors, 1 value problems (errors) found, 2 file refused.
Exit codes (load): 0 stored or already stored, 2 refused. A refusal prints one line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cli import as_at_date
from oversight.datasets.services import check_file, load_dataset
from oversight.engine.annex_a import SCHEMAS, AnnexARefused, ReportData, render_json, render_text, write_xlsx

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_REFUSED = 0, 1, 2


class Command(BaseCommand):
    help = "Check an Annex A workbook (or folder of CSV files), or load it as a stored dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,load}")

        def common(p: CommandParser) -> None:
            p.add_argument("file", help="Annex A workbook (.xlsx) or a folder of CSV files, one per list")
            p.add_argument("--strict", action="store_true", help="refuse the file on any problem")
            p.add_argument("--schema", choices=sorted(SCHEMAS), default=None,
                           help="Annex A template version (default: detected from the headers)")

        check = sub.add_parser("check", help="print the data-quality report", description="Validate without storing.")
        common(check)
        check.add_argument("--as-at", type=as_at_date, default=None,
                           help="as-at date, YYYY-MM-DD (default today); later dates are 'in the future'")
        check.add_argument("--format", choices=["text", "json", "xlsx"], default="text")
        check.add_argument("-o", "--output", help="write the report to this file (required for xlsx)")

        load = sub.add_parser("load", help="validate and store as a dataset", description="Validate and store.")
        common(load)
        load.add_argument("--as-at", type=as_at_date, required=True, help="as-at date, YYYY-MM-DD")
        load.add_argument("--user", help="username to record as the uploader")
        load.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **opts) -> None:
        try:
            code = self._check(opts) if opts["action"] == "check" else self._load(opts)
        except AnnexARefused as exc:
            self.stderr.write(f"refused: {exc}")
            raise SystemExit(EXIT_REFUSED) from None
        if code:
            sys.stdout.flush()
            raise SystemExit(code)

    def _check(self, opts: dict) -> int:
        if opts["format"] == "xlsx" and not opts["output"]:
            raise CommandError("--format xlsx needs -o FILE")
        as_at = opts["as_at"] or timezone.localdate()
        result = check_file(Path(opts["file"]), as_at, strict=opts["strict"], schema_version=opts["schema"])
        data = ReportData.from_result(result)
        out = Path(opts["output"]) if opts["output"] else None
        if opts["format"] == "xlsx":
            write_xlsx(data, out)
            self.stdout.write(f"Report written to {out}: {result.error_count} errors, "
                              f"{result.warning_count} warnings.")
        else:
            text = (json.dumps(render_json(data), indent=2, default=str) + "\n" if opts["format"] == "json"
                    else render_text(data))
            if out:
                out.write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text, ending="")
        return EXIT_PROBLEMS if result.error_count else EXIT_CLEAN

    def _load(self, opts: dict) -> int:
        user = None
        if opts["user"]:
            user = get_user_model().objects.filter(username=opts["user"]).first()
            if user is None:
                raise CommandError(f"no user called {opts['user']!r}")
        ds = load_dataset(Path(opts["file"]), opts["as_at"], user=user, strict=opts["strict"],
                          schema_version=opts["schema"], via="cli")
        if opts["format"] == "json":
            self.stdout.write(json.dumps({
                "id": ds.dataset_id, "already_existed": ds.already_existed, "as_at": ds.as_at.isoformat(),
                "source_name": ds.source_name, "sha256": ds.sha256, "path": str(ds.folder),
                "rows": ds.row_counts, "errors": ds.errors, "warnings": ds.warnings,
            }, indent=2))
            return EXIT_CLEAN
        if ds.already_existed:
            by = f" by {ds.uploaded_by}" if ds.uploaded_by else ""
            when = timezone.localtime(ds.uploaded_at)
            self.stdout.write(f"Already loaded: dataset {ds.dataset_id} ({ds.source_name}, as at "
                              f"{ds.as_at:%d/%m/%Y}), stored{by} on {when:%d/%m/%Y %H:%M}. Nothing new was stored.")
        else:
            self.stdout.write(f"Stored dataset {ds.dataset_id}")
        self.stdout.write(f"  {ds.source_name}, as at {ds.as_at:%d/%m/%Y}, schema {ds.schema_version}")
        self.stdout.write(f"  {len(ds.row_counts)} lists, {ds.total_rows} rows; {ds.errors} errors (cells treated "
                          f"as missing), {ds.warnings} warnings")
        self.stdout.write(f"  {ds.folder}")
        return EXIT_CLEAN
