"""Local measures: the programme's own figures, made to look like catalogue indicators.

A local measure is defined in the app and its monthly values typed or imported; from then on
every part of the scorecard (targets, RAG, direction of travel, SPC, commentary, evidence
links, front sheet) reads it through the same ``Indicator`` shape as a catalogue indicator,
keyed by ``local-<code>``. This module holds that translation, the value arithmetic (one rule
for the form, the import and the programme JSON) and the all-or-nothing CSV/XLSX import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from oversight.engine.indicators import Indicator

#: Our polarity words → the engine's.
POLARITY = {"higher": "high", "lower": "low", "none": "none"}
UNITS = ("percent", "count", "days", "number")
POLARITIES = tuple(POLARITY)
PERIOD_TYPES = ("snapshot", "ytd", "rolling_12m", "month")
PERIOD_LABELS = {"snapshot": "Snapshot", "ytd": "YTD", "rolling_12m": "Rolling 12 months", "month": "Month"}
LOCAL_THEME = "local"
LOCAL_THEME_NAME = "Local measures"
_CODE = re.compile(r"^[-a-z0-9_]{1,50}$")


def is_local(indicator_id: str) -> bool:
    return indicator_id.startswith("local-")


def _round1(q: Decimal) -> float:
    return float(q.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def computed_value(unit: str, numerator: int | None, denominator: int | None, value: float | None) -> float | None:
    """The value of a month: 7 of 20 for a percent is 35.0; a count is its numerator; else as typed.

    Rounded half up to one decimal as the catalogue's figures are, so a local 35.0 % and a
    catalogue 35.0 % are the same number for RAG and SPC.
    """
    if numerator is not None and denominator is not None:
        if unit == "count":
            return float(numerator)
        if denominator == 0:
            return None
        scale = 100 if unit == "percent" else 1
        return _round1(Decimal(int(numerator)) * scale / Decimal(int(denominator)))
    if numerator is not None and unit == "count":
        return float(numerator)
    return value


def check_value(unit: str, numerator: Any, denominator: Any, value: Any) -> list[tuple[str, str]]:
    """Problems with one month's figures as (field, message); none when it may be stored.

    A rate (percent, days) is given as numerator and denominator, or — when only a published
    rate exists, as seed 001's "% Vacancies 34.5%" — as a value alone; a count as a value (or
    numerator). Counts and parts are whole numbers ≥ 0; a percent lies between 0 and 100.
    """
    out: list[tuple[str, str]] = []
    if (numerator is None) != (denominator is None) and unit != "count":
        missing = "denominator" if denominator is None else "numerator"
        out.append((missing, f"a {unit} measure needs both a numerator and a denominator (or a value alone)"))
    if unit == "count" and denominator is not None:
        out.append(("denominator", "a count has no denominator; give the count as the value"))
    if unit == "percent" and numerator is not None and denominator is not None and numerator > denominator:
        out.append(("numerator", f"the numerator ({numerator}) cannot exceed the denominator ({denominator}) "
                                 "for a percentage"))
    if numerator is not None and denominator is not None and denominator == 0 and unit != "count":
        out.append(("denominator", "the denominator is 0, so there is no rate; leave the month blank instead"))
    if value is not None and numerator is not None and denominator is not None:
        expected = computed_value(unit, numerator, denominator, None)
        if expected is not None and abs(expected - value) > 0.05:
            out.append(("value", f"the value {value:g} disagrees with {numerator}/{denominator} = {expected:g}; "
                                 "leave the value blank and it is computed"))
    if value is not None:
        if value < 0:
            out.append(("value", "expected a number ≥ 0"))
        elif unit == "percent" and value > 100:
            out.append(("value", "a percentage lies between 0 and 100"))
        elif unit == "count" and value != int(value):
            out.append(("value", "a count is a whole number"))
    return out


def as_indicator(measure) -> Indicator:
    """The catalogue-shaped twin of a ``LocalMeasure``, so rows, RAG and SPC need no special case."""
    return Indicator(
        id=measure.indicator_id, name=measure.name, theme=LOCAL_THEME, table="", period_type=measure.period_type,
        polarity=POLARITY.get(measure.polarity, "none"), unit=measure.unit, cohort="", numerator=None, needs=(),
        definition=measure.definition or "", source=measure.source or "",
    )


def local_measure(programme, indicator_id: str):
    """The programme's ``LocalMeasure`` for ``local-<code>`` (or any programme's when none given)."""
    from .models import LocalMeasure

    if not is_local(indicator_id):
        return None
    qs = LocalMeasure.objects.filter(code=indicator_id[len(LocalMeasure.PREFIX):])
    if programme is not None:
        qs = qs.filter(programme=programme)
    return qs.order_by("pk").first()


def local_history(measures) -> dict[str, dict[str, dict]]:
    """indicator id → month → point, the same shape as ``services.overall_history``."""
    from .models import LocalMeasureValue

    out: dict[str, dict[str, dict]] = {m.indicator_id: {} for m in measures}
    by_pk = {m.pk: m for m in measures}
    for v in LocalMeasureValue.objects.filter(measure__in=list(by_pk)).order_by("month"):
        month = f"{v.month:%Y-%m}"
        if v.value is None and v.numerator is None:
            continue
        out[by_pk[v.measure_id].indicator_id][month] = {
            "month": month, "numerator": v.numerator, "denominator": v.denominator, "value": v.value}
    return out


class StaleMeasure(Exception):
    """Someone saved the measure or its figures after this form was loaded; nothing was written."""


def claim(measure, version: int | None) -> None:
    """Bump the measure's version, refusing when it is no longer ``version`` (None: no check).

    The conditional UPDATE is the lock: of two saves made from the same page load exactly one
    succeeds. Call inside the transaction that writes.
    """
    from django.db.models import F

    qs = type(measure).objects.filter(pk=measure.pk)
    if version is not None:
        qs = qs.filter(version=version)
    if not qs.update(version=F("version") + 1):
        raise StaleMeasure()
    measure.version = type(measure).objects.values_list("version", flat=True).get(pk=measure.pk)


# ------------------------------------------------------------------------------ import
class LocalImportError(ValueError):
    """A values file that cannot be imported; names file, row and column, and what was expected."""


@dataclass
class ParsedValue:
    measure: Any
    month: dt.date
    numerator: int | None
    denominator: int | None
    value: float | None


COLUMNS = ("measure", "month", "numerator", "denominator", "value")
_BLANK = {"", "-", "–", "—", "n/a", "na", "null", "none"}
_BLANK_NUMBER = {"", "-", "–", "—"}


def _check_limits(path: Path, name: str) -> None:
    """Refuse hostile files (huge, zip bombs, a sheet claiming a million columns) before parsing.

    Uses the shared guard (``engine.limits.check_file`` with the council's configured limits)
    when it is installed; its message names the file, so the name people know replaces a
    temporary file's.
    """
    try:
        from oversight.engine import limits
    except ImportError:  # pragma: no cover - the guard is part of the engine from now on
        return
    try:
        from oversight.config.uploads import file_limits

        configured = file_limits()
    except ImportError:  # pragma: no cover
        configured = None
    try:
        limits.check_file(path, configured)
    except ValueError as e:  # limits.FileRefused is a ValueError
        raise LocalImportError(str(e).replace(path.name, name, 1) if path.name != name else str(e)) from None


def _read_table(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_path(str(path))
            return [list(r) for r in wb.get_sheet_by_index(0).to_python(skip_empty_area=False)]
        except Exception as e:  # calamine raises its own types for corrupt files
            raise LocalImportError(f"{path.name}: cannot read the workbook ({e})") from None
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise LocalImportError(f"{path.name}: not a text CSV file")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def parse_month(cell: Any) -> dt.date | None:
    """'2019-08', '2019-08-01', 'Aug 19', 'Aug 2019', or a spreadsheet date → the month's first day."""
    if isinstance(cell, (dt.date, dt.datetime)):
        day = cell.date() if isinstance(cell, dt.datetime) else cell
        return day.replace(day=1)
    t = _text(cell)
    for f in ("%Y-%m", "%Y-%m-%d", "%b %y", "%b %Y", "%B %Y", "%d/%m/%Y", "%m/%Y"):
        try:
            return dt.datetime.strptime(t, f).date().replace(day=1)
        except ValueError:
            continue
    return None


def _whole(text: str) -> int | None | str:
    """A whole number ≥ 0, None for a blank, or the text back when it is neither."""
    t = text.replace(",", "").strip()
    if t.lower() in _BLANK_NUMBER:
        return None
    if re.fullmatch(r"\d+(\.0+)?", t):
        return int(float(t))
    return text


def _number(text: str) -> float | None | str:
    t = text.replace(",", "").strip().rstrip("%").strip()
    if t.lower() in _BLANK_NUMBER:
        return None
    try:
        return float(t)
    except ValueError:
        return text


def parse_values(path: str | Path, programme, *, filename: str | None = None) -> list[ParsedValue]:
    """Read and check every row; raise on the first problem with file, row and column named.

    Columns (header row, any order, case-insensitive): ``measure`` (its code, ``local-<code>`` or
    its ref), ``month`` (YYYY-MM), ``numerator``, ``denominator``, ``value``. The ``measure``
    column is always required, so a file is never applied to the wrong measure.
    """
    path = Path(path)
    name = filename or path.name
    _check_limits(path, name)
    rows = _read_table(path)
    while rows and not any(_text(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise LocalImportError(f"{name}: the file is empty; expected a header row "
                               "measure, month, numerator, denominator, value")
    header = [_text(c).lower() for c in rows[0]]
    missing = [c for c in ("measure", "month") if c not in header]
    if missing:
        raise LocalImportError(f"{name}: row 1: missing column(s) {', '.join(repr(c) for c in missing)}; expected "
                               "measure, month and numerator/denominator and/or value")
    if not ({"numerator", "value"} & set(header)):
        raise LocalImportError(f"{name}: row 1: expected a column 'value' or columns 'numerator' and 'denominator'")
    col = {c: header.index(c) for c in COLUMNS if c in header}
    measures = {}
    for m in programme.local_measures.all():
        measures[m.code.lower()] = m
        measures[m.indicator_id.lower()] = m
        if m.ref:
            measures.setdefault(m.ref.lower(), m)
    out: list[ParsedValue] = []
    seen: dict[tuple[int, dt.date], int] = {}
    for n, raw in enumerate(rows[1:], start=2):
        cells = {c: (raw[i] if i < len(raw) else None) for c, i in col.items()}
        if not any(_text(v) for v in cells.values()):
            continue

        def fail(column: str, expected: str, found: Any, _n: int = n) -> None:
            raise LocalImportError(f"{name}: row {_n}, column '{column}': {expected}, found {_text(found)!r}")

        key = _text(cells["measure"]).lower()
        measure = measures.get(key)
        if measure is None:
            known = ", ".join(sorted({m.code for m in measures.values()})) or "none defined yet"
            fail("measure", f"expected the code of one of the programme's local measures ({known})", cells["measure"])
        month = parse_month(cells["month"])
        if month is None:
            fail("month", "expected a month as YYYY-MM", cells["month"])
        parsed: dict[str, Any] = {}
        for c in ("numerator", "denominator"):
            t = _text(cells.get(c))
            v = _whole(t)
            if isinstance(v, str):
                fail(c, "expected a whole number ≥ 0", t)
            parsed[c] = v
        t = _text(cells.get("value"))
        v = _number(t)
        if isinstance(v, str):
            fail("value", "expected a number", t)
        parsed["value"] = v
        for column, message in check_value(measure.unit, parsed["numerator"], parsed["denominator"], parsed["value"]):
            fail(column, message, cells.get(column))
        if (measure.pk, month) in seen:
            raise LocalImportError(f"{name}: row {n}, column 'month': {measure.code} {month:%Y-%m} is already "
                                   f"given on row {seen[(measure.pk, month)]}")
        seen[(measure.pk, month)] = n
        out.append(ParsedValue(measure, month, parsed["numerator"], parsed["denominator"], parsed["value"]))
    if not out:
        raise LocalImportError(f"{name}: no values found under the header row")
    return out


def import_values(path: str | Path, programme, *, user=None, filename: str | None = None) -> int:
    """Check the whole file, then write every month (replacing that month's figures); all or nothing."""
    parsed = parse_values(path, programme, filename=filename)
    with transaction.atomic():
        for measure in {p.measure.pk: p.measure for p in parsed}.values():
            claim(measure, None)  # a values form opened before this import is then refused
        for p in parsed:
            store_value(p.measure, p.month, p.numerator, p.denominator, p.value, user=user)
    return len(parsed)


def store_value(measure, month: dt.date, numerator, denominator, value, user=None):
    """Write one month (create or replace); a month with no figures at all is removed."""
    from .models import LocalMeasureValue

    month = month.replace(day=1)
    if numerator is None and denominator is None and value is None:
        LocalMeasureValue.objects.filter(measure=measure, month=month).delete()
        return None
    obj = LocalMeasureValue.objects.filter(measure=measure, month=month).first() or LocalMeasureValue(
        measure=measure, month=month)
    obj.numerator, obj.denominator, obj.value, obj.entered_by = numerator, denominator, value, user
    if numerator is not None and denominator is not None:
        obj.value = None  # computed in save()
    obj.save()
    return obj
