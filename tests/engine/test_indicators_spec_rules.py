"""Which problems remove a row from an indicator: one hand-worked example per rule of the
conventions paragraph in ``shared/specs/INDICATORS.md``.

Each example goes the whole way a council's file goes: a small workbook (``annex_a.testing``)
is read and validated, and the indicators are computed from the validated tables at
R = Wed 31 Jan 2024. The paragraph, rule by rule:

1. a needed date that cannot be read fails;
2. a needed date after R fails;
3. a date more than 300 days before the child's birth fails; up to 300 days is kept, with a warning;
4. an end before its own start fails (assessment authorised, CP plan end, date ceased);
5. nothing else removes a row: an ICPC before its S47 start stays in ``s47_to_icpc_pct`` and
   ``icpc_to_cpp_pct`` and is left out only of ``icpc_15wd_pct``'s denominator; other dates out
   of order are warnings;
6. a last visit after R stays in the denominator and fails the numerator.
"""

from __future__ import annotations

from datetime import date, timedelta

from oversight.engine.annex_a import read_annex_a
from oversight.engine.annex_a.testing import AS_AT, default_lists, row, write_workbook
from oversight.engine.indicators.runner import compute
from oversight.engine.indicators.testing import point

JAN = "2024-01"


def _load(tmp_path, changes: dict[int, list[dict]]):
    lists = default_lists()
    lists.update(changes)
    result = read_annex_a(write_workbook(tmp_path / "annex-a.xlsx", lists), AS_AT)
    figures = {i["id"]: i for i in compute(result.tables, AS_AT)["indicators"]}
    return result, figures


def _rules(result, table: str) -> set[tuple[str, str, str]]:
    return {(p.rule, p.key or "", p.severity) for p in result.problems if p.table == table}


# ---- 1. a needed date that cannot be read -------------------------------------------------------

def test_a_cp_plan_whose_start_cannot_be_read_is_left_out_of_the_open_plans_and_counted(tmp_path):
    plans = [row(7), row(7, child_id="C5", cpp_start="TBC")]
    result, figures = _load(tmp_path, {7: plans})
    assert ("date-unparseable", "cpp_start", "error") in _rules(result, "cp")
    # C1's plan is open at R; C5's cannot be placed in time, so it is not counted but reported.
    assert point(figures["cpp_open"], JAN) == (1, None, 1)
    assert figures["cpp_open"]["data_quality"]["rows_excluded"] == 1


# ---- 2. a needed date after R -------------------------------------------------------------------

def test_a_cp_plan_end_dated_after_the_as_at_date_fails_and_the_plan_is_left_out(tmp_path):
    plans = [row(7), row(7, child_id="C5", cpp_end=date(2024, 2, 10))]
    result, figures = _load(tmp_path, {7: plans})
    assert ("date-future", "cpp_end", "error") in _rules(result, "cp")
    assert point(figures["cpp_open"], JAN) == (1, None, 1)
    assert figures["cpp_open"]["data_quality"]["rows_excluded"] == 1


# ---- 3. dates before the child's birth ----------------------------------------------------------

def test_a_plan_started_300_days_before_birth_is_pre_birth_work_and_counts(tmp_path):
    born = date(2024, 1, 20)
    plans = [row(7), row(7, child_id="C5", date_of_birth=born, age=0, cpp_start=born - timedelta(days=300),
                         latest_review=None)]
    result, figures = _load(tmp_path, {7: plans})
    assert ("date-pre-birth", "cpp_start", "warning") in _rules(result, "cp")
    assert point(figures["cpp_open"], JAN) == (2, None, 2)
    assert figures["cpp_open"]["data_quality"]["rows_excluded"] == 0


def test_a_plan_started_301_days_before_birth_fails_and_is_left_out(tmp_path):
    born = date(2024, 1, 20)
    plans = [row(7), row(7, child_id="C5", date_of_birth=born, age=0, cpp_start=born - timedelta(days=301),
                         latest_review=None)]
    result, figures = _load(tmp_path, {7: plans})
    assert ("date-before-birth", "cpp_start", "error") in _rules(result, "cp")
    assert point(figures["cpp_open"], JAN) == (1, None, 1)
    assert figures["cpp_open"]["data_quality"]["rows_excluded"] == 1


# ---- 4. an end before its own start -------------------------------------------------------------

def test_an_assessment_authorised_before_it_started_is_left_out_of_the_completed_assessments(tmp_path):
    assessments = [row(4, assessment_start=date(2024, 1, 2), assessment_authorised=date(2024, 1, 15)),
                   row(4, child_id="C5", assessment_start=date(2024, 1, 10), assessment_authorised=date(2024, 1, 8))]
    result, figures = _load(tmp_path, {4: assessments})
    assert ("end-before-start", "assessment_authorised", "error") in _rules(result, "assessments")
    assert point(figures["assessments_completed"], JAN) == (1, None, 1)
    assert point(figures["assessments_45wd_pct"], JAN) == (1, 1, 100.0)
    assert figures["assessments_completed"]["data_quality"]["rows_excluded"] == 1


def test_a_cp_plan_ended_before_it_started_is_left_out_of_the_open_plans(tmp_path):
    plans = [row(7), row(7, child_id="C5", cpp_end=date(2023, 10, 1))]
    result, figures = _load(tmp_path, {7: plans})
    assert ("end-before-start", "cpp_end", "error") in _rules(result, "cp")
    assert point(figures["cpp_open"], JAN) == (1, None, 1)
    assert figures["cpp_open"]["data_quality"]["rows_excluded"] == 1


