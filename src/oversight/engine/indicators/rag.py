"""RAG against a target band, and direction of travel, both read through the indicator's polarity.

A target has a **minimum** and an **upper** tolerance (seed 001's "Target Min / Upper"); the
band between them is amber. For an indicator where higher is better the upper figure is the
target proper (at or above it: green) and the minimum the floor (below it: red); where lower
is better the roles swap (at or below the minimum: green; above the upper: red). A target
with one figure has no amber. Targets may be dated ("by Dec 2012", "by Jul 2013" in seed
003): the one in force for a month is the next milestone not yet passed.

Direction of travel compares the latest value with the one before it; whether "up" is good
depends on polarity, so the judgement (improving / worsening) is given alongside the arrow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
RAG_LABELS = {GREEN: "Green", AMBER: "Amber", RED: "Red", NONE: "Not rated"}


@dataclass(frozen=True)
class TargetBand:
    minimum: float | None
    upper: float | None
    due: dt.date | None = None  # a dated target: to be reached by this date
    label: str = ""

    def threshold(self, polarity: str) -> float | None:
        """The figure that must be met for green (used for SPC assurance)."""
        vals = [v for v in (self.minimum, self.upper) if v is not None]
        if not vals or polarity not in ("high", "low"):
            return None
        return max(vals) if polarity == "high" else min(vals)


def rag(value: float | None, minimum: float | None, upper: float | None, polarity: str) -> str:
    """``green``/``amber``/``red``, or ``none`` when there is no value, target or polarity."""
    if value is None or polarity not in ("high", "low"):
        return NONE
    vals = [v for v in (minimum, upper) if v is not None]
    if not vals:
        return NONE
    lo, hi = min(vals), max(vals)
    if polarity == "high":
        return GREEN if value >= hi else AMBER if value >= lo else RED
    return GREEN if value <= lo else AMBER if value <= hi else RED


def target_for(month_end: dt.date, targets: Sequence[TargetBand]) -> TargetBand | None:
    """The target in force for a month: the earliest dated target due on or after the month's
    end; once every dated target has passed, the latest one; an undated target otherwise."""
    dated = sorted((t for t in targets if t.due is not None), key=lambda t: t.due)  # type: ignore[arg-type,return-value]
    undated = [t for t in targets if t.due is None]
    upcoming = [t for t in dated if t.due >= month_end]  # type: ignore[operator]
    if upcoming:
        return upcoming[0]
    if undated:
        return undated[-1]
    return dated[-1] if dated else None


@dataclass(frozen=True)
class Direction:
    arrow: str  # "up" | "down" | "same" | ""
    judgement: str  # "improving" | "worsening" | "no change" | "not rated"

    @property
    def symbol(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.arrow, "")

    @property
    def text(self) -> str:
        if not self.arrow:
            return "No earlier value"
        moved = {"up": "Up", "down": "Down", "same": "No change"}[self.arrow]
        return moved if self.judgement in ("not rated", "no change") else f"{moved}, {self.judgement}"


def direction_of_travel(values: Sequence[float | None], polarity: str) -> Direction:
    """Latest value against the previous known one."""
    known = [v for v in values if v is not None]
    if len(known) < 2 or values[-1] is None:
        return Direction("", "not rated")
    prev, last = known[-2], known[-1]
    if last == prev:
        return Direction("same", "no change")
    arrow = "up" if last > prev else "down"
    if polarity not in ("high", "low"):
        return Direction(arrow, "not rated")
    good = (arrow == "up") == (polarity == "high")
    return Direction(arrow, "improving" if good else "worsening")
