"""Validate the lists read by :mod:`loader` and build the stored tables.

Two kinds of finding:

* **errors** – the cell cannot be trusted: it is stored as null and its column is named in the
  row's ``_invalid`` list, so indicators leave the row out and count it;
* **warnings** – the value is kept but looks wrong or inconsistent (duplicates, cross-list
  mismatches, dates outside the reporting window).

Cell checks run on numpy/Arrow arrays; row, duplicate and cross-list checks are DuckDB SQL over
the built tables (:mod:`checks`). Every rule is described in ``docs/annex-a.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oversight.engine.annex_a.checks import run_table_checks
from oversight.engine.annex_a.loader import RawList, RawWorkbook
from oversight.engine.annex_a.model import LoadResult, ProblemLog, Severity
from oversight.engine.annex_a.schema import Column, ListSpec, expected_text, get_schema

_EPOCH = date(1970, 1, 1)
#: Work with an unborn child (pre-birth referral, S47, CP plan) is legitimate up to this many
#: days before birth (a warning); earlier than that the date fails (INDICATORS.md, conventions).
PRE_BIRTH_DAYS = 300

_ARROW = {"date": pa.date32(), "int": pa.int64(), "text": pa.string(), "code": pa.string()}

# (start, end) of one episode: an end before its **own** start fails (error, the end is nulled).
# INDICATORS.md names these as the only order problems that remove a row from an indicator.
DATE_ENDS: dict[str, list[tuple[str, str]]] = {
    "early_help": [("eh_assessment_start", "eh_assessment_end")],
    "assessments": [("assessment_start", "assessment_authorised")],
    "cin": [("cin_start", "cin_closure")],
    "cp": [("cpp_start", "cpp_end")],
    "cla": [("cla_start", "cla_end")],
    "adopters": [("stage1_start", "stage1_end"), ("stage2_start", "stage2_end")],
}

# (earlier, later): other dates expected in this order. Out of order is a **warning** and both
# values are kept ("nothing else removes a row"); each indicator's definition says how it treats
# them, e.g. an ICPC before its S47 start stays in s47_to_icpc_pct and icpc_to_cpp_pct and is
# left out only of icpc_15wd_pct's denominator.
DATE_ORDER: dict[str, list[tuple[str, str]]] = {
    "s47": [("s47_start", "icpc_date")],
    "cp": [("cpp_start", "latest_review")],
    "cla": [("cla_start", "placement_start"), ("placement_start", "cla_end")],
    "adoption": [("entered_care", "placed_for_adoption"), ("matched", "placed_for_adoption"),
                 ("placed_for_adoption", "adoption_order")],
    "adopters": [("enquiry_date", "stage1_start"), ("stage1_end", "stage2_start"),
                 ("application_submitted", "application_approved"), ("application_approved", "matched"),
                 ("matched", "placed"), ("placed", "adoption_order")],
}

#: Dates that may be after the as-at date without failing: INDICATORS.md keeps a last visit
#: after R in the denominator, where it fails the numerator ("not after R"). A warning.
FUTURE_KEPT: dict[str, tuple[str, ...]] = {"cp": ("last_visit",), "cla": ("last_visit",)}

_POSTCODE = r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$"

_CELL_EXPECTED = {
    "date-unparseable": "a date: dd/mm/yyyy, yyyy-mm-dd or an Excel date cell",
    "date-implausible": "a date between 01/01/1900 and 31/12/2100",
    "int-unparseable": "a whole number, 0 or more",
    "int-negative": "a whole number, 0 or more",
    "int-not-whole": "a whole number (no fraction)",
    "excel-error": "a value, not an Excel error",
    "formula": "a typed-in value, not a formula",
}


@dataclass
class ListState:
    """One list during validation: every schema column as an Arrow array plus masks."""

    raw: RawList
    values: dict[str, pa.Array]
    invalid: dict[str, np.ndarray]
    blank: dict[str, np.ndarray]
    log: ProblemLog

    @property
    def spec(self) -> ListSpec:
        return self.raw.spec

    @property
    def n(self) -> int:
        return len(self.raw.rows)

    def header(self, key: str) -> str:
        return self.raw.headers.get(key) or self.spec.column(key).header

    def position(self, key: str | None) -> int:
        return self.spec.keys.index(key) if key in self.spec.keys else 999

    def report(self, key: str | None, idx: list[int] | np.ndarray, rule: str, expected: str | list[str] | pa.Array,
               shown: str | list[str] | pa.Array, severity: Severity = "error", invalidate: bool = True) -> None:
        """Record problems for rows ``idx`` of column ``key``; errors also null the cell."""
        if not len(idx):
            return
        idx = np.asarray(idx, dtype=np.int64)
        self.log.add(list_number=self.spec.number, table=self.spec.table, sheet=self.raw.sheet,
                     rows=self.raw.rows[idx], column=self.header(key) if key else None, key=key, values=shown,
                     expected=expected, rule=rule, severity=severity, position=self.position(key))
        if invalidate and key:
            mask = np.zeros(self.n, bool)
            mask[idx] = True
            self.invalid[key] |= mask
            self.values[key] = pc.if_else(pa.array(mask), pa.scalar(None, self.values[key].type), self.values[key])


def _days(arr: pa.Array) -> np.ndarray:
    """Days since 1970 as float (NaN for null), for vectorised comparisons."""
    return arr.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.float64)


def _fmt(arr: pa.Array, idx: np.ndarray | list[int]) -> pa.Array:
    """Dates at ``idx`` as dd/mm/yyyy strings, without a Python loop."""
    picked = arr.take(pa.array(np.asarray(idx, dtype=np.int64)))
    return pc.strftime(picked.cast(pa.timestamp("s")), format="%d/%m/%Y")


def _join(prefix: str, texts: pa.Array, suffix: str = "") -> pa.Array:
    return pc.binary_join_element_wise(prefix, texts, suffix, "")


def _start_state(raw: RawList) -> ListState:
    n = len(raw.rows)
    values: dict[str, pa.Array] = {}
    invalid: dict[str, np.ndarray] = {}
    blank: dict[str, np.ndarray] = {}
    for col in raw.spec.columns:
        res = raw.results.get(col.key)
        if res is None:
            values[col.key] = pa.nulls(n, _ARROW[col.type])
            blank[col.key] = np.ones(n, bool)
        else:
            values[col.key] = res.values
            blank[col.key] = res.blank
        invalid[col.key] = np.zeros(n, bool)
    state = ListState(raw, values, invalid, blank, ProblemLog())
    for p in raw.problems:
        state.log.add_problem(p, state.position(p.key))
    for col in raw.spec.columns:
        res = raw.results.get(col.key)
        if res is not None and res.bad_idx:
            expected = [_cell_expected(rule, col) for rule in res.bad_rule]
            _report_mixed(state, col.key, res.bad_idx, res.bad_rule, expected, res.bad_value)
    return state


def _cell_expected(rule: str, col: Column) -> str:
    if rule == "code-invalid":
        return expected_text(col)
    return _CELL_EXPECTED.get(rule, expected_text(col))


def _report_mixed(state: ListState, key: str, idx: list[int], rules: list[str], expected: list[str],
                  shown: list[str]) -> None:
    by_rule: dict[str, list[int]] = {}
    for k, rule in enumerate(rules):
        by_rule.setdefault(rule, []).append(k)
    for rule, ks in by_rule.items():
        state.report(key, [idx[k] for k in ks], rule, [expected[k] for k in ks], [shown[k] for k in ks])


def check_blank_mandatory(state: ListState) -> None:
    for col in state.spec.columns:
        if not col.required or col.key not in state.raw.results:
            continue
        idx = np.flatnonzero(state.blank[col.key] & ~state.invalid[col.key])
        state.report(col.key, idx, "blank-mandatory", "a value: this column may not be blank", "(blank)")


def check_dates(state: ListState, as_at: date) -> None:
    """Future dates, dates before birth and ends before starts."""
    spec = state.spec
    limit = (as_at - _EPOCH).days
    date_keys = [c.key for c in spec.columns if c.type == "date"]
    kept = FUTURE_KEPT.get(spec.table, ())
    for key in date_keys:
        d = _days(state.values[key])
        with np.errstate(invalid="ignore"):
            idx = np.flatnonzero(d > limit)
        if key in kept:
            state.report(key, idx, "visit-after-as-at",
                         f"a date on or before the as-at date {as_at:%d/%m/%Y} (kept: counts as not visited "
                         f"in time)", _fmt(state.values[key], idx), severity="warning", invalidate=False)
            continue
        state.report(key, idx, "date-future", f"a date on or before the as-at date {as_at:%d/%m/%Y}",
                     _fmt(state.values[key], idx))
    if "date_of_birth" in state.values:
        dob_arr = state.values["date_of_birth"]
        dob = _days(dob_arr)
        for key in date_keys:
            if key == "date_of_birth":
                continue
            arr = state.values[key]
            d = _days(arr)
            with np.errstate(invalid="ignore"):
                gap = dob - d
                far = np.flatnonzero(gap > PRE_BIRTH_DAYS)
                near = np.flatnonzero((gap > 0) & (gap <= PRE_BIRTH_DAYS))
            if len(far):
                state.report(key, far, "date-before-birth",
                             _join("a date on or after the date of birth ", _fmt(dob_arr, far)), _fmt(arr, far))
            if len(near):
                state.report(key, near, "date-pre-birth",
                             _join("a date on or after the date of birth ", _fmt(dob_arr, near),
                                   " (pre-birth work? please check)"),
                             _fmt(arr, near), severity="warning", invalidate=False)
    for start, end in DATE_ENDS.get(spec.table, []):
        s_arr, e_arr = state.values[start], state.values[end]
        with np.errstate(invalid="ignore"):
            idx = np.flatnonzero(_days(e_arr) < _days(s_arr))
        if len(idx):
            state.report(end, idx, "end-before-start",
                         _join(f"a date on or after '{state.header(start)}' (", _fmt(s_arr, idx), ")"),
                         _fmt(e_arr, idx))
    for before, after in DATE_ORDER.get(spec.table, []):
        b_arr, a_arr = state.values[before], state.values[after]
        with np.errstate(invalid="ignore"):
            idx = np.flatnonzero(_days(a_arr) < _days(b_arr))
        if len(idx):
            state.report(after, idx, "date-order",
                         _join(f"a date on or after '{state.header(before)}' (", _fmt(b_arr, idx), "); kept"),
                         _fmt(a_arr, idx), severity="warning", invalidate=False)


def check_formats(state: ListState) -> None:
    if "placement_postcode" in state.values and "placement_postcode" in state.raw.results:
        arr = state.values["placement_postcode"]
        ok = pc.match_substring_regex(arr, _POSTCODE)
        bad = pc.and_(pc.is_valid(arr), pc.invert(pc.fill_null(ok, True)))
        idx = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
        if len(idx):
            state.report("placement_postcode", idx, "postcode-invalid", "a UK postcode such as 'AB1 2CD'",
                         arr.take(pa.array(idx)))


def build_table(state: ListState) -> pa.Table:
    """Columns in published order, then ``_row`` and ``_invalid`` (docs/annex-a-tables.md)."""
    n = state.n
    keys = list(state.spec.keys)
    rows_idx: list[np.ndarray] = []
    names: list[np.ndarray] = []
    for key in keys:
        hit = np.flatnonzero(state.invalid[key])
        if len(hit):
            rows_idx.append(hit)
            names.append(np.full(len(hit), key, dtype=object))
    if rows_idx:
        r = np.concatenate(rows_idx)
        order = np.argsort(r, kind="stable")
        counts = np.bincount(r, minlength=n)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
        flat = pa.array(np.concatenate(names)[order].tolist(), pa.string())
        invalid = pa.ListArray.from_arrays(pa.array(offsets), flat)
    else:
        invalid = pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, np.int32)), pa.array([], pa.string()))
    arrays = [state.values[k] for k in keys] + [pa.array(state.raw.rows, pa.int64()), invalid]
    fields = [pa.field(k, _ARROW[state.spec.column(k).type]) for k in keys]
    fields += [pa.field("_row", pa.int64()), pa.field("_invalid", pa.list_(pa.string()))]
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def validate(raw: RawWorkbook, as_at: date) -> LoadResult:
    """Run every rule; return the stored tables and the full problem list, in sheet/row order."""
    states = [_start_state(r) for r in raw.lists]
    for state in states:
        check_blank_mandatory(state)
        check_dates(state, as_at)
        check_formats(state)
    tables = {s.spec.table: build_table(s) for s in states}
    log = ProblemLog()
    for p in raw.problems:
        log.add_problem(p)
    seen = {s.spec.number for s in states} | {p.list_number for p in raw.problems if p.rule == "list-empty"}
    for spec in get_schema(raw.schema_version).lists:
        if spec.number not in seen:
            log.add(list_number=spec.number, table=spec.table, sheet=None, rows=[None], column=None, key=None,
                    values="(no sheet)", expected=f"a sheet named 'List {spec.number}' ({spec.title})",
                    rule="list-missing", severity="warning")
    for s in states:
        log.batches.extend(s.log.batches)
    run_table_checks(tables, {s.spec.table: s for s in states}, as_at, raw.schema_version, log)
    return LoadResult(
        tables=tables,
        problem_table=log.table(),
        sha256=raw.sha256,
        source_name=raw.source_name,
        schema_version=raw.schema_version,
        as_at=as_at,
        sheets={s.spec.table: s.raw.sheet for s in states},
    )
