"""List 4 (assessments): hand-worked examples at R = Fri 31 Jan 2020.

Working days used below (E&W bank holidays 25, 26 Dec 2019 and 1 Jan 2020):
Nov 2019 has 21, Dec 2019 has 20, Jan 2020 has 22 working days. So from Tue 26 Nov 2019 to
Fri 31 Jan 2020 is 3 (27–29 Nov) + 20 + 22 = 45 working days, and from Mon 25 Nov it is 46.
"""

from __future__ import annotations

from oversight.engine.calendar import WorkingDayCalendar
from oversight.engine.indicators.testing import d, point, run, values

R = "2020-01-31"


def _assessment(start, authorised, **kw):
    return {"assessment_start": d(start) if start else None,
            "assessment_authorised": d(authorised) if authorised else None, **kw}


def test_assessments_completed_counts_authorisations_in_the_month_and_not_open_assessments(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2019-11-01", "2019-12-02"),
        _assessment("2019-11-01", "2019-12-31"),
        _assessment("2019-12-01", "2020-01-31"),
        _assessment("2020-01-02", None),
    ]}, R)["assessments_completed"]
    assert values(got) == [0, 0, 0, 0, 2, 1]


def test_an_assessment_authorised_on_the_45th_working_day_is_in_time_and_on_the_46th_is_not(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2020-01-10", "2020-01-10"),  # same day: 0 working days
        _assessment("2019-11-26", "2020-01-31"),  # 45
        _assessment("2019-11-25", "2020-01-31"),  # 46
        _assessment(None, "2020-01-20"),  # blank start: in d, cannot be shown in time
        {**_assessment(None, "2020-01-21"), "_invalid": ["assessment_start"]},  # left out, counted
    ]}, R)["assessments_45wd_pct"]
    assert point(got, "2020-01") == (2, 4, 50.0)
    assert got["data_quality"]["rows_excluded"] == 1


def test_bank_holidays_do_not_count_towards_the_45_working_days(tmp_path):
    tables = {"assessments": [_assessment("2019-11-26", "2020-01-31")]}
    # With bank holidays: 45 (in time). Counting every weekday: 48 (late).
    assert point(run(tmp_path / "a", tables, R)["assessments_45wd_pct"], "2020-01") == (1, 1, 100.0)
    plain = WorkingDayCalendar(bank_holidays=False)
    got = run(tmp_path / "b", tables, R, calendar=plain)["assessments_45wd_pct"]
    assert point(got, "2020-01") == (0, 1, 0.0)


def test_open_assessments_over_45_working_days_are_counted_at_each_month_end(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2019-11-26", None),  # 45 at 31 Jan: not over
        _assessment("2019-11-25", None),  # 46 at 31 Jan: over; 24 at 31 Dec
        _assessment("2019-11-25", "2020-01-31"),  # authorised on R: closed on the day
        _assessment("2019-09-02", "2020-01-15"),  # 43 at 31 Oct, 64 at 30 Nov, 84 at 31 Dec
    ]}, R)["assessments_open_over_45wd"]
    assert values(got) == [0, 0, 0, 1, 1, 1]


def test_assessment_nfa_counts_only_yes_or_no_answers_and_rounds_to_one_decimal(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2020-01-02", "2020-01-10", requires_support="Yes"),
        _assessment("2020-01-02", "2020-01-10", requires_support="No"),
        _assessment("2020-01-02", "2020-01-10", requires_support="b) No"),
        _assessment("2020-01-02", "2020-01-10", requires_support="Unknown"),
        _assessment("2020-01-02", "2020-01-10", requires_support=None),
    ]}, R)["assessments_nfa_pct"]
    assert point(got, "2020-01") == (2, 3, 66.7)


def test_child_seen_is_the_share_of_authorised_assessments_answered_yes(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2020-01-02", "2020-01-10", child_seen="a) Yes"),
        _assessment("2020-01-02", "2020-01-10", child_seen="No"),
        _assessment("2020-01-02", "2020-01-10", child_seen="Unknown"),
        _assessment("2020-01-02", "2020-01-10", child_seen=None),
        _assessment("2020-01-02", None, child_seen="Yes"),  # still open: not in d
    ]}, R)["assessments_child_seen_pct"]
    assert point(got, "2020-01") == (1, 4, 25.0)


def test_assessment_rates_break_down_by_team_with_empty_months_kept(tmp_path):
    got = run(tmp_path, {"assessments": [
        _assessment("2019-11-26", "2020-01-31", allocated_team="Assessment Team 1"),
        _assessment("2019-11-25", "2020-01-31", allocated_team="Assessment Team 1"),
        _assessment("2019-08-01", "2019-08-01", allocated_team="Assessment Team 2"),
    ]}, R)["assessments_45wd_pct"]
    team1 = got["by_team"]["Assessment Team 1"]
    assert [p["month"] for p in team1] == ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12", "2020-01"]
    assert team1[-1] == {"month": "2020-01", "numerator": 1, "denominator": 2, "value": 50.0}
    assert team1[0] == {"month": "2019-08", "numerator": 0, "denominator": 0, "value": None}
    assert got["by_team"]["Assessment Team 2"][0]["value"] == 100.0
