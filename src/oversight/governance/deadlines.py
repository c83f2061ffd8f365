"""When a board's papers must be published and approved, counted in working days.

Pure arithmetic over :class:`oversight.engine.calendar.WorkingDayCalendar` (no Django), so the
rule can be checked by hand. The Local Government Act 1972 s.100B makes a council's agenda and
reports open to inspection "at least five clear days" before the meeting; since the Local
Government (Access to Information) (Variation) Order 2002 a clear day is a working day, and
neither the day of publication nor the day of the meeting counts. So a meeting on Thursday
12 March 2020 needs its papers out by Wednesday 4 March (5, 6, 9, 10 and 11 March are the five
clear days), and with approval two working days before publication, approved by Monday 2 March.
"""

from __future__ import annotations

import datetime as dt

from oversight.engine.calendar import WorkingDayCalendar

#: The statutory minimum (s.100B(3)): five clear working days between publication and meeting.
STATUTORY_CLEAR_DAYS = 5
#: Working days between approval and publication unless a board says otherwise.
DEFAULT_APPROVAL_DAYS = 2


def working_days_before(day: dt.date, n: int, cal: WorkingDayCalendar | None = None) -> dt.date:
    """The working day ``n`` working days before ``day`` (``n`` = 0: ``day`` itself, or the working
    day before it if ``day`` is not one)."""
    cal = cal or WorkingDayCalendar.default()
    d = day
    while not cal.is_working_day(d):
        d -= dt.timedelta(days=1)
    for _ in range(n):
        d -= dt.timedelta(days=1)
        while not cal.is_working_day(d):
            d -= dt.timedelta(days=1)
    return d


def publication_date(meeting: dt.date, clear_days: int = STATUTORY_CLEAR_DAYS,
                     cal: WorkingDayCalendar | None = None) -> dt.date:
    """The last day papers can be published leaving ``clear_days`` whole working days before the
    meeting (the day of the meeting and the day of publication excluded)."""
    cal = cal or WorkingDayCalendar.default()
    # Count back clear_days working days strictly before the meeting, then one more for publication.
    return working_days_before(meeting - dt.timedelta(days=1), clear_days, cal)


def approval_date(published: dt.date, days_before: int = DEFAULT_APPROVAL_DAYS,
                  cal: WorkingDayCalendar | None = None) -> dt.date:
    """The day the pack must be approved by: ``days_before`` working days before publication."""
    return working_days_before(published, days_before, cal)


def due_dates(meeting: dt.date, clear_days: int = STATUTORY_CLEAR_DAYS, approval_days: int = DEFAULT_APPROVAL_DAYS,
              cal: WorkingDayCalendar | None = None) -> tuple[dt.date, dt.date]:
    """(approve by, publish by) for a meeting on ``meeting``."""
    published = publication_date(meeting, clear_days, cal)
    return approval_date(published, approval_days, cal), published
