"""Turn one column of raw cell values into a typed Arrow array, noting every cell that fails.

Why this shape: a real export mixes types inside a column (real date cells, ``dd/mm/yyyy``
text, Excel serial numbers, ``#N/A``). Cells are grouped by their Python type with C-level
``map``/numpy calls, each group is converted in bulk (numpy for numbers, Arrow for dates and
strings, and one Python parse per *distinct* string via dictionary encoding), and the groups are
put back in row order with one ``take``. Per-cell Python work is limited to the cells that fail.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oversight.engine.annex_a.schema import Column, match_code, picklist_lookup

STR, FLOAT, INT, BOOL, DATE, DATETIME, OTHER = range(7)
_TYPE_CODES: defaultdict[type, int] = defaultdict(
    lambda: OTHER,
    {str: STR, type(None): STR, float: FLOAT, int: INT, bool: BOOL, date: DATE, datetime: DATETIME},
)

EXCEL_ERRORS = frozenset({
    "#N/A", "#N/A N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!",
    "#GETTING_DATA",
})
_EXCEL_ERRORS_ARR = pa.array(sorted(EXCEL_ERRORS))

EPOCH_SERIAL = 25569  # Excel serial number of 1970-01-01 (1900 date system)
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
_MIN_DAYS = (MIN_DATE - date(1970, 1, 1)).days
_MAX_DAYS = (MAX_DATE - date(1970, 1, 1)).days
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ARROW_TYPES = {"date": pa.date32(), "int": pa.int64(), "text": pa.string(), "code": pa.string()}

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME + r"$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + r"(?:Z|[+-]\d{2}:?\d{2})?$")
_SERIAL = re.compile(r"^\d{1,5}(?:\.\d+)?$")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")


@dataclass
class ColumnResult:
    """Typed values (null where blank or failed), blank mask, and the failed cells."""

    values: pa.Array
    blank: np.ndarray
    bad_idx: list[int] = field(default_factory=list)
    bad_rule: list[str] = field(default_factory=list)
    bad_value: list[str] = field(default_factory=list)


def show(value: Any) -> str:
    """A cell value as the user would recognise it in Excel."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M") if (value.hour or value.minute) else value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


# --------------------------------------------------------------------------------------------
# Parsers for one distinct string (called once per distinct value, not per cell)
# --------------------------------------------------------------------------------------------


def parse_date_text(text: str) -> tuple[date | None, str | None]:
    """``dd/mm/yyyy`` (also ``-`` or ``.``), ISO ``yyyy-mm-dd`` (with optional time) or a serial number."""
    m = _DMY.match(text)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _YMD.match(text)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        elif _SERIAL.match(text):
            days = int(float(text)) - EPOCH_SERIAL
            if not _MIN_DAYS <= days <= _MAX_DAYS:
                return None, "date-unparseable"
            return date.fromordinal(_EPOCH_ORDINAL + days), None
        else:
            return None, "date-unparseable"
    try:
        value = date(y, mo, d)
    except ValueError:
        return None, "date-unparseable"
    return value, None


def parse_int_text(text: str, floor_fraction: bool) -> tuple[int | None, str | None]:
    if not _NUMBER.match(text):
        return None, "int-unparseable"
    f = float(text)
    if f < 0:
        return None, "int-negative"
    if not f.is_integer() and not floor_fraction:
        return None, "int-not-whole"
    if f >= 1e9:
        return None, "int-unparseable"
    return int(f), None


# --------------------------------------------------------------------------------------------
# Group converters
# --------------------------------------------------------------------------------------------


def _clean_strings(vals: Sequence[Any]) -> pa.Array:
    arr = pa.array(vals, pa.string()) if not isinstance(vals, pa.Array) else vals
    return pc.utf8_trim_whitespace(pc.replace_substring(arr, "\u00a0", " "))


def _blank_mask(arr: pa.Array) -> np.ndarray:
    return pc.fill_null(pc.equal(arr, ""), True).to_numpy(zero_copy_only=False)


class _Parser:
    """Per-column parser of distinct strings, with the column's picklist lookup built once."""

    def __init__(self, column: Column, floor_fraction: bool) -> None:
        self.column = column
        self.floor_fraction = floor_fraction
        if column.type == "code":
            self.lookup = picklist_lookup(column)
            self.codes_upper = {c.code.upper(): c.code for c in column.codes}

        self.memo: dict[str, tuple[Any, str | None]] = {}

    def parse(self, text: str) -> tuple[Any, str | None]:
        hit = self.memo.get(text)
        if hit is None:
            hit = self.memo[text] = self._parse(text)
        return hit

    def _parse(self, text: str) -> tuple[Any, str | None]:
        if text.upper() in EXCEL_ERRORS:
            return None, "excel-error"
        kind = self.column.type
        if kind == "date":
            return parse_date_text(text)
        if kind == "int":
            return parse_int_text(text, self.floor_fraction)
        if kind == "code":
            code = match_code(text, self.lookup, self.codes_upper)
            return (code, None) if code is not None else (None, "code-invalid")
        return text, None


