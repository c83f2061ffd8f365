"""Result types shared by the loader, the validator, the store and the report."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

import pyarrow as pa

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


def problems_to_table(problems: list[Problem]) -> pa.Table:
    cols: dict[str, list] = {name: [] for name in PROBLEM_SCHEMA.names}
    for p in problems:
        for name in PROBLEM_SCHEMA.names:
            cols[name].append(getattr(p, name))
    return pa.table(cols, schema=PROBLEM_SCHEMA)


def problems_from_table(table: pa.Table) -> list[Problem]:
    return [Problem(**row) for row in table.to_pylist()]


def summarise(problems: list[Problem], row_counts: dict[str, int] | None = None) -> dict[str, Any]:
    """Data-quality summary stored in the manifest and shown in the app (counts only, no child data)."""
    by_severity = Counter(p.severity for p in problems)
    by_rule = Counter(p.rule for p in problems)
    by_list: dict[str, dict[str, int]] = {}
    by_column: Counter[tuple[str, str, str]] = Counter()
    rows_with_errors: dict[str, set[int]] = {}
    for p in problems:
        name = p.table or "file"
        d = by_list.setdefault(name, {"error": 0, "warning": 0})
        d[p.severity] += 1
        by_column[(name, p.column or "", p.rule)] += 1
        if p.severity == "error" and p.row is not None:
            rows_with_errors.setdefault(name, set()).add(p.row)
    return {
        "errors": by_severity.get("error", 0),
        "warnings": by_severity.get("warning", 0),
        "by_rule": dict(sorted(by_rule.items())),
        "by_list": by_list,
        "by_column": [
            {"table": t, "column": c, "rule": r, "count": n} for (t, c, r), n in sorted(by_column.items())
        ],
        "rows": dict(row_counts or {}),
        "rows_with_errors": {k: len(v) for k, v in rows_with_errors.items()},
    }


@dataclass
class LoadResult:
    """Validated Annex A lists, ready to store: one Arrow table per list present, plus the problems."""

    tables: dict[str, pa.Table]
    problems: list[Problem]
    sha256: str
    source_name: str
    schema_version: str
    as_at: date
    sheets: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}

    def summary(self) -> dict[str, Any]:
        return summarise(self.problems, self.row_counts)
