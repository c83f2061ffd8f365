"""Reporting periods: every page, count and new rating defaults to the programme's current period.

A board reads the programme "as at" the end of a reporting period (seed 001 is "as at" January
2020), not as at the day someone opens the page. A programme reports monthly (the default) or
quarterly; its *current* period is the one ending on ``Programme.current_as_at`` (normally the
month end of the latest data). Pages take ``?period=YYYY-MM-DD`` (any day inside the period; the
older ``?as_at=`` is read too) and keep it in their links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHLY, QUARTERLY = "monthly", "quarterly"
PARAM = "period"


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def period_end(day: dt.date, cycle: str = MONTHLY) -> dt.date:
    """The last day of the reporting period that contains ``day``.

    Quarters are the financial year's (April–June is Q1), as councils' board papers count them.
    """
    if cycle == QUARTERLY:
        last_month = ((day.month - 1) // 3) * 3 + 3
        return month_end(day.replace(month=last_month, day=1))
    return month_end(day)


def _previous_end(end: dt.date, cycle: str) -> dt.date:
    return period_end(end.replace(day=1) - dt.timedelta(days=1), cycle)


def financial_quarter(day: dt.date) -> tuple[int, int]:
    """(financial year starting, quarter 1–4) of ``day``: 31 Jan 2020 → (2019, 4)."""
    if day.month >= 4:
        return day.year, (day.month - 4) // 3 + 1
    return day.year - 1, 4


@dataclass(frozen=True)
class Period:
    """One reporting period, identified by its last day (its "as at")."""

    as_at: dt.date
    cycle: str = MONTHLY
    is_current: bool = False

    @property
    def start(self) -> dt.date:
        if self.cycle == QUARTERLY:
            return (self.as_at.replace(day=1) - dt.timedelta(days=62)).replace(day=1)
        return self.as_at.replace(day=1)

    @property
    def label(self) -> str:
        """As officers write it: "January 2020", or "2019/20 Q4" for a quarterly cycle."""
        if self.cycle == QUARTERLY:
            year, q = financial_quarter(self.as_at)
            return f"{year}/{(year + 1) % 100:02d} Q{q}"
        return f"{self.as_at:%B %Y}"

    @property
    def key(self) -> str:
        return self.as_at.isoformat()

    @property
    def quarter(self) -> tuple[int, int]:
        return financial_quarter(self.as_at)

    def query(self) -> str:
        """The query string that keeps this period in a link: ``period=2020-01-31``."""
        return f"{PARAM}={self.key}"


def current_period(programme) -> Period:
    """The programme's current reporting period (``current_as_at``; otherwise the one holding today)."""
    from django.utils import timezone

    cycle = programme.reporting_cycle or MONTHLY
    day = programme.current_as_at or timezone.localdate()
    return Period(period_end(day, cycle), cycle, is_current=True)


def parse_day(raw: str | None) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError:
        return None


def period_for(request, programme) -> Period:
    """The period a page shows: ``?period=`` (or ``?as_at=``) if valid, else the current one."""
    current = current_period(programme)
    day = parse_day(request.GET.get(PARAM)) or parse_day(request.GET.get("as_at"))
    if day is None:
        return current
    end = period_end(day, current.cycle)
    return Period(end, current.cycle, is_current=end == current.as_at)


def history(programme, count: int = 24) -> list[Period]:
    """The current period and those before it, newest first, for the period picker.

    Goes back to the programme's start (``period_start``) or ``count`` periods, whichever is
    fewer; a period after the current one is never offered.
    """
    current = current_period(programme)
    out = [current]
    end = current.as_at
    floor = programme.period_start
    while len(out) < count:
        end = _previous_end(end, current.cycle)
        if floor and end < floor:
            break
        out.append(Period(end, current.cycle))
    return out
