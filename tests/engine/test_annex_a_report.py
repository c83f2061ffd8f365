"""The data-quality report as text, JSON and Excel."""

from __future__ import annotations

from openpyxl import load_workbook

from oversight.engine.annex_a import ReportData, read_annex_a, render_json, render_text, write_xlsx
from oversight.engine.annex_a.testing import AS_AT, row, write_workbook


def _data(tmp_path) -> ReportData:
    lists = {6: [row(6, allocated_team="#N/A"), row(6, child_id="C9", primary_need="PSRMEM")]}
    return ReportData.from_result(read_annex_a(write_workbook(tmp_path / "a.xlsx", lists), AS_AT))


def test_the_text_report_gives_counts_then_one_line_per_problem_with_where_and_what(tmp_path):
    text = render_text(_data(tmp_path))
    assert "File: a.xlsx    As at: 31/01/2024    Schema: 2024" in text
    assert "Errors: 2" in text
    assert "  List 6 Children in need, 'Allocated Team', excel-error: 1" in text
    assert ("  ERROR   sheet 'List 6', row 2, column 'Allocated Team': found '#N/A'; expected a value, "
            "not an Excel error [excel-error]") in text


def test_a_clean_file_says_so(tmp_path):
    data = ReportData.from_result(read_annex_a(write_workbook(tmp_path / "a.xlsx"), AS_AT))
    assert "No problems found." in render_text(data)


def test_the_json_report_lists_every_problem_with_its_fields(tmp_path):
    doc = render_json(_data(tmp_path))
    assert doc["as_at"] == "2024-01-31"
    assert doc["summary"]["errors"] == 2
    first = next(p for p in doc["problems"] if p["rule"] != "list-missing")
    assert {k: first[k] for k in ("sheet", "row", "column", "value", "rule", "severity")} == {
        "sheet": "List 6", "row": 2, "column": "Allocated Team", "value": "#N/A", "rule": "excel-error",
        "severity": "error"}


def test_values_can_be_hidden_for_people_who_may_not_see_child_level_data(tmp_path):
    data = _data(tmp_path)
    assert "PSRMEM" not in render_text(data, include_values=False)
    assert {p["value"] for p in render_json(data, include_values=False)["problems"]} == {"(hidden)"}


def test_the_excel_report_has_a_summary_and_a_filterable_problems_sheet(tmp_path):
    write_xlsx(_data(tmp_path), tmp_path / "r.xlsx")
    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames == ["Summary", "Problems"]
    ws = wb["Problems"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Severity", "List", "Sheet", "Row", "Column", "Value found", "Expected", "Rule")
    assert ("error", "List 6 Children in need", "List 6", 2, "Allocated Team", "#N/A") in [r[:6] for r in rows]
    assert ws.auto_filter.ref == f"A1:H{len(rows)}"
