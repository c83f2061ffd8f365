"""Result types shared by the loader, the validator, the store and the report.

Problems are collected column-wise (:class:`ProblemLog`, an Arrow table) because a messy export
can have hundreds of thousands of them; :class:`Problem` objects are made only when someone
reads them one by one (the text report, the app's page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Severity = Literal["error", "warning"]


class AnnexARefused(Exception):
    """The whole file is refused (structural problem). ``str()`` is the one-line reason for the user."""


@dataclass(frozen=True)
class Problem:
    """One data-quality finding, located the way the user sees the file (sheet, Excel row, header)."""

    list_number: int | None
    table: str | None
    sheet: str | None
    row: int | None
    column: str | None
    key: str | None
    value: str
    expected: str
    rule: str
    severity: Severity = "error"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts) or "file"


PROBLEM_SCHEMA = pa.schema([
    ("list_number", pa.int64()), ("table", pa.string()), ("sheet", pa.string()), ("row", pa.int64()),
    ("column", pa.string()), ("key", pa.string()), ("value", pa.string()), ("expected", pa.string()),
    ("rule", pa.string()), ("severity", pa.string()),
])
_LOG_SCHEMA = PROBLEM_SCHEMA.append(pa.field("_pos", pa.int64()))


def _text(value: str | Sequence[str] | pa.Array | None, n: int) -> pa.Array:
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if isinstance(value, pa.Array):
        return value.cast(pa.string())
    if value is None or isinstance(value, str):
        return pa.repeat(pa.scalar(value, pa.string()), n)
    return pa.array(list(value), pa.string())


class ProblemLog:
    """Problems collected in batches of columns (one batch per rule and column)."""

    def __init__(self) -> None:
        self.batches: list[pa.Table] = []

    def add(self, *, list_number: int | None, table: str | None, sheet: str | None,
            rows: Sequence[int | None] | np.ndarray | pa.Array, column: str | None, key: str | None,
            values: str | Sequence[str] | pa.Array, expected: str | Sequence[str] | pa.Array, rule: str,
            severity: Severity, position: int = 999) -> None:
        n = len(rows)
        if not n:
            return
        if isinstance(rows, pa.ChunkedArray):
            rows = rows.combine_chunks()
        row_arr = rows.cast(pa.int64()) if isinstance(rows, pa.Array) else pa.array(rows, pa.int64())
        self.batches.append(pa.Table.from_arrays([
            pa.repeat(pa.scalar(list_number, pa.int64()), n), _text(table, n), _text(sheet, n), row_arr,
            _text(column, n), _text(key, n), _text(values, n), _text(expected, n), _text(rule, n),
            _text(severity, n), pa.repeat(pa.scalar(position, pa.int64()), n),
        ], schema=_LOG_SCHEMA))

    def add_problem(self, p: Problem, position: int = 999) -> None:
        self.add(list_number=p.list_number, table=p.table, sheet=p.sheet, rows=[p.row], column=p.column, key=p.key,
                 values=[p.value], expected=[p.expected], rule=p.rule, severity=p.severity, position=position)

    def table(self) -> pa.Table:
        """All problems, in list, row and column order."""
        if not self.batches:
            return PROBLEM_SCHEMA.empty_table()
        t = pa.concat_tables(self.batches)
        t = t.sort_by([("list_number", "ascending"), ("row", "ascending"), ("_pos", "ascending"),
                       ("rule", "ascending")])
        return t.drop_columns(["_pos"])


def problems_to_table(problems: list[Problem]) -> pa.Table:
    cols: dict[str, list] = {name: [] for name in PROBLEM_SCHEMA.names}
    for p in problems:
        for name in PROBLEM_SCHEMA.names:
            cols[name].append(getattr(p, name))
    return pa.table(cols, schema=PROBLEM_SCHEMA)


def problems_from_table(table: pa.Table) -> list[Problem]:
    return [Problem(**row) for row in table.select(PROBLEM_SCHEMA.names).to_pylist()]


def _column_positions() -> dict[tuple[int, str], int]:
    from oversight.engine.annex_a.schema import SCHEMAS

    out: dict[tuple[int, str], int] = {}
    for schema in SCHEMAS.values():
        for spec in schema.lists:
            for i, key in enumerate(spec.keys):
                out.setdefault((spec.number, key), i)
    return out


def summarise_table(table: pa.Table, row_counts: dict[str, int] | None = None) -> dict[str, Any]:
    """Data-quality summary stored in the manifest and shown in the app (counts only, no child data)."""
    sev = table["severity"]
    errors = int(pc.sum(pc.equal(sev, "error")).as_py() or 0)
    by_rule = {r["rule"]: r["rule_count"] for r in table.group_by("rule").aggregate([("rule", "count")]).to_pylist()}
    by_list: dict[str, dict[str, int]] = {}
    for r in table.group_by(["table", "severity"]).aggregate([("rule", "count")]).to_pylist():
        d = by_list.setdefault(r["table"] or "file", {"error": 0, "warning": 0})
        d[r["severity"]] = r["rule_count"]
    positions = _column_positions()
    grouped = table.group_by(["table", "column", "rule", "list_number", "key"]).aggregate([("rule", "count")])
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in grouped.to_pylist():
        group = (r["table"] or "file", r["column"] or "", r["rule"])
        item = merged.setdefault(group, {"table": group[0], "column": group[1], "rule": group[2], "count": 0,
                                         "_order": (99, 999)})
        item["count"] += r["rule_count"]
        order = (r["list_number"] or 99, positions.get((r["list_number"], r["key"]), 999))
        item["_order"] = min(item["_order"], order)
    by_column = sorted(merged.values(), key=lambda i: (i["_order"], i["column"], i["rule"]))
    for item in by_column:
        del item["_order"]
    err = table.filter(pc.and_(pc.equal(sev, "error"), pc.is_valid(table["row"])))
    rows_with_errors = {
        r["table"]: r["row_count_distinct"]
        for r in err.group_by("table").aggregate([("row", "count_distinct")]).to_pylist()
    }
    return {
        "errors": errors,
        "warnings": table.num_rows - errors,
        "by_rule": dict(sorted(by_rule.items())),
        "by_list": by_list,
        "by_column": by_column,
        "rows": dict(row_counts or {}),
        "rows_with_errors": rows_with_errors,
    }


def summarise(problems: list[Problem], row_counts: dict[str, int] | None = None) -> dict[str, Any]:
    return summarise_table(problems_to_table(problems), row_counts)


@dataclass
class LoadResult:
    """Validated Annex A lists, ready to store: one Arrow table per list present, plus the problems."""

    tables: dict[str, pa.Table]
    problem_table: pa.Table
    sha256: str
    source_name: str
    schema_version: str
    as_at: date
    sheets: dict[str, str] = field(default_factory=dict)

    @cached_property
    def problems(self) -> list[Problem]:
        return problems_from_table(self.problem_table)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def error_count(self) -> int:
        return int(pc.sum(pc.equal(self.problem_table["severity"], "error")).as_py() or 0)

    @property
    def warning_count(self) -> int:
        return self.problem_table.num_rows - self.error_count

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}

    def summary(self) -> dict[str, Any]:
        return summarise_table(self.problem_table, self.row_counts)
