"""Every spreadsheet and CSV the product writes keeps text as text, and the scorecard XLSX reads well.

The attack: an officer (or a case system's free-text team name) puts ``=cmd|' /C calc'!A0`` in a
cell; opened in Excel, a formula cell would run it. Each writer is opened back and the cell must be
text, never a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from oversight.engine.annex_a.model import Problem
from oversight.engine.annex_a.report import ReportData
from oversight.engine.annex_a.report import write_xlsx as write_annex_a_xlsx
from oversight.engine.indicators import load_catalogue
from oversight.engine.indicators.rag import TargetBand, direction_of_travel, rag
from oversight.engine.indicators.spc import xmr
from oversight.performance.exports import period_label, scorecard_xlsx, table_response
from oversight.performance.management.commands.indicators import Command as IndicatorsCommand
from oversight.performance.models import Benchmark
from oversight.performance.services import Row, ThemeGroup
from oversight.plans.exporters import write_xlsx as write_tracker_xlsx
from oversight.plans.models import Action, Programme, Recommendation, Theme

ATTACK = "=cmd|' /C calc'!A0"


def _no_formulas(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"


def test_a_success_measure_that_looks_like_a_formula_comes_back_from_the_tracker_xlsx_as_text(db, tmp_path):
    p = Programme.objects.create(slug="t", name="Test")
    rec = Recommendation.objects.create(theme=Theme.objects.create(programme=p, title="Theme"), ref="1",
                                        text="Assessments")
    Action.objects.create(recommendation=rec, ref="1.1", title="@SUM(A1)", success_measure=ATTACK)
    path = write_tracker_xlsx(p, tmp_path / "tracker.xlsx")
    wb = openpyxl.load_workbook(path)
    _no_formulas(wb)
    values = [c for row in wb["Tracker"].iter_rows(values_only=True) for c in row]
    assert "'" + ATTACK in values
    assert "'@SUM(A1)" in values


def test_a_value_found_in_an_annex_a_list_comes_back_from_the_data_quality_xlsx_as_text(tmp_path):
    problem = Problem(list_number=1, table="contacts", sheet="List 1", row=7, column="Child ID", key=None,
                      value=ATTACK, expected="an ID", rule="required")
    data = ReportData("annex.xlsx", dt.date(2020, 1, 31), "2024", "0" * 64, {"contacts": 10}, [problem])
    target = tmp_path / "dq.xlsx"
    write_annex_a_xlsx(data, target)
    wb = openpyxl.load_workbook(target)
    _no_formulas(wb)
    assert "'" + ATTACK in [c for row in wb["Problems"].iter_rows(values_only=True) for c in row]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_team_name_that_looks_like_a_formula_comes_back_from_the_performance_download_as_text(fmt):
    resp = table_response(fmt, "teams", [("Teams", ["team", "value"], [[ATTACK, 3], ["Team -1", -1.5]])])
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(resp.content.decode())))
        assert rows[1] == ["'" + ATTACK, "3"]
        assert rows[2] == ["Team -1", "-1.5"]  # a negative number stays a number
    else:
        wb = openpyxl.load_workbook(io.BytesIO(resp.content))
        _no_formulas(wb)
        ws = wb.active
        assert ws["A2"].value == "'" + ATTACK and ws["B3"].value == -1.5


def test_a_team_name_that_looks_like_a_formula_comes_back_from_the_indicators_csv_as_text():
    result = {"indicators": [{
        "id": "contacts", "name": "Contacts", "unit": "count", "polarity": "none", "period_type": "flow",
        "series": [{"month": "2020-01", "numerator": None, "denominator": None, "value": 12}],
        "by_team": {ATTACK: [{"month": "2020-01", "numerator": None, "denominator": None, "value": 12}]},
    }]}
    rows = list(csv.DictReader(io.StringIO(IndicatorsCommand._render(result, "csv"))))
    assert rows[1]["breakdown_value"] == "'" + ATTACK
    assert rows[1]["value"] == "12"


def test_periods_are_written_as_people_write_them():
    assert period_label("201819") == "2018/19"
    assert period_label("2019-08") == "Aug 19"
    assert period_label("2020-01") == "Jan 20"
    assert period_label("2023") == "2023"


def _row(indicator_id: str, values: list[float | None], target: TargetBand | None, national: float | None,
         comment_months: list[str]) -> Row:
    ind = load_catalogue()[indicator_id]
    points = [{"month": m, "numerator": None, "denominator": None, "value": v}
              for m, v in zip(comment_months, values, strict=True)]
    points[-1].update(numerator=2, denominator=3)
    benchmarks = {}
    if national is not None:
        benchmarks["national"] = Benchmark(indicator=indicator_id, time_period="201819", year=2019,
                                           level="national", area_name="England", value=national)
    return Row(indicator=ind, months=comment_months, points=points, target=target,
               rag=rag(values[-1], target.minimum, target.upper, ind.polarity) if target else "none",
               direction=direction_of_travel(values, ind.polarity), spc=xmr(values, ind.polarity),
               benchmarks=benchmarks, data_quality={"rows_excluded": 1}, history=points)


def test_the_scorecard_xlsx_has_names_months_coloured_rag_words_frozen_header_and_numbers():
    months = ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
    first = next(iter(load_catalogue()))
    pct = next(i for i in load_catalogue() if i.unit == "percent" and i.polarity == "high")
    rows = [_row(pct.id, [78.0, 92.1, 88.1, 78.1, 68.6, 66.7], TargetBand(60, 80, dt.date(2020, 3, 31)), 83.1,
                 months)]
    if first.id != pct.id:
        rows.append(_row(first.id, [None, None, None, None, None, None], None, None, months))
    wb = openpyxl.load_workbook(io.BytesIO(scorecard_xlsx([ThemeGroup("t", "Help and protection", rows)], months,
                                                          as_at=dt.date(2020, 1, 31))))
    _no_formulas(wb)
    ws = wb["Scorecard"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Theme", "Ref", "Performance measure", "Unit", "Period", "Better when"]
    assert header[6:12] == ["Aug 19", "Sep 19", "Oct 19", "Nov 19", "Dec 19", "Jan 20"]
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions["C"].width >= 40
    got = dict(zip(header, [c for c in ws[2]], strict=True))
    assert got["Performance measure"].value == pct.name
    assert got["Jan 20"].value == pytest.approx(0.667) and got["Jan 20"].number_format == "0.0%"
    assert got["Current"].value == pytest.approx(0.667)
    assert got["Numerator"].value == 2 and got["Denominator"].value == 3
    assert got["Target minimum"].value == pytest.approx(0.6) and got["Target upper"].value == pytest.approx(0.8)
    assert got["Target due"].value.date() == dt.date(2020, 3, 31)
    assert got["RAG"].value == "Amber"  # the word, not only the colour
    assert got["RAG"].fill.fgColor.rgb.endswith("FFE3BE")
    assert got["National"].value == pytest.approx(0.831)
    assert got["Benchmark year"].value == "2018/19"
    assert "Down" in got["Direction of travel"].value
    assert pct.id not in [c.value for c in ws[2]]  # no code names
    if len(rows) > 1:
        assert ws.cell(3, header.index("RAG") + 1).value == "Not rated"
    about = wb["About"]
    assert about["B2"].value.date() == dt.date(2020, 1, 31)
