"""Import targets and benchmarks from CSV: all or nothing, one clear line per problem.

Benchmarks use the columns DfE statistics files use (``time_period``, ``geographic_level``,
``country_name``/``region_name``/``la_name`` with their codes, a value), with our indicator
id either in an ``indicator`` column or given once for a whole DfE file whose value column
is named (``--indicator rereferrals_12m_pct --value-column rereferral_percent``). DfE's
suppression symbols (``c``, ``x``, ``z``, ``low``, ``u``, ``:``, ``..``) mean "no value" and the
row is skipped, not refused.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from oversight.config.uploads import file_limits
from oversight.engine.indicators import CatalogueError, load_catalogue
from oversight.engine.limits import FileRefused, check_file

from .models import Benchmark, Target
from .services import indicator_for, target_problems

SUPPRESSED = {"c", "x", "z", "low", "u", ":", "..", "", "-", "–", "n/a", "na"}
LEVELS = {
    "national": Benchmark.NATIONAL, "england": Benchmark.NATIONAL,
    "regional": Benchmark.REGIONAL, "region": Benchmark.REGIONAL,
    "local authority": Benchmark.LOCAL_AUTHORITY, "la": Benchmark.LOCAL_AUTHORITY,
    "statistical neighbours": Benchmark.STAT_NEIGHBOURS, "statistical neighbour": Benchmark.STAT_NEIGHBOURS,
    "stat neighbours": Benchmark.STAT_NEIGHBOURS, "stat neighbour": Benchmark.STAT_NEIGHBOURS,
    "stat_neighbours": Benchmark.STAT_NEIGHBOURS,
}
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


class CsvImportError(ValueError):
    """A CSV that cannot be imported; the message names file, row, column and what was expected."""


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.created} added, {self.updated} updated, {self.skipped} skipped (no value)"


def _read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    try:
        check_file(path, file_limits())  # hostile files: size, rows, line length before reading
    except FileRefused as e:
        raise CsvImportError(str(e)) from None
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CsvImportError(f"{path}: cannot read the file ({e.strerror})") from None
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise CsvImportError(f"{path}: not a text CSV file")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise CsvImportError(f"{path}: the file is empty; expected a header row")
    header = [h.strip().lower() for h in reader.fieldnames]
    reader.fieldnames = header
    rows = [(n, {k: (v or "").strip() for k, v in r.items() if k is not None})
            for n, r in enumerate(reader, start=2)]
    return header, rows


def _number(text: str, where: str) -> float | None:
    t = text.strip().replace(",", "")
    if t.lower() in SUPPRESSED:
        return None
    t = t.rstrip("%").strip()
    try:
        return float(t)
    except ValueError:
        raise CsvImportError(f"{where}: {text!r} is not a number (expected e.g. 75.0 or 75%)") from None


def _year(period: str, where: str) -> int:
    digits = re.sub(r"\D", "", period)
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 6:  # DfE academic/financial years: 202223 -> 2023
        return int(digits[:2] + digits[4:])
    raise CsvImportError(f"{where}: time_period {period!r} is not a year (expected e.g. 2023 or 202223)")


def _indicator_ids() -> set[str]:
    return set(load_catalogue().ids())


@transaction.atomic
def import_benchmarks(path: str | Path, indicator: str | None = None, value_column: str = "value",
                      source: str = "") -> ImportSummary:
    path = Path(path)
    header, rows = _read(path)
    value_column = value_column.lower()
    ids = _indicator_ids()
    if indicator is not None and indicator not in ids:
        raise CsvImportError(f"{path}: unknown indicator {indicator!r}")
    needed = ["time_period", "geographic_level", value_column] + ([] if indicator else ["indicator"])
    missing = [c for c in needed if c not in header]
    if missing:
        raise CsvImportError(f"{path}: row 1: missing column(s) {', '.join(missing)}; expected DfE-style columns "
                           f"time_period, geographic_level, {value_column}" + ("" if indicator else ", indicator"))
    summary = ImportSummary()
    for n, r in rows:
        where = f"{path}, row {n}"
        iid = indicator or r.get("indicator", "")
        if iid not in ids:
            raise CsvImportError(f"{where}, column indicator: unknown indicator {iid!r}")
        level = LEVELS.get(r["geographic_level"].lower())
        if level is None:
            raise CsvImportError(f"{where}, column geographic_level: {r['geographic_level']!r} is not one of "
                               "National, Regional, Local authority, Statistical neighbours")
        value = _number(r[value_column], f"{where}, column {value_column}")
        if value is None:
            summary.skipped += 1
            continue
        name, code = {
            Benchmark.NATIONAL: (r.get("country_name", "") or "England", r.get("country_code", "")),
            Benchmark.REGIONAL: (r.get("region_name", ""), r.get("region_code", "")),
        }.get(level, (r.get("la_name", "") or r.get("area_name", ""),
                      r.get("new_la_code", "") or r.get("old_la_code", "") or r.get("area_code", "")))
        rank_text = r.get("rank", "")
        if rank_text and not rank_text.isdigit():
            raise CsvImportError(f"{where}, column rank: {rank_text!r} is not a whole number")
        _obj, created = Benchmark.objects.update_or_create(
            indicator=iid, time_period=r["time_period"], level=level, area_code=code[:20], area_name=name[:200],
            defaults={"year": _year(r["time_period"], where), "value": value,
                      "quartile": r.get("quartile", "")[:20], "rank": int(rank_text) if rank_text else None,
                      "source": (r.get("source", "") or source or path.name)[:300]})
        summary.created += created
        summary.updated += not created
    return summary


def _due(text: str, where: str) -> dt.date | None:
    """'2013-07-31', '31/07/2013', 'Jul 2013', 'By Dec 2012' -> a date (month ends for month names)."""
    t = text.strip()
    if not t:
        return None
    t = re.sub(r"^by\s+", "", t, flags=re.I)
    for f in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(t, f).date()
        except ValueError:
            pass
    m = re.fullmatch(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", t)
    if m and m.group(1).lower() in _MONTHS:
        y, mo = int(m.group(2)), _MONTHS[m.group(1).lower()]
        return dt.date(y, mo, calendar.monthrange(y, mo)[1])
    raise CsvImportError(f"{where}, column due: {text!r} is not a date (expected 2013-07-31, 31/07/2013 or Jul 2013)")


@transaction.atomic
def import_targets(path: str | Path) -> ImportSummary:
    """Columns: indicator, minimum (or target_min/min), upper (or target_upper), due, label, note.

    Each band is checked against its measure's polarity and unit (``services.target_problems``);
    one refused row refuses the file, so no target in force is replaced by a bad one.
    """
    path = Path(path)
    header, rows = _read(path)
    aliases = {"minimum": ("minimum", "target_min", "min"), "upper": ("upper", "target_upper", "max")}
    cols = {k: next((a for a in names if a in header), None) for k, names in aliases.items()}
    if "indicator" not in header or not (cols["minimum"] or cols["upper"]):
        raise CsvImportError(f"{path}: row 1: expected columns indicator and minimum and/or upper "
                           "(optional: due, label, note)")
    summary = ImportSummary()
    for n, r in rows:
        where = f"{path}, row {n}"
        try:  # a catalogue id or a local measure's local-<code>
            ind, _measure = indicator_for(r["indicator"])
        except CatalogueError:
            raise CsvImportError(f"{where}, column indicator: unknown indicator {r['indicator']!r}") from None
        minimum = _number(r[cols["minimum"]], f"{where}, column {cols['minimum']}") if cols["minimum"] else None
        upper = _number(r[cols["upper"]], f"{where}, column {cols['upper']}") if cols["upper"] else None
        if minimum is None and upper is None:
            raise CsvImportError(f"{where}: a target needs a minimum or an upper figure")
        problems = target_problems(ind, minimum, upper)
        if problems:  # the transaction is rolled back: no target of the file replaces one in force
            raise CsvImportError(f"{where}: {'; '.join(problems)}")
        due_text = r.get("due", "")
        due = _due(due_text, where)
        label = r.get("label", "") or (due_text if due_text and not due_text[:1].isdigit() else "")
        _obj, created = Target.objects.update_or_create(
            indicator=r["indicator"], due=due,
            defaults={"minimum": minimum, "upper": upper, "label": label[:100], "note": r.get("note", "")})
        summary.created += created
        summary.updated += not created
    return summary
