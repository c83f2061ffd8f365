"""The data-quality report as text, JSON or an Excel workbook.

The same report is built from a fresh :class:`LoadResult` (``oversight annex-a check``) or from a
stored dataset (the app), so it takes plain metadata plus the problem list. Cell values can be
child-level data (IDs, dates of birth), and so can what a problem expects (another cell's date);
``include_values=False`` shows the place and the rule only, for people who may
see the report but not child-level data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from oversight.engine.annex_a.model import LoadResult, Problem, summarise
from oversight.engine.annex_a.schema import get_schema
from oversight.engine.safe_cells import safe_cell, safe_row

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


#: What each rule expects, in words that hold no value from any cell. A problem's own
#: ``expected`` can quote another cell of the child's record (their date of birth, a plan's
#: start date, their ethnicity elsewhere), so people who may not see child-level data are shown
#: the rule instead.
RULE_EXPECTED = {
    "date-unparseable": "a date: dd/mm/yyyy, yyyy-mm-dd or an Excel date cell",
    "date-implausible": "a date between 01/01/1900 and 31/12/2100",
    "date-future": "a date on or before the as-at date",
    "visit-after-as-at": "a date on or before the as-at date (kept: counts as not visited in time)",
    "date-before-birth": "a date on or after the child's date of birth (at most 300 days before it)",
    "date-pre-birth": "a date on or after the child's date of birth (pre-birth work? please check)",
    "end-before-start": "an end date on or after the start date of the same row",
    "date-order": "a date on or after the earlier date of the same row (kept)",
    "int-unparseable": "a whole number, 0 or more",
    "int-negative": "a whole number, 0 or more",
    "int-not-whole": "a whole number (no fraction)",
    "excel-error": "a value, not an Excel error",
    "formula": "a typed-in value, not a formula",
    "blank-mandatory": "a value: this column may not be blank",
    "postcode-invalid": "a UK postcode such as 'AB1 2CD'",
    "duplicate-row": "a row different from the earlier identical row",
    "duplicate-key": "one row per child and start date (or per child, or adopter)",
    "inconsistent-date-of-birth": "the same date of birth as for this child elsewhere in the lists",
    "inconsistent-gender": "the same gender as for this child elsewhere in the lists",
    "inconsistent-sex": "the same sex as for this child elsewhere in the lists",
    "inconsistent-ethnicity": "the same ethnicity as for this child elsewhere in the lists",
    "outside-window": "a date within the six months ending on the as-at date",
    "cp-plan-without-s47": "an S47 enquiry in List 5 on or before the plan start",
    "icpc-plan-not-in-cp-list": "a CP plan for this child in List 7",
    "icpc-date-without-outcome": "Yes or No, since an ICPC date is given",
    "closed-without-reason": "a reason, since a closure or end date is given",
    "referral-without-contact": "a contact for this child in List 1",
    "placed-for-adoption-not-looked-after": "this child in List 8, as placed for adoption with no adoption order yet",
    "adopted-but-not-placed": "a date placed for adoption, since an adoption order was made",
}
_DATE_TEXT = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}")


def rule_expected(p: Problem) -> str:
    """What ``p``'s rule expects, without any value from a cell (see :data:`RULE_EXPECTED`).

    Rules whose expectation never quotes a cell keep their own text; any date left in it is
    masked all the same, so a new rule cannot leak one by accident.
    """
    text = RULE_EXPECTED.get(p.rule, p.expected)
    return _DATE_TEXT.sub("(date hidden)", text)


def _expected(p: Problem, include_values: bool) -> str:
    return p.expected if include_values else rule_expected(p)


def redact(p: Problem) -> Problem:
    """``p`` as people without the child-level permission see it: the place and the rule only."""
    return replace(p, value=HIDDEN, expected=rule_expected(p))


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
            f"expected {_expected(p, include_values)} [{p.rule}]"
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
            {**p.as_dict(), "value": _value(p, include_values), "expected": _expected(p, include_values)}
            for p in data.problems
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
            c = WriteOnlyCell(ws, value=safe_cell(v))
            c.font = bold
            row.append(c)
        ws.append(row)

    heading(summary, "Annex A data-quality report")
    summary.append(["File", safe_cell(data.source_name)])
    summary.append(["As at", data.as_at])
    summary.append(["Schema version", data.schema_version])
    summary.append(["SHA-256", data.sha256])
    summary.append(["Errors (cells treated as missing)", s["errors"]])
    summary.append(["Warnings", s["warnings"]])
    summary.append([])
    heading(summary, "List", "Rows", "Errors", "Warnings")
    for table, n in data.row_counts.items():
        counts = s["by_list"].get(table, {})
        summary.append(safe_row([titles.get(table, table), n, counts.get("error", 0), counts.get("warning", 0)]))
    summary.append([])
    heading(summary, "List", "Column", "Rule", "Count")
    for item in s["by_column"]:
        summary.append(safe_row([titles.get(item["table"], item["table"]), item["column"], item["rule"],
                                 item["count"]]))

    ws = wb.create_sheet("Problems")
    ws.freeze_panes = "A2"
    heading(ws, "Severity", "List", "Sheet", "Row", "Column", "Value found", "Expected", "Rule")
    for p in data.problems:
        # the value found is whatever the council's spreadsheet held, "=HYPERLINK(...)" included
        ws.append(safe_row([p.severity, titles.get(p.table or "", p.table), p.sheet, p.row, p.column,
                            _value(p, include_values), _expected(p, include_values), p.rule]))
    ws.auto_filter.ref = f"A1:H{len(data.problems) + 1}"
    wb.save(target)