def make_parser(column: Column) -> _Parser:
    """A parser for one column; fractional ages are floored (Annex A ages arrive as ``6.138``)."""
    return _Parser(column, floor_fraction=column.key == "age")


def concat_results(parts: list[ColumnResult]) -> ColumnResult:
    """Join the results of successive chunks of one column."""
    if len(parts) == 1:
        return parts[0]
    out = ColumnResult(pa.concat_arrays([p.values for p in parts]), np.concatenate([p.blank for p in parts]))
    offset = 0
    for p in parts:
        out.bad_idx.extend(i + offset for i in p.bad_idx)
        out.bad_rule.extend(p.bad_rule)
        out.bad_value.extend(p.bad_value)
        offset += len(p.values)
    return out


def _string_group(vals: Sequence[Any] | pa.Array, parser: _Parser) -> ColumnResult:
    arr = _clean_strings(vals)
    blank = _blank_mask(arr)
    target = _ARROW_TYPES[parser.column.type]
    if parser.column.type == "text":
        err = pc.fill_null(pc.is_in(pc.utf8_upper(arr), value_set=_EXCEL_ERRORS_ARR), False).to_numpy(
            zero_copy_only=False)
        values = pc.if_else(pa.array(blank | err), pa.scalar(None, pa.string()), arr)
        idx = np.flatnonzero(err).tolist()
        shown = [arr[i].as_py() for i in idx]
        return ColumnResult(values, blank, idx, ["excel-error"] * len(idx), shown)
    enc = pc.dictionary_encode(arr)
    dictionary = enc.dictionary.to_pylist()
    parsed: list[Any] = []
    rules: list[str | None] = []
    for text in dictionary:
        if text == "":
            parsed.append(None)
            rules.append(None)
            continue
        value, rule = parser.parse(text)
        parsed.append(value)
        rules.append(rule)
    indices = enc.indices
    values = pa.array(parsed, target).take(indices) if len(dictionary) else pa.nulls(len(arr), target)
    bad_idx: list[int] = []
    bad_rule: list[str] = []
    bad_value: list[str] = []
    bad_codes = [i for i, r in enumerate(rules) if r is not None]
    if bad_codes:
        ind = pc.fill_null(indices, -1).to_numpy(zero_copy_only=False)
        hit = np.flatnonzero(np.isin(ind, bad_codes))
        bad_idx = hit.tolist()
        bad_rule = [rules[ind[i]] for i in bad_idx]  # type: ignore[misc]
        bad_value = [dictionary[ind[i]] for i in bad_idx]
    return ColumnResult(values, blank, bad_idx, bad_rule, bad_value)


def _days_to_dates(days: np.ndarray, ok: np.ndarray) -> pa.Array:
    return pa.array(days.astype(np.int32), pa.int32(), mask=~ok).cast(pa.date32())


def _number_group(vals: Sequence[Any], parser: _Parser) -> ColumnResult:
    f = np.asarray(vals, dtype=np.float64)
    n = len(f)
    blank = np.zeros(n, bool)
    kind = parser.column.type
    finite = np.isfinite(f)
    if kind == "date":
        days = np.floor(np.where(finite, f, 0)) - EPOCH_SERIAL
        ok = finite & (days >= _MIN_DAYS) & (days <= _MAX_DAYS)
        values = _days_to_dates(days, ok)
        idx = np.flatnonzero(~ok).tolist()
        return ColumnResult(values, blank, idx, ["date-unparseable"] * len(idx), [show(vals[i]) for i in idx])
    if kind == "int":
        whole = finite & (f == np.floor(np.where(finite, f, 0)))
        neg = finite & (f < 0)
        big = finite & (f >= 1e9)
        frac = finite & ~whole & ~neg
        rule = np.full(n, "", dtype=object)
        rule[~finite | big] = "int-unparseable"
        rule[neg] = "int-negative"
        if not parser.floor_fraction:
            rule[frac] = "int-not-whole"
        ok = rule == ""
        ints = np.floor(np.where(ok, f, 0)).astype(np.int64)
        values = pa.array(ints, pa.int64(), mask=~ok)
        idx = np.flatnonzero(~ok).tolist()
        return ColumnResult(values, blank, idx, [rule[i] for i in idx], [show(vals[i]) for i in idx])
    if kind == "text" and finite.all() and (f == np.floor(f)).all() and (np.abs(f) < 2**53).all():
        values = pa.array(f.astype(np.int64)).cast(pa.string())
        return ColumnResult(values, blank)
    return _string_group([_number_text(v) for v in vals], parser)


def _date_group(vals: Sequence[Any], parser: _Parser, is_datetime: bool) -> ColumnResult:
    n = len(vals)
    kind = parser.column.type
    if kind == "date":
        source_type = pa.timestamp("us") if is_datetime else pa.date32()
        values = pa.array(vals, source_type).cast(pa.date32())
        return ColumnResult(values, np.zeros(n, bool))
    if kind == "text":
        return _string_group([show(v) for v in vals], parser)
    rule = "int-unparseable" if kind == "int" else "code-invalid"
    return ColumnResult(pa.nulls(n, _ARROW_TYPES[kind]), np.zeros(n, bool), list(range(n)), [rule] * n,
                        [show(v) for v in vals])


