"""List 5 (section 47 enquiries and ICPCs): hand-worked examples at R = Fri 31 Jan 2020."""

from __future__ import annotations

from oversight.engine.calendar import WorkingDayCalendar
from oversight.engine.indicators.testing import d, point, run, values

R = "2020-01-31"


def _s47(start, icpc=None, **kw):
    return {"s47_start": d(start) if start else None, "icpc_date": d(icpc) if icpc else None, **kw}


def test_s47_started_counts_strategy_discussions_in_the_month(tmp_path):
    got = run(tmp_path, {"s47": [_s47("2019-08-31"), _s47("2019-09-01"), _s47("2020-01-31"),
                                 _s47("2020-01-02")]}, R)["s47_started"]
    assert values(got) == [1, 1, 0, 0, 0, 2]


def test_s47_to_icpc_is_the_share_of_enquiries_started_in_the_month_with_an_icpc_date(tmp_path):
    got = run(tmp_path, {"s47": [
        _s47("2020-01-02", "2020-01-20"),
        _s47("2020-01-03"),
        _s47("2020-01-06", icpc_not_required="Yes"),
        _s47("2019-12-20", "2020-01-10"),  # started in December
    ]}, R)["s47_to_icpc_pct"]
    assert point(got, "2020-01") == (1, 3, 33.3)
    assert point(got, "2019-12") == (1, 1, 100.0)


ICPCS = [
    _s47("2020-01-02", "2020-01-23"),  # 15 working days: in time
    _s47("2020-01-02", "2020-01-24"),  # 16: late
    _s47("2019-12-18", "2020-01-13"),  # 15 with bank holidays (18 without): in time
    _s47("2020-01-06", "2020-01-06"),  # same day: 0
    _s47("2020-01-20", "2020-01-15"),  # ICPC before the S47: out of the duration measure
    _s47(None, "2020-01-16"),  # no S47 start: out of the duration measure
]


def test_icpc_within_15_working_days_counts_from_the_strategy_discussion(tmp_path):
    got = run(tmp_path, {"s47": ICPCS}, R)["icpc_15wd_pct"]
    assert point(got, "2020-01") == (3, 4, 75.0)


def test_icpc_timeliness_changes_when_the_calendar_ignores_bank_holidays(tmp_path):
    got = run(tmp_path, {"s47": ICPCS}, R, calendar=WorkingDayCalendar(bank_holidays=False))["icpc_15wd_pct"]
    assert point(got, "2020-01") == (2, 4, 50.0)


def test_icpc_with_an_unreadable_s47_date_is_left_out_and_counted(tmp_path):
    got = run(tmp_path, {"s47": [_s47("2020-01-02", "2020-01-23"),
                                 {**_s47(None, "2020-01-23"), "_invalid": ["s47_start"]}]}, R)["icpc_15wd_pct"]
    assert point(got, "2020-01") == (1, 1, 100.0)
    assert got["data_quality"]["rows_excluded"] == 1


def test_icpc_to_cp_plan_counts_only_yes_or_no_results_held_in_the_month(tmp_path):
    got = run(tmp_path, {"s47": [
        _s47("2020-01-02", "2020-01-20", icpc_cp_plan="a) Yes"),
        _s47("2020-01-02", "2020-01-21", icpc_cp_plan="No"),
        _s47("2020-01-02", "2020-01-22", icpc_cp_plan="Unknown"),
        _s47("2020-01-02", "2020-01-22", icpc_cp_plan=None),
        _s47("2019-12-02", "2019-12-20", icpc_cp_plan="Yes"),
    ]}, R)["icpc_to_cpp_pct"]
    assert point(got, "2020-01") == (1, 2, 50.0)
    assert point(got, "2019-12") == (1, 1, 100.0)
