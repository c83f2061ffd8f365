"""Working days: same day is 0, the end day counts, weekends and E&W bank holidays do not."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.engine.calendar import CalendarError, WorkingDayCalendar

D = dt.date
CAL = WorkingDayCalendar.default()


def test_the_same_day_is_zero_working_days():
    assert CAL.working_days_between(D(2020, 1, 15), D(2020, 1, 15)) == 0


def test_friday_to_monday_is_one_working_day():
    assert CAL.working_days_between(D(2020, 1, 10), D(2020, 1, 13)) == 1


def test_a_full_week_is_five_working_days():
    assert CAL.working_days_between(D(2020, 1, 13), D(2020, 1, 20)) == 5


def test_christmas_and_boxing_day_are_not_working_days():
    # Fri 20 Dec 2019 -> Fri 27 Dec: Mon 23, Tue 24, Fri 27 (25 and 26 are bank holidays).
    assert CAL.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 3


def test_ending_on_a_bank_holiday_adds_no_working_day():
    # Fri 23 Aug 2019 -> Mon 26 Aug (summer bank holiday) -> Tue 27 Aug.
    assert CAL.working_days_between(D(2019, 8, 23), D(2019, 8, 26)) == 0
    assert CAL.working_days_between(D(2019, 8, 23), D(2019, 8, 27)) == 1


def test_a_referral_on_a_bank_holiday_counts_from_the_next_working_day():
    assert CAL.working_days_between(D(2019, 8, 26), D(2019, 8, 27)) == 1


def test_the_moved_2020_may_bank_holiday_comes_from_the_packaged_govuk_list():
    # VE Day: the early May bank holiday moved to Friday 8 May 2020.
    assert not CAL.is_working_day(D(2020, 5, 8))
    assert CAL.is_working_day(D(2020, 5, 4))
    assert CAL.working_days_between(D(2020, 5, 7), D(2020, 5, 11)) == 1


def test_an_end_before_the_start_gives_a_negative_duration():
    assert CAL.working_days_between(D(2020, 1, 13), D(2020, 1, 10)) == -1


def test_a_council_can_add_closure_days_and_override_bank_holidays():
    closed_xmas_eve = WorkingDayCalendar(extra_holidays=frozenset({D(2019, 12, 24)}))
    assert closed_xmas_eve.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 2
    boxing_day_worked = WorkingDayCalendar(working_days=frozenset({D(2019, 12, 26)}))
    assert boxing_day_worked.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 4


def test_a_calendar_without_bank_holidays_counts_every_weekday():
    plain = WorkingDayCalendar(bank_holidays=False)
    assert plain.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 5
    assert "no bank holidays" in plain.describe()


def test_a_calendar_file_sets_extra_days(tmp_path):
    f = tmp_path / "calendar.yaml"
    f.write_text("bank_holidays: true\nextra_holidays: [2019-12-24]\n")
    cal = WorkingDayCalendar.from_file(f)
    assert cal.working_days_between(D(2019, 12, 20), D(2019, 12, 27)) == 2
    assert "1 extra closure day" in cal.describe()


def test_a_bad_calendar_file_is_refused_with_a_one_line_reason(tmp_path):
    f = tmp_path / "calendar.yaml"
    f.write_text("extra_holidays: [24/12/2019]\n")
    with pytest.raises(CalendarError, match=r"calendar.yaml: extra_holidays: '24/12/2019' is not a date"):
        WorkingDayCalendar.from_file(f)
    f.write_text("holidays: []\n")
    with pytest.raises(CalendarError, match="unknown setting"):
        WorkingDayCalendar.from_file(f)


_con = duckdb.connect()
CAL.register_duckdb(_con)


@settings(max_examples=60, deadline=None)
@given(st.dates(D(2012, 1, 1), D(2028, 12, 31)), st.dates(D(2012, 1, 1), D(2028, 12, 31)))
def test_the_sql_calendar_table_agrees_with_the_python_arithmetic(a, b):
    got = _con.execute(
        "SELECT (SELECT n FROM wd_calendar WHERE d = ?) - (SELECT n FROM wd_calendar WHERE d = ?)", [b, a]
    ).fetchone()[0]
    assert got == CAL.working_days_between(a, b)


@settings(max_examples=60, deadline=None)
@given(st.dates(D(2012, 1, 1), D(2028, 12, 31)), st.integers(0, 400))
def test_working_days_never_exceed_calendar_days_and_add_up(a, n):
    b = a + dt.timedelta(days=n)
    mid = a + dt.timedelta(days=n // 2)
    wd = CAL.working_days_between(a, b)
    assert 0 <= wd <= n
    assert wd == CAL.working_days_between(a, mid) + CAL.working_days_between(mid, b)


def test_the_sql_ordinal_is_the_python_ordinal_so_periods_and_rows_can_be_mixed():
    d = D(2020, 1, 31)
    assert _con.execute("SELECT n FROM wd_calendar WHERE d = ?", [d]).fetchone()[0] == CAL.ordinal(d)
