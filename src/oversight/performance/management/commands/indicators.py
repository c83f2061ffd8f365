"""``oversight indicators --annex-a FILE_OR_DATASET --as-at DATE --format json|csv``.

Prints every indicator of the catalogue in the JSON shape of INDICATORS.md (or one CSV row per
indicator × breakdown × month, workers included). ``FILE_OR_DATASET`` is an Annex A workbook
(.xlsx), a folder of CSV files, a stored dataset's folder, or a stored dataset's id.
``--store`` saves the aggregates in the database for the scorecard.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.audit import log_command
from oversight.cli import as_at_date
from oversight.engine.calendar import CalendarError, calendar_from
from oversight.engine.indicators import DEFAULT_ENGINE, ENGINES, CatalogueError, IndicatorRunError, compute, flatten
from oversight.engine.safe_cells import safe_cell

CSV_COLUMNS = ["indicator", "name", "unit", "polarity", "period_type", "breakdown", "breakdown_value", "month",
               "numerator", "denominator", "value"]


class Command(BaseCommand):
    help = "Compute the indicator catalogue from an Annex A workbook, CSV folder or stored dataset."

    def add_arguments(self, parser):
        parser.add_argument("--annex-a", required=True, metavar="FILE_OR_DATASET",
                            help="Workbook (.xlsx), folder of CSV files, dataset folder, or stored dataset id")
        parser.add_argument("--as-at", metavar="DATE", type=as_at_date,
                            help="Reference date R (default: the dataset's as-at date)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--by-worker", action="store_true", help="Add by_worker to the JSON")
        parser.add_argument("--store", action="store_true", help="Save the aggregates for the scorecard")
        parser.add_argument("--calendar", metavar="FILE",
                            help="Working-day calendar (YAML); default: England & Wales bank holidays")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output")
        parser.add_argument("--engine", choices=list(ENGINES), default=DEFAULT_ENGINE,
                            help="Where the SQL runs: duckdb (in-process, default), postgres "
                                 "(OVERSIGHT_POSTGRES_URL) or spark (local, or OVERSIGHT_SPARK_MASTER)")

    def handle(self, *args, **opts):
        as_at = opts["as_at"]
        from oversight.performance.services import configured_calendar, configured_catalogue

        try:
            calendar = calendar_from(opts["calendar"]) if opts["calendar"] else configured_calendar()
            self.catalogue = configured_catalogue()
        except (CalendarError, CatalogueError) as e:
            raise CommandError(str(e), returncode=2) from None
        by_worker = opts["by_worker"] or opts["store"] or opts["format"] == "csv"
        source = opts["annex_a"]
        self.engine = opts["engine"]
        self.engine_options = _engine_options(self.engine)
        try:
            result, dataset = self._compute(source, as_at, calendar, by_worker)
        except (CatalogueError, IndicatorRunError) as e:
            raise CommandError(str(e), returncode=2) from None

        if opts["store"]:
            from oversight.performance.services import store_result

            run = store_result(result, dataset=dataset,
                               source=str(getattr(dataset, "source_name", "") or source))
            self.stderr.write(f"Stored {run.values.count()} figures as indicator run {run.pk} "
                              f"(as at {run.as_at:%Y-%m-%d}).")
        if not opts["by_worker"] and opts["format"] == "json":
            for ind in result["indicators"]:
                ind.pop("by_worker", None)
        text = self._render(result, opts["format"])
        log_command(f"indicator figures from {source}" + (" by worker" if by_worker else ""),
                    path=opts["output"] or "-", fmt=opts["format"], rows=len(result["indicators"]))
        if opts["output"]:
            Path(opts["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    # ---------------------------------------------------------------------------------------
    def _compute(self, source: str, as_at: dt.date | None, calendar, by_worker: bool):
        """Return (result, Dataset or None) for a file, a folder or a stored dataset id."""
        from oversight.engine import annex_a

        path = Path(source)
        if path.is_dir() and (path / "manifest.json").exists():
            info = self._open(path)
            when = as_at or _manifest_as_at(info, path)
            return compute(dict(info.tables), when, calendar=calendar, by_worker=by_worker,
                           catalogue=self.catalogue, engine=self.engine,
                           engine_options=self.engine_options), \
                _dataset_for_path(path)
        if path.exists():
            if as_at is None:
                raise CommandError(f"{source}: --as-at is needed for a workbook or CSV folder", returncode=2)
            try:
                loaded = annex_a.read_annex_a(path, as_at)
            except annex_a.AnnexARefused as e:
                raise CommandError(str(e), returncode=2) from None
            with tempfile.TemporaryDirectory(prefix="oversight-indicators-") as tmp:
                info = annex_a.write_dataset(loaded, Path(tmp))
                return compute(dict(info.tables), as_at, calendar=calendar, by_worker=by_worker,
                           catalogue=self.catalogue, engine=self.engine,
                           engine_options=self.engine_options), None
        dataset = _dataset_by_id(source)
        if dataset is None:
            raise CommandError(f"{source}: no such file, folder or stored dataset", returncode=2)
        info = self._open(Path(getattr(dataset, "folder", None) or dataset.path))
        return compute(dict(info.tables), as_at or dataset.as_at, calendar=calendar, by_worker=by_worker,
                           catalogue=self.catalogue, engine=self.engine,
                           engine_options=self.engine_options), dataset

    def _open(self, path: Path):
        from oversight.engine import annex_a

        try:
            return annex_a.open_dataset(path)
        except annex_a.AnnexARefused as e:
            raise CommandError(str(e), returncode=2) from None
        except (OSError, ValueError) as e:
            raise CommandError(f"{path}: cannot open the dataset ({e})", returncode=2) from None

    @staticmethod
    def _render(result: dict, fmt: str) -> str:
        if fmt == "json":
            return json.dumps(result, indent=1, ensure_ascii=False) + "\n"
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        # team and worker names are free text from the case system: never a formula in Excel
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in flatten(result))
        return buf.getvalue()


def _engine_options(engine: str) -> dict:
    """PostgreSQL: ``OVERSIGHT_POSTGRES_URL``, else this site's own database when it is PostgreSQL
    (the run only creates TEMP tables, gone when the connection closes)."""
    from django.conf import settings

    if engine != "postgres" or os.environ.get("OVERSIGHT_POSTGRES_URL"):
        return {}
    db = settings.DATABASES.get("default", {})
    if "postgresql" not in db.get("ENGINE", ""):
        return {}
    from psycopg.conninfo import make_conninfo

    return {"postgres_url": make_conninfo(dbname=db.get("NAME") or "", user=db.get("USER") or None,
                                          password=db.get("PASSWORD") or None, host=db.get("HOST") or None,
                                          port=str(db.get("PORT") or "") or None)}


def _manifest_as_at(info, path: Path) -> dt.date:
    value = (getattr(info, "manifest", None) or {}).get("as_at")
    if not value:
        raise CommandError(f"{path}: the dataset's manifest has no as_at date; give --as-at", returncode=2)
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _dataset_by_id(value: str):
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from oversight.datasets.models import Dataset

    try:
        found = Dataset.objects.filter(dataset_id=value).first()
        return found or (Dataset.objects.filter(pk=int(value)).first() if value.isdigit() else None)
    except (ValueError, TypeError, ValidationError, DatabaseError):
        return None


def _dataset_for_path(path: Path):
    from oversight.datasets.models import Dataset

    try:
        resolved = path.resolve()
        for ds in Dataset.objects.all().only("pk", "path"):
            if Path(ds.folder).resolve() == resolved:
                return ds
    except Exception:  # noqa: BLE001 - no database yet: the figures are still printed
        return None
    return None
