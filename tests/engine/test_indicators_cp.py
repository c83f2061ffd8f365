"""List 7 (child protection plans): hand-worked examples at R = Fri 31 Jan 2020.

"Open on day D" means start <= D and (end blank or end > D): a plan ending on the day is
closed that day.
"""

from __future__ import annotations

from oversight.engine.indicators.testing import d, point, run, values

R = "2020-01-31"


def _plan(child, start, end=None, **kw):
    return {"child_id": child, "cpp_start": d(start), "cpp_end": d(end) if end else None, **kw}


def test_cpp_started_counts_plans_starting_in_the_month(tmp_path):
    got = run(tmp_path, {"cp": [_plan("A", "2019-08-01"), _plan("B", "2020-01-31"), _plan("C", "2019-07-31")]},
              R)["cpp_started"]
    assert values(got) == [1, 0, 0, 0, 0, 1]


def test_cpp_open_counts_distinct_children_open_at_each_month_end(tmp_path):
    got = run(tmp_path, {"cp": [
        _plan("X", "2019-06-01"),
        _plan("X", "2019-07-01"),  # the same child twice (a data error): counted once
        _plan("Y", "2019-09-15", "2019-11-30"),  # ends on 30 Nov: closed at that snapshot
        _plan("Z", "2020-01-31"),  # starts on R: open at R
        _plan("W", "2020-02-01"),  # after R
    ]}, R)["cpp_open"]
    assert values(got) == [1, 2, 2, 1, 1, 2]


def test_repeat_plans_are_those_with_one_or_more_previous_plans(tmp_path):
    got = run(tmp_path, {"cp": [
        _plan("A", "2020-01-02", previous_cpps=0),
        _plan("B", "2020-01-03", previous_cpps=1),
        _plan("C", "2020-01-06", previous_cpps=3),
    ]}, R)["cpp_repeat_pct"]
    assert point(got, "2020-01") == (2, 3, 66.7)


def test_open_plans_of_two_years_are_those_started_on_or_before_the_day_two_years_earlier(tmp_path):
    got = run(tmp_path, {"cp": [_plan("A", "2018-01-31"), _plan("B", "2018-02-01")]}, R)["cpp_open_2y_pct"]
    assert point(got, "2020-01") == (1, 2, 50.0)
    assert point(got, "2019-12") == (0, 2, 0.0)


def test_cp_visits_within_10_working_days_of_r_from_open_plans_only(tmp_path):
    got = run(tmp_path, {"cp": [
        _plan("A", "2019-06-01", last_visit=d("2020-01-17")),  # Fri 17 -> Fri 31: 10
        _plan("B", "2019-06-01", last_visit=d("2020-01-16")),  # 11
        _plan("C", "2019-06-01", last_visit=None),
        _plan("D", "2019-06-01", last_visit=d("2020-02-03")),  # after R: not believable
        _plan("E", "2019-06-01", last_visit=d("2020-01-31")),  # on R: 0
        _plan("F", "2019-06-01", "2020-01-20", last_visit=d("2020-01-17")),  # closed: not in d
    ]}, R)["cp_visit_10wd_pct"]
    assert got["series"] == [{"month": "2020-01", "numerator": 2, "denominator": 5, "value": 40.0}]


def test_cp_reviews_are_in_time_within_six_months_or_three_months_of_start_before_the_first(tmp_path):
    got = run(tmp_path, {"cp": [
        _plan("A", "2019-01-01", latest_review=d("2019-07-31")),  # R - 6 months exactly
        _plan("B", "2019-01-01", latest_review=d("2019-07-30")),
        _plan("C", "2019-11-01"),  # no review yet, started after R - 3 months
        _plan("D", "2019-10-31"),  # no review, started on R - 3 months: overdue
    ]}, R)["cp_review_timely_pct"]
    assert point(got, "2020-01") == (2, 4, 50.0)
    assert len(got["series"]) == 1