def test_care_ceased_before_it_started_is_left_out_of_the_children_looked_after(tmp_path):
    cla = [row(8), row(8, child_id="C5", cla_end=date(2022, 4, 1), reason_ceased="E11")]
    result, figures = _load(tmp_path, {8: cla})
    assert ("end-before-start", "cla_end", "error") in _rules(result, "cla")
    assert point(figures["cla_open"], JAN) == (1, None, 1)
    assert figures["cla_open"]["data_quality"]["rows_excluded"] == 1


# ---- 5. nothing else removes a row --------------------------------------------------------------

def test_an_icpc_before_its_s47_start_is_a_warning_and_leaves_only_the_15_day_measure(tmp_path):
    s47 = [
        # A: strategy discussion Wed 10 Jan, ICPC dated Fri 5 Jan (before it), plan: Yes
        row(5, s47_start=date(2024, 1, 10), icpc_date=date(2024, 1, 5), icpc_cp_plan="a) Yes"),
        # B: strategy discussion Mon 8 Jan, ICPC Mon 22 Jan = 10 working days, plan: No
        row(5, child_id="C2", date_of_birth=date(2012, 3, 1), gender="a) Male", ethnicity="k) APKN", age=11,
            s47_start=date(2024, 1, 8), icpc_date=date(2024, 1, 22), icpc_cp_plan="b) No"),
    ]
    result, figures = _load(tmp_path, {5: s47})
    assert _rules(result, "s47") >= {("date-order", "icpc_date", "warning")}
    assert not [p for p in result.problems if p.table == "s47" and p.severity == "error"]
    # d: S47s started in January (A and B); n: with an ICPC date (both)
    assert point(figures["s47_to_icpc_pct"], JAN) == (2, 2, 100.0)
    # d: ICPCs held in January answered Yes/No (A and B); n: Yes (A)
    assert point(figures["icpc_to_cpp_pct"], JAN) == (1, 2, 50.0)
    # d: ICPCs in January not before their S47 start (B only); n: within 15 working days (B)
    assert point(figures["icpc_15wd_pct"], JAN) == (1, 1, 100.0)
    for ind in ("s47_to_icpc_pct", "icpc_to_cpp_pct", "icpc_15wd_pct"):
        assert figures[ind]["data_quality"]["rows_excluded"] == 0, ind


def test_a_cp_review_dated_before_the_plan_start_is_a_warning_and_the_plan_stays_in_the_review_measure(tmp_path):
    plans = [row(7), row(7, child_id="C5", cpp_start=date(2023, 10, 20), latest_review=date(2023, 10, 1))]
    result, figures = _load(tmp_path, {7: plans})
    assert ("date-order", "latest_review", "warning") in _rules(result, "cp")
    # d: both plans open at R; n: C1 reviewed 05/01/2024 (within 6 months), C5's review of
    # 01/10/2023 is also within 6 months of R: both in time, nothing left out.
    assert point(figures["cp_review_timely_pct"], JAN) == (2, 2, 100.0)
    assert figures["cp_review_timely_pct"]["data_quality"]["rows_excluded"] == 0


def test_a_placement_started_after_care_ceased_is_a_warning_and_the_ceased_date_still_counts(tmp_path):
    cla = [row(8), row(8, child_id="C5", cla_start=date(2022, 5, 1), placement_start=date(2024, 1, 20),
                       cla_end=date(2024, 1, 10), reason_ceased="E11")]
    result, figures = _load(tmp_path, {8: cla})
    assert ("date-order", "cla_end", "warning") in _rules(result, "cla")
    assert point(figures["cla_ceased"], JAN) == (1, None, 1)
    assert point(figures["cla_open"], JAN) == (1, None, 1)  # C2 only: C5 ceased on 10/01/2024
    assert figures["cla_open"]["data_quality"]["rows_excluded"] == 0


# ---- 6. a last visit after R --------------------------------------------------------------------

def test_a_cp_visit_dated_after_the_as_at_date_stays_in_the_denominator_and_fails_the_numerator(tmp_path):
    plans = [row(7), row(7, child_id="C5", last_visit=date(2024, 2, 2))]
    result, figures = _load(tmp_path, {7: plans})
    assert ("visit-after-as-at", "last_visit", "warning") in _rules(result, "cp")
    # d: both plans open at R; n: C1 visited Mon 15 Jan (12 working days before R: not within 10)
    got = figures["cp_visit_10wd_pct"]
    assert point(got, JAN) == (0, 2, 0.0)
    assert got["data_quality"]["rows_excluded"] == 0


def test_a_cla_visit_dated_after_the_as_at_date_stays_in_the_denominator_and_fails_the_numerator(tmp_path):
    cla = [row(8), row(8, child_id="C5", last_visit=date(2024, 3, 1))]
    result, figures = _load(tmp_path, {8: cla})
    assert ("visit-after-as-at", "last_visit", "warning") in _rules(result, "cla")
    # d: C2 and C5 looked after at R; n: C2 visited 10/01/2024 (within 42 days); C5's visit is after R
    got = figures["cla_visit_6wk_pct"]
    assert point(got, JAN) == (1, 2, 50.0)
    assert got["data_quality"]["rows_excluded"] == 0


def test_a_health_assessment_dated_after_the_as_at_date_still_fails_as_any_needed_date_does(tmp_path):
    cla = [row(8), row(8, child_id="C5", last_health_assessment=date(2024, 3, 1))]
    result, figures = _load(tmp_path, {8: cla})
    assert ("date-future", "last_health_assessment", "error") in _rules(result, "cla")
    got = figures["cla_health_assessment_pct"]
    assert point(got, JAN) == (1, 1, 100.0)
    assert got["data_quality"]["rows_excluded"] == 1


def test_the_docs_describe_the_two_warnings_these_rules_added():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "annex-a.md").read_text(encoding="utf-8")
    assert "`date-order`" in text and "`visit-after-as-at`" in text and "300 days" in text
