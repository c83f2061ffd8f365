"""Working days for statutory timescales (45 working days for an assessment, 15 to an ICPC…).

The DfE's duration bands start with "started and finished the same day", so a duration is the
number of working days *after* the start date up to *and including* the end date: same day = 0,
Friday → Monday = 1. Working days are Monday–Friday less England & Wales bank holidays, taken
from the copy of GOV.UK's list that ships inside ``govuk-bank-holidays`` (never the network:
indicators must give the same answer on a council laptop with no internet). Councils differ
(some tools ignore bank holidays, some close on extra days), so the calendar is configurable:
extra closure days, days that count as working although they are holidays, or no bank
holidays at all.

Durations are computed in SQL by a join to a calendar table holding a running working-day
ordinal per date, so the duration from A to B is ``ordinal(B) − ordinal(A)``; this module builds
that table inside DuckDB and gives the same arithmetic in Python for tests and small jobs.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

DIVISION = "england-and-wales"
# The range of dates the SQL calendar covers; a date outside it has no ordinal, so any duration
# involving it is unknown (null) rather than wrong.
CALENDAR_START = dt.date(1950, 1, 1)
CALENDAR_END = dt.date(2080, 12, 31)


class CalendarError(ValueError):
    """A calendar configuration file that cannot be used, with the reason in one line."""


def _bank_holidays(division: str) -> list[dt.date]:
    """The packaged (cached) GOV.UK bank holidays for one division — no network access."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    data = BankHolidays.load_backup_data()
    if division not in data:
        raise CalendarError(f"unknown bank-holiday division {division!r}; expected one of {sorted(data)}")
    return sorted(dt.date.fromisoformat(e["date"]) for e in data[division].get("events", []))


def _as_date(value: object, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CalendarError(f"{where}: {value!r} is not a date (expected YYYY-MM-DD)") from None


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Which days are working days, and how many working days lie between two dates.

    ``bank_holidays``: use the packaged England & Wales list (default True).
    ``extra_holidays``: further non-working weekdays (e.g. a council closure day).
    ``working_days``: dates that count as working even if a bank holiday (overrides).
    """

    bank_holidays: bool = True
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working_days: frozenset[dt.date] = field(default_factory=frozenset)
    division: str = DIVISION

    def __post_init__(self) -> None:
        hols = set(_bank_holidays(self.division)) if self.bank_holidays else set()
        hols |= set(self.extra_holidays)
        hols -= set(self.working_days)
        # Only weekday holidays change the count; keep them sorted for bisect.
        object.__setattr__(self, "_holidays", sorted(d for d in hols if d.weekday() < 5))

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def default(cls) -> WorkingDayCalendar:
        return _DEFAULT

    @classmethod
    def from_mapping(cls, data: dict, where: str = "calendar") -> WorkingDayCalendar:
        """Build from a mapping such as a YAML file's contents (see ``from_file``)."""
        unknown = set(data) - {"bank_holidays", "extra_holidays", "working_days", "division"}
        if unknown:
            raise CalendarError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
        bank = data.get("bank_holidays", True)
        if not isinstance(bank, bool):
            raise CalendarError(f"{where}: bank_holidays must be true or false, not {bank!r}")
        extra = frozenset(_as_date(v, f"{where}: extra_holidays") for v in data.get("extra_holidays") or [])
        work = frozenset(_as_date(v, f"{where}: working_days") for v in data.get("working_days") or [])
        return cls(bank_holidays=bank, extra_holidays=extra, working_days=work,
                   division=str(data.get("division", DIVISION)))

    @classmethod
    def from_file(cls, path: str | Path) -> WorkingDayCalendar:
        """Read a YAML file: ``bank_holidays: true``, ``extra_holidays: [2019-12-24]``,
        ``working_days: [...]``, ``division: england-and-wales``."""
        import yaml

        p = Path(path)
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except OSError as e:
            raise CalendarError(f"{p}: cannot read calendar file ({e.strerror})") from None
        except yaml.YAMLError as e:
            raise CalendarError(f"{p}: not valid YAML ({str(e).splitlines()[0]})") from None
        if not isinstance(data, dict):
            raise CalendarError(f"{p}: expected settings (key: value), found {type(data).__name__}")
        return cls.from_mapping(data, where=str(p))

    # -- arithmetic -------------------------------------------------------------------------
    @property
    def holidays(self) -> list[dt.date]:
        """Weekday non-working dates in force (bank holidays + extras − overrides), sorted."""
        return list(self._holidays)  # type: ignore[attr-defined]

    def is_working_day(self, d: dt.date) -> bool:
        hols = self._holidays  # type: ignore[attr-defined]
        i = bisect.bisect_left(hols, d)
        return d.weekday() < 5 and not (i < len(hols) and hols[i] == d)

    def ordinal(self, d: dt.date) -> int:
        """Working days from a fixed epoch up to and including ``d`` (only differences matter)."""
        days = d.toordinal()  # day 1 = Monday 0001-01-01
        weeks, rest = divmod(days - 1, 7)  # rest = weekday of d (0 = Monday)
        weekdays = weeks * 5 + min(rest + 1, 5)
        return weekdays - bisect.bisect_right(self._holidays, d)  # type: ignore[attr-defined]

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after ``a`` up to and including ``b`` (same day 0; negative if b < a)."""
        return self.ordinal(b) - self.ordinal(a)

    # -- SQL --------------------------------------------------------------------------------
    def register_duckdb(self, con, name: str = "wd_calendar",
                        start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> None:
        """Create table ``name(d DATE, n BIGINT)``: n = ``ordinal(d)``, computed inside DuckDB."""
        base = self.ordinal(start) - (1 if self.is_working_day(start) else 0)
        hols = [h for h in self._holidays if start <= h <= end]  # type: ignore[attr-defined]
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_hol AS SELECT unnest(CAST(? AS DATE[])) AS d", [hols])
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {name} AS
            SELECT CAST(g.d AS DATE) AS d,
                   CAST({base} + sum(CASE WHEN isodow(g.d) <= 5 AND h.d IS NULL THEN 1 ELSE 0 END)
                        OVER (ORDER BY g.d) AS BIGINT) AS n
            FROM generate_series(DATE '{start.isoformat()}', DATE '{end.isoformat()}', INTERVAL 1 DAY) g(d)
            LEFT JOIN {name}_hol h ON h.d = CAST(g.d AS DATE)"""
        )

    def describe(self) -> str:
        """One line saying which calendar is in force, for docs, runs and exports."""
        region = {"england-and-wales": "England & Wales", "scotland": "Scotland",
                  "northern-ireland": "Northern Ireland"}.get(self.division, self.division)
        parts = [f"Monday–Friday less {region} bank holidays" if self.bank_holidays
                 else "Monday–Friday (no bank holidays)"]
        if self.extra_holidays:
            parts.append(f"{len(self.extra_holidays)} extra closure day(s)")
        if self.working_days:
            parts.append(f"{len(self.working_days)} override working day(s)")
        return ", ".join(parts)


def calendar_from(value: WorkingDayCalendar | str | Path | None) -> WorkingDayCalendar:
    """Accept a calendar, a YAML path or None (the default England & Wales calendar)."""
    if value is None:
        return WorkingDayCalendar.default()
    if isinstance(value, WorkingDayCalendar):
        return value
    return WorkingDayCalendar.from_file(value)


_DEFAULT = WorkingDayCalendar()
