"""The data-quality report as text, JSON or an Excel workbook.

The same report is built from a fresh :class:`LoadResult` (``oversight annex-a check``) or from a
stored dataset (the app), so it takes plain metadata plus the problem list. Cell values can be
child-level data (IDs, dates of birth); ``include_values=False`` blanks them for people who may
see the report but not child-level data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from oversight.engine.annex_a.model import LoadResult, Problem, summarise
from oversight.engine.annex_a.schema import get_schema

HIDDEN = "(hidden)"
COLUMNS = ["severity", "list_number", "table", "sheet", "row", "column", "value", "expected", "rule", "key"]


@dataclass
class ReportData:
    source_name: str
    as_at: date
    schema_version: str
    sha256: str
    row_counts: dict[str, int]
    problems: list[Problem]
    sheets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: LoadResult) -> ReportData:
        return cls(result.source_name, result.as_at, result.schema_version, result.sha256, result.row_counts,
                   result.problems, result.sheets)

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any], problems: list[Problem]) -> ReportData:
        sheets = {t: m.get("sheet") or t for t, m in manifest.get("tables", {}).items()}
        return cls(manifest["source_name"], date.fromisoformat(manifest["as_at"]), manifest["schema_version"],
                   manifest["sha256"], dict(manifest.get("row_counts", {})), problems, sheets)

    @property
    def summary(self) -> dict[str, Any]:
        return summarise(self.problems, self.row_counts)


def _value(p: Problem, include_values: bool) -> str:
    return p.value if include_values else HIDDEN


def _titles(version: str) -> dict[str, str]:
    return {s.table: f"List {s.number} {s.title}" for s in get_schema(version).lists}


def render_text(data: ReportData, include_values: bool = True) -> str:
    """Plain text for a terminal: summary first, then every problem in sheet and row order."""
    s = data.summary
    titles = _titles(data.schema_version)
    out = [
        "Annex A data-quality report",
        f"File: {data.source_name}    As at: {data.as_at:%d/%m/%Y}    Schema: {data.schema_version}",
        "Rows: " + ", ".join(f"{titles.get(t, t)} {n}" for t, n in data.row_counts.items()),
        f"Errors: {s['errors']} (those cells are treated as missing)    Warnings: {s['warnings']}",
    ]
    if not data.problems:
        out.append("No problems found.")
        return "\n".join(out) + "\n"
    out += ["", "Summary (list, column, rule: count)"]
    for item in s["by_column"]:
        name = titles.get(item["table"], item["table"])
        col = f", '{item['column']}'" if item["column"] else ""
        out.append(f"  {name}{col}, {item['rule']}: {item['count']}")
    out += ["", "Problems"]
    for p in data.problems:
        out.append(
            f"  {p.severity.upper():7} {p.location()}: found '{_value(p, include_values)}'; "
            f"expected {p.expected} [{p.rule}]"
        )
    return "\n".join(out) + "\n"


def render_json(data: ReportData, include_values: bool = True) -> dict[str, Any]:
    return {
        "file": data.source_name,
        "as_at": data.as_at.isoformat(),
        "schema_version": data.schema_version,
        "sha256": data.sha256,
        "rows": data.row_counts,
        "summary": data.summary,
        "problems": [
            {**p.as_dict(), "value": _value(p, include_values)} for p in data.problems
        ],
    }


def write_xlsx(data: ReportData, target: Path | IO[bytes], include_values: bool = True) -> None:
    """Workbook with a Summary sheet and a filterable Problems sheet (one row per problem)."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    titles = _titles(data.schema_version)
    s = data.summary

    summary = wb.create_sheet("Summary")

    def heading(ws: Any, *values: Any) -> None:
        row = []
        for v in values:
            c = WriteOnlyCell(ws, value=v)
            c.font = bold
            row.append(c)
        ws.append(row)

    heading(summary, "Annex A data-quality report")
    summary.append(["File", data.source_name])
    summary.append(["As at", data.as_at])
    summary.append(["Schema version", data.schema_version])
    summary.append(["SHA-256", data.sha256])
    summary.append(["Errors (cells treated as missing)", s["errors"]])
    summary.append(["Warnings", s["warnings"]])
    summary.append([])
    heading(summary, "List", "Rows", "Errors", "Warnings")
    for table, n in data.row_counts.items():
        counts = s["by_list"].get(table, {})
        summary.append([titles.get(table, table), n, counts.get("error", 0), counts.get("warning", 0)])
    summary.append([])
    heading(summary, "List", "Column", "Rule", "Count")
    for item in s["by_column"]:
        summary.append([titles.get(item["table"], item["table"]), item["column"], item["rule"], item["count"]])

    ws = wb.create_sheet("Problems")
    ws.freeze_panes = "A2"
    heading(ws, "Severity", "List", "Sheet", "Row", "Column", "Value found", "Expected", "Rule")
    for p in data.problems:
        ws.append([p.severity, titles.get(p.table or "", p.table), p.sheet, p.row, p.column,
                   _value(p, include_values), p.expected, p.rule])
    ws.auto_filter.ref = f"A1:H{len(data.problems) + 1}"
    wb.save(target)


