"""Typed indicator results: what the runner returns, whichever engine computed the figures.

Months are real dates (the first of the month), counts are ints, and an indicator that could
not be computed says why. ``RunResult.as_json()`` gives the JSON shape of INDICATORS.md that
``oversight indicators --format json`` prints (months as ``YYYY-MM``), key for key, so the
printed output does not depend on which engine ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


def month_key(month: dt.date) -> str:
    """``2019-08`` for any date in August 2019 (the JSON's month)."""
    return f"{month.year:04d}-{month.month:02d}"


def month_of(text: str) -> dt.date:
    """The first of the month from ``2019-08`` (or a full ISO date)."""
    return dt.date.fromisoformat(f"{text}-01" if len(text) == 7 else text).replace(day=1)


@dataclass(frozen=True)
class Point:
    """One month of one series: numerator, denominator (None for a count) and the value shown."""

    month: dt.date  # first day of the month
    numerator: int | None
    denominator: int | None
    value: float | int | None

    def as_json(self) -> dict[str, Any]:
        return {"month": month_key(self.month), "numerator": self.numerator, "denominator": self.denominator,
                "value": self.value}


Series = tuple[Point, ...]


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's series overall and by team/worker, with its data-quality notes.

    ``by_team`` / ``by_worker`` are ``None`` when the indicator's list has no such column (or
    workers were not asked for); an empty mapping when it has one but nobody is in the cohort.
    """

    id: str
    name: str
    unit: str
    polarity: str
    period_type: str
    theme: str
    lists: tuple[str, ...]
    series: Series
    by_team: Mapping[str, Series] | None = None
    by_worker: Mapping[str, Series] | None = None
    rows_excluded: int = 0
    unavailable: str | None = None

    def point(self, month: dt.date | str) -> Point:
        want = month_of(month) if isinstance(month, str) else month.replace(day=1)
        for p in self.series:
            if p.month == want:
                return p
        raise KeyError(f"{self.id} has no point for {month_key(want)}")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "unit": self.unit, "polarity": self.polarity,
                               "period_type": self.period_type, "theme": self.theme, "lists": list(self.lists),
                               "series": [p.as_json() for p in self.series]}
        if self.by_team is not None:
            out["by_team"] = {k: [p.as_json() for p in s] for k, s in self.by_team.items()}
        if self.by_worker is not None:
            out["by_worker"] = {k: [p.as_json() for p in s] for k, s in self.by_worker.items()}
        out["data_quality"] = {"rows_excluded": self.rows_excluded}
        if self.unavailable is not None:
            out["data_quality"]["unavailable"] = self.unavailable
        return out


@dataclass(frozen=True)
class RunResult:
    """Every indicator computed for one reference date, and what was in force when it ran."""

    as_at: dt.date
    calendar: str
    settings: Mapping[str, Any]
    indicators: tuple[IndicatorResult, ...]
    engine: str = "duckdb"
    by_id: Mapping[str, IndicatorResult] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {i.id: i for i in self.indicators})

    def __iter__(self) -> Iterator[IndicatorResult]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> IndicatorResult:
        return self.by_id[indicator_id]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of INDICATORS.md (what ``oversight indicators`` prints); no engine key,
        so every engine prints the same document."""
        return {"as_at": self.as_at.isoformat(), "calendar": self.calendar, "settings": dict(self.settings),
                "indicators": [i.as_json() for i in self.indicators]}
