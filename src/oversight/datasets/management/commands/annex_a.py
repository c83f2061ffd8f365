"""``oversight annex-a check|load|publish|withdraw|retry``: validate, store and publish Annex A datasets.

Exit codes (check): 0 no errors, 1 value problems (errors) found, 2 file refused.
Exit codes (load): 0 stored or already stored, 2 refused. A refusal prints one line on stderr.
Exit codes (publish, withdraw, retry): 0 done, 1 not allowed now (the reason on stderr), 2 no such dataset.
A loaded dataset is a preview until it is published; ``load --publish`` does both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cli import as_at_date
from oversight.datasets.models import Dataset
from oversight.datasets.services import (
    LifecycleError,
    compute_figures,
    infer_from_raw,
    load_dataset,
    publish,
    read_file,
    validate_raw,
    withdraw,
)
from oversight.engine.annex_a import SCHEMAS, AnnexARefused, ReportData, render_json, render_text, write_xlsx

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_REFUSED = 0, 1, 2


class Command(BaseCommand):
    help = "Check an Annex A workbook (or folder of CSV files), or load it as a stored dataset."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,load,publish,withdraw,retry}")

        def common(p: CommandParser) -> None:
            p.add_argument("file", help="Annex A workbook (.xlsx) or a folder of CSV files, one per list")
            p.add_argument("--strict", action="store_true", help="refuse the file on any problem")
            p.add_argument("--schema", choices=sorted(SCHEMAS), default=None,
                           help="Annex A template version (default: detected from the headers)")

        check = sub.add_parser("check", help="print the data-quality report", description="Validate without storing.")
        common(check)
        check.add_argument("--as-at", type=as_at_date, default=None,
                           help="as-at date, YYYY-MM-DD (default: inferred from the data, and said so); "
                                "later dates are 'in the future'")
        check.add_argument("--format", choices=["text", "json", "xlsx"], default="text")
        check.add_argument("-o", "--output", help="write the report to this file (required for xlsx)")

        load = sub.add_parser("load", help="validate and store as a dataset", description="Validate and store.")
        common(load)
        load.add_argument("--as-at", type=as_at_date, required=True, help="as-at date, YYYY-MM-DD")
        load.add_argument("--user", help="username to record as the uploader")
        load.add_argument("--format", choices=["text", "json"], default="text")
        load.add_argument("--publish", action="store_true",
                          help="publish the dataset once its figures are computed (otherwise it is a preview)")
        load.add_argument("--confirm-as-at", action="store_true",
                          help="publish even though the as-at date is more than a month from the data's dates")

        pub = sub.add_parser("publish", help="make a dataset's figures live", description="Publish a dataset.")
        pub.add_argument("dataset", help="dataset id (as printed by load)")
        pub.add_argument("--confirm-as-at", action="store_true",
                         help="publish even though the as-at date is more than a month from the data's dates")
        wd = sub.add_parser("withdraw", help="take a published dataset off the scorecard",
                            description="Withdraw a published dataset; the one it replaced is live again.")
        wd.add_argument("dataset", help="dataset id")
        wd.add_argument("--reason", required=True, help="why (kept in the dataset's history)")
        rt = sub.add_parser("retry", help="compute a dataset's figures again after 'figures failed'",
                            description="Compute the figures of a dataset again.")
        rt.add_argument("dataset", help="dataset id")
        for p in (pub, wd, rt, load):
            if p is not load:
                p.add_argument("--user", help="username to record as the person who did it")

    def handle(self, *args, **opts) -> None:
        try:
            action = opts["action"]
            if action in ("publish", "withdraw", "retry"):
                code = self._lifecycle(opts)
            else:
                code = self._check(opts) if action == "check" else self._load(opts)
        except AnnexARefused as exc:
            self.stderr.write(f"refused: {exc}")
            raise SystemExit(EXIT_REFUSED) from None
        if code:
            sys.stdout.flush()
            raise SystemExit(code)

    def _check(self, opts: dict) -> int:
        if opts["format"] == "xlsx" and not opts["output"]:
            raise CommandError("--format xlsx needs -o FILE")
        raw = read_file(Path(opts["file"]), opts["schema"])
        as_at = opts["as_at"]
        if as_at is None:  # never today's date: the data says when it was extracted
            as_at, why = infer_from_raw(raw, Path(opts["file"]))
            self.stderr.write(why)
        result = validate_raw(raw, as_at, strict=opts["strict"])
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

    def _user(self, opts: dict):
        if not opts.get("user"):
            return None
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"no user called {opts['user']!r}")
        return user

    def _lifecycle(self, opts: dict) -> int:
        ds = Dataset.objects.filter(dataset_id=opts["dataset"]).first()
        if ds is None:
            self.stderr.write(f"no dataset {opts['dataset']!r} (see the Data page or `oversight annex-a load`)")
            return 2
        user = self._user(opts)
        try:
            if opts["action"] == "publish":
                publish(ds, user, confirm_as_at=opts["confirm_as_at"])
                self.stdout.write(f"Published {ds.dataset_id}: the scorecard shows {ds.source_name} as at "
                                  f"{ds.as_at:%d/%m/%Y}.")
            elif opts["action"] == "withdraw":
                _ds, restored = withdraw(ds, user, reason=opts["reason"])
                again = f"; {restored.dataset_id} is live again" if restored else ""
                self.stdout.write(f"Withdrawn {ds.dataset_id}{again}.")
            else:
                bar = ProgressBar(self.stderr)
                compute_figures(ds, user=user, progress=bar)
                bar.finish()
                if ds.figures != Dataset.Figures.READY:
                    self.stderr.write(f"figures failed again: {ds.figures_error}")
                    return 1
                self.stdout.write(f"Figures computed for {ds.dataset_id}; status {ds.get_status_display().lower()}.")
        except LifecycleError as exc:
            self.stderr.write(str(exc))
            return 1
        return EXIT_CLEAN

    def _load(self, opts: dict) -> int:
        user = self._user(opts)
        bar = ProgressBar(self.stderr)
        try:
            ds = load_dataset(Path(opts["file"]), opts["as_at"], user=user, strict=opts["strict"],
                              schema_version=opts["schema"], via="cli", progress=bar)
        finally:
            bar.finish()
        if opts["publish"] and ds.status != Dataset.Status.PUBLISHED:
            try:
                publish(ds, user, confirm_as_at=opts["confirm_as_at"])
            except LifecycleError as exc:
                self.stderr.write(f"stored but not published: {exc}")
        if opts["format"] == "json":
            self.stdout.write(json.dumps({
                "id": ds.dataset_id, "already_existed": ds.already_existed, "as_at": ds.as_at.isoformat(),
                "source_name": ds.source_name, "sha256": ds.sha256, "path": str(ds.folder),
                "rows": ds.row_counts, "errors": ds.errors, "warnings": ds.warnings,
                "status": ds.status, "figures": ds.figures, "figures_error": ds.figures_error,
                "latest_event": ds.latest_event.isoformat() if ds.latest_event else None,
                "as_at_mismatch": ds.as_at_mismatch,
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
        if ds.as_at_mismatch:
            self.stdout.write(f"  CHECK THE AS-AT DATE: the latest event in the data is {ds.latest_event:%d/%m/%Y}, "
                              f"{ds.as_at_gap_days} days from {ds.as_at:%d/%m/%Y}; publishing needs --confirm-as-at")
        if ds.figures == Dataset.Figures.FAILED:
            self.stdout.write(f"  Figures failed: {ds.figures_error}")
            self.stdout.write(f"  Retry with: oversight annex-a retry {ds.dataset_id}")
        elif ds.status == Dataset.Status.PUBLISHED:
            self.stdout.write("  Published: its figures are live.")
        else:
            self.stdout.write(f"  Preview: publish it with `oversight annex-a publish {ds.dataset_id}` "
                              "or on its page in the Data area.")
        return EXIT_CLEAN


class ProgressBar:
    """A progress line on a terminal (plain stderr, redrawn with \r); silent when stderr is not a terminal."""

    STAGES = ["Reading the workbook", "Checking every value", "Writing the lists to Parquet", "Computing the figures"]

    def __init__(self, stream) -> None:
        self.stream = stream
        out = getattr(stream, "_out", stream)
        self.on = bool(getattr(out, "isatty", lambda: False)())
        self.width = 0

    def __call__(self, stage: str, **counts) -> None:
        if not self.on:
            return
        step = self.STAGES.index(stage) + 1 if stage in self.STAGES else 0
        filled = int(20 * step / len(self.STAGES))
        bits = [f"[{'#' * filled}{'.' * (20 - filled)}] {stage}"]
        if counts.get("current_list"):
            bits.append(counts["current_list"])
        if counts.get("rows_read"):
            bits.append(f"{counts['rows_read']:,} rows")
        if counts.get("checks_run"):
            bits.append(f"{counts['checks_run']} checks")
        line = ", ".join(bits)[:100]
        out = getattr(self.stream, "_out", self.stream)
        out.write("\r" + line.ljust(self.width))
        out.flush()
        self.width = len(line)

    def finish(self) -> None:
        """End the progress line so what follows starts on a line of its own."""
        if self.on and self.width:
            out = getattr(self.stream, "_out", self.stream)
            out.write("\n")
            out.flush()
            self.width = 0
