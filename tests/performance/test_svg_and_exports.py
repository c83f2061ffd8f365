"""Server-side SVG charts (no scripts or styles, text alternatives) and spreadsheet-safe exports."""

from __future__ import annotations

from oversight.engine.indicators.spc import xmr
from oversight.performance.exports import safe_cell
from oversight.performance.svg import sparkline, spc_chart


def test_a_sparkline_has_a_text_alternative_and_leaves_a_gap_for_a_blank_month():
    svg = str(sparkline([1, 2, None, 4, 5, 6], "Six month trend of <Contacts>"))
    assert 'role="img"' in svg and "Six month trend of &lt;Contacts&gt;" in svg
    assert svg.count("<polyline") == 2  # 1-2, then 4-5-6
    assert "style=" not in svg and "<script" not in svg


def test_a_sparkline_with_no_values_is_an_empty_labelled_picture():
    assert 'aria-label="x"' in str(sparkline([None] * 6, "x"))


def test_the_spc_chart_marks_special_cause_points_by_polarity():
    spc = xmr([50, 52, 50, 52, 50, 52, 50, 90], polarity="high")
    months = [f"2019-{m:02d}" for m in range(5, 13)]
    svg = str(spc_chart(months, spc, "Chart", target=60, polarity="high"))
    assert svg.count('fill="#1d70b8"') == 1  # the point beyond the upper limit, improving
    assert "upper limit" in svg and "target" in svg and "Dec 19" in svg
    assert "<desc" in svg and "style=" not in svg


def test_text_that_excel_would_run_as_a_formula_is_defused():
    assert safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_cell("Team A") == "Team A"
    assert safe_cell(-5) == -5
