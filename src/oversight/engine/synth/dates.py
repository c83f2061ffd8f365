"""Date arithmetic the synthetic journeys need: calendar months back, birthdays, working days.

Why its own module: the journeys are built around statutory clocks (45 working days for an
assessment, 15 to an ICPC, 20 to a first CLA review), and they must use the same working-day
rule as the indicators (``engine.calendar``: Monday–Friday less England & Wales bank holidays;
duration = working days *after* the start up to and including the end) or the synthetic
timeliness figures would drift from what the indicators then report.
"""

from __future__ import annotations

import bisect
import calendar as _cal
import datetime as dt

from oversight.engine.calendar import WorkingDayCalendar

EXCEL_EPOCH = dt.date(1899, 12, 30)
DAY = dt.timedelta(days=1)


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar months forward (negative: back), clamping the day: 31 Aug − 6 months = 28/29 Feb."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def add_years(d: dt.date, years: int) -> dt.date:
    """Whole years forward; 29 February becomes 28 February in a non-leap year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def age_on(dob: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (the way councils' systems compute ``Age of Child``)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def fractional_age(dob: dt.date, on: dt.date) -> float:
    """Age as a decimal number of years, as some exports hold it (e.g. ``6.138261464750171``)."""
    return (on - dob).days / 365.25


def excel_serial(d: dt.date) -> int:
    """The Excel serial day number of a date (1900 date system)."""
    return (d - EXCEL_EPOCH).days


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the calendar months from ``first``'s month to ``last``'s month inclusive."""
    out = []
    d = first.replace(day=1)
    while d <= last:
        out.append(d)
        d = add_months(d, 1)
    return out


class WorkingDays:
    """Working-day stepping over a fixed span, fast enough for hundreds of thousands of journeys.

    ``add(d, n)`` is the date B with ``calendar.working_days_between(d, B) == n``: the n-th
    working day after ``d`` (a weekend ``d`` counts from the working day before it, as the
    calendar's ordinals do). ``sub(d, n)`` steps back to the latest working day B with
    ``working_days_between(B, d) == n``.
    """

    def __init__(self, first: dt.date, last: dt.date, calendar: WorkingDayCalendar | None = None) -> None:
        cal = calendar or WorkingDayCalendar.default()
        self.calendar = cal
        days: list[dt.date] = []
        d = first
        while d <= last:
            if cal.is_working_day(d):
                days.append(d)
            d += DAY
        self._days = days

    def is_working_day(self, d: dt.date) -> bool:
        i = bisect.bisect_left(self._days, d)
        return i < len(self._days) and self._days[i] == d

    def add(self, d: dt.date, n: int) -> dt.date:
        if n == 0:
            return d
        i = bisect.bisect_right(self._days, d) - 1  # latest working day <= d
        j = i + n
        if 0 <= j < len(self._days) and i >= 0:
            return self._days[j]
        return self._fallback_add(d, n)

    def sub(self, d: dt.date, n: int) -> dt.date:
        """Latest working day B with n working days after B up to and including d."""
        if n == 0:
            return d
        i = bisect.bisect_right(self._days, d) - 1
        j = i - n
        if 0 <= j < len(self._days) and i >= 0:
            return self._days[j]
        return self._fallback_add(d, -n)

    def between(self, a: dt.date, b: dt.date) -> int:
        return self.calendar.working_days_between(a, b)

    def next_on_or_after(self, d: dt.date) -> dt.date:
        i = bisect.bisect_left(self._days, d)
        return self._days[i] if i < len(self._days) else d

    def _fallback_add(self, d: dt.date, n: int) -> dt.date:
        # Outside the precomputed span (never in normal use): step day by day with the calendar.
        step = DAY if n >= 0 else -DAY
        left = abs(n)
        cur = d
        while left:
            cur += step
            if self.calendar.is_working_day(cur):
                left -= 1
        return cur