def _other_group(vals: Sequence[Any], parser: _Parser) -> ColumnResult:
    kind = parser.column.type
    if kind in ("text", "code"):
        return _string_group([_number_text(v) for v in vals], parser)
    n = len(vals)
    rule = "date-unparseable" if kind == "date" else "int-unparseable"
    return ColumnResult(pa.nulls(n, _ARROW_TYPES[kind]), np.zeros(n, bool), list(range(n)), [rule] * n,
                        [show(v) for v in vals])


def _convert_group(code: int, vals: Sequence[Any], parser: _Parser) -> ColumnResult:
    if code == STR:
        return _string_group(vals, parser)
    if code in (FLOAT, INT):
        return _number_group(vals, parser)
    if code in (DATE, DATETIME):
        return _date_group(vals, parser, code == DATETIME)
    return _other_group(vals, parser)


def _check_date_range(res: ColumnResult) -> None:
    """Dates before 1900 or after 2100 are typing slips (e.g. year 0202), not real dates."""
    days = res.values.cast(pa.int32()).to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        out = np.flatnonzero((days < _MIN_DAYS) | (days > _MAX_DAYS))
    if len(out):
        dates = res.values.to_pylist()
        mask = np.zeros(len(res.values), bool)
        mask[out] = True
        for i in out.tolist():
            res.bad_idx.append(i)
            res.bad_rule.append("date-implausible")
            res.bad_value.append(show(dates[i]))
        res.values = pc.if_else(pa.array(mask), pa.scalar(None, pa.date32()), res.values)


def convert_column(
    col: Sequence[Any] | pa.Array,
    column: Column,
    flags: dict[int, tuple[str, str]] | None = None,
    parser: _Parser | None = None,
) -> ColumnResult:
    """Convert raw cells of one column. ``flags`` marks formula/error cells by position.

    Pass the same ``parser`` (from :func:`make_parser`) for successive chunks of one column so
    each distinct string is parsed once.
    """
    parser = parser or make_parser(column)
    if isinstance(col, pa.Array):  # CSV: already strings
        res = _string_group(col, parser)
    else:
        n = len(col)
        types = set(map(type, col))
        if len(types) <= 1 or len({_TYPE_CODES[t] for t in types}) == 1:  # one kind of cell: no regrouping
            res = _convert_group(_TYPE_CODES[types.pop()] if types else STR, col, parser)
        else:
            tc = np.fromiter(map(_TYPE_CODES.__getitem__, map(type, col)), dtype=np.int8, count=n)
            groups = np.unique(tc)
            parts: list[tuple[np.ndarray, ColumnResult]] = []
            for g in groups.tolist():
                idx = np.flatnonzero(tc == g)
                vals: Any
                if isinstance(col, np.ndarray):
                    vals = col[idx]
                else:
                    vals = itemgetter(*idx.tolist())(col) if len(idx) > 1 else (col[int(idx[0])],)
                parts.append((idx, _convert_group(g, vals, parser)))
            order = np.concatenate([p[0] for p in parts])
            inv = np.empty(n, np.int64)
            inv[order] = np.arange(n)
            values = pa.concat_arrays([p[1].values for p in parts]).take(pa.array(inv))
            blank = np.concatenate([p[1].blank for p in parts])[inv]
            res = ColumnResult(values, blank)
            for idx, r in parts:
                res.bad_idx.extend(idx[r.bad_idx].tolist())
                res.bad_rule.extend(r.bad_rule)
                res.bad_value.extend(r.bad_value)
    if column.type == "date":
        _check_date_range(res)
    if flags:
        _apply_flags(res, flags, col)
    return res


def _apply_flags(res: ColumnResult, flags: dict[int, tuple[str, str]], col: Sequence[Any] | pa.Array) -> None:
    """Formula and error cells found in the sheet XML: null them and report them, replacing any
    other finding for the same cell (a ``#N/A`` is not a blank; a formula's date is not a value)."""
    n = len(res.values)
    flagged = {i: f for i, f in flags.items() if 0 <= i < n}
    if not flagged:
        return
    keep = [k for k, i in enumerate(res.bad_idx) if i not in flagged]
    res.bad_idx = [res.bad_idx[k] for k in keep]
    res.bad_rule = [res.bad_rule[k] for k in keep]
    res.bad_value = [res.bad_value[k] for k in keep]
    mask = np.zeros(n, bool)
    for i, (rule, text) in sorted(flagged.items()):
        mask[i] = True
        res.bad_idx.append(i)
        res.bad_rule.append(rule)
        cached = col[i].as_py() if isinstance(col, pa.Array) else col[i]
        plain = rule == "excel-error" or cached in ("", None)
        res.bad_value.append(text if plain else f"{text} (shows {show(cached)})")
    res.blank = res.blank & ~mask
    res.values = pc.if_else(pa.array(mask), pa.scalar(None, res.values.type), res.values)
