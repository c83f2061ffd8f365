"""Statistical process control for an indicator series (XmR chart), NHS "Making Data Count" style.

RAG says where a number stands against a target; SPC says whether a change is a signal or
noise, so a board does not chase one month's wobble. Limits: mean ± 2.66 × mean moving
range. Special cause is flagged by four rules:
- a point beyond a process limit;
- a shift: 7 or more consecutive points on one side of the mean;
- a trend: 7 or more consecutive points each higher (or each lower) than the one before;
- two out of three consecutive points beyond 2 sigma (sigma = mean moving range / 1.128) on
  the same side of the mean.
The **variation** signal describes the latest point (common cause, or special cause that is
improving / concerning given the polarity); the **assurance** signal compares the process
limits with the target: consistently passing, consistently failing, or hit and miss.
Six monthly points give wide, provisional limits; the front sheet uses all stored months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

E2 = 2.66  # XmR scaling constant: 3 / d2 with d2 = 1.128
D2 = 1.128
RUN = 7
MIN_POINTS = 3

VARIATION_LABELS = {
    "common_cause": "Common cause variation",
    "special_cause_improving": "Special cause – improving",
    "special_cause_concerning": "Special cause – concerning",
    "special_cause_neither": "Special cause – neither improving nor concerning",
    "insufficient_data": "Too few points for SPC",
}
RULE_LABELS = {
    "beyond_limit": "beyond a process limit",
    "shift": "7 or more on one side of the mean",
    "trend": "7 or more rising or falling",
    "two_of_three": "2 of 3 beyond 2 sigma",
}
ASSURANCE_LABELS = {
    "consistently_pass": "Consistently passing the target",
    "consistently_fail": "Consistently failing the target",
    "hit_and_miss": "Hit and miss: will pass and fail the target by chance",
    None: "No target",
}


@dataclass
class PointSignal:
    value: float | None
    rules: list[str] = field(default_factory=list)  # "beyond_limit", "shift", "trend", "two_of_three"
    side: str = ""  # "high" or "low" when special cause

    @property
    def special(self) -> bool:
        return bool(self.rules)


@dataclass
class SpcResult:
    mean: float | None
    ucl: float | None
    lcl: float | None
    sigma: float | None
    points: list[PointSignal]
    variation: str
    assurance: str | None

    @property
    def variation_label(self) -> str:
        return VARIATION_LABELS[self.variation]

    @property
    def assurance_label(self) -> str:
        return ASSURANCE_LABELS[self.assurance]


def _flag(points: list[PointSignal], idx: Sequence[int], rule: str, side: str) -> None:
    for i in idx:
        if rule not in points[i].rules:
            points[i].rules.append(rule)
        points[i].side = points[i].side or side


def _chains(xs: Sequence[float], step) -> list[tuple[int, int]]:
    """Maximal runs [s, e) where every point is ``step``-related to the one before; len >= RUN."""
    out, s = [], 0
    for k in range(1, len(xs) + 1):
        if k < len(xs) and step(xs[k - 1], xs[k]):
            continue
        if k - s >= RUN:
            out.append((s, k))
        s = k
    return out


def xmr(values: Sequence[float | None], polarity: str = "none", target: float | None = None) -> SpcResult:
    """XmR limits, special-cause flags per point, and variation/assurance signals.

    Blank months (None) are skipped: the chart joins the known points in order.
    """
    points = [PointSignal(v) for v in values]
    known = [i for i, v in enumerate(values) if v is not None]
    if len(known) < MIN_POINTS:
        return SpcResult(None, None, None, None, points, "insufficient_data", None)
    xs = [float(values[i]) for i in known]  # type: ignore[arg-type]
    mean = sum(xs) / len(xs)
    mrs = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
    mr_bar = sum(mrs) / len(mrs)
    ucl, lcl, sigma = mean + E2 * mr_bar, mean - E2 * mr_bar, mr_bar / D2

    # Rule 1: beyond a limit.
    for i, x in zip(known, xs, strict=True):
        if x > ucl:
            _flag(points, [i], "beyond_limit", "high")
        elif x < lcl:
            _flag(points, [i], "beyond_limit", "low")
    # Rule 2: a shift - a run of RUN or more on one side of the mean (a point on it breaks the run).
    run: list[int] = []
    run_side = ""
    for i, x in zip(known + [-1], xs + [mean], strict=True):
        side = "high" if x > mean else "low" if x < mean else ""
        if side and side == run_side:
            run.append(i)
            continue
        if len(run) >= RUN:
            _flag(points, run, "shift", run_side)
        run, run_side = ([i], side) if side else ([], "")
    # Rule 3: a trend - RUN or more points each higher (or each lower) than the one before.
    for side, steps in (("high", lambda a, b: b > a), ("low", lambda a, b: b < a)):
        for s, e in _chains(xs, steps):
            _flag(points, known[s:e], "trend", side)
    # Rule 4: two out of three beyond 2 sigma on the same side.
    hi2, lo2 = mean + 2 * sigma, mean - 2 * sigma
    for k in range(len(xs) - 2):
        window = list(range(k, k + 3))
        for side, beyond in (("high", [j for j in window if xs[j] > hi2]), ("low", [j for j in window if xs[j] < lo2])):
            if len(beyond) >= 2:
                _flag(points, [known[j] for j in beyond], "two_of_three", side)

    last = points[known[-1]]
    if not last.special:
        variation = "common_cause"
    elif polarity not in ("high", "low"):
        variation = "special_cause_neither"
    else:
        variation = "special_cause_improving" if (last.side == "high") == (polarity == "high") \
            else "special_cause_concerning"

    assurance = None
    if target is not None and polarity in ("high", "low"):
        passing_all = lcl >= target if polarity == "high" else ucl <= target
        failing_all = ucl < target if polarity == "high" else lcl > target
        assurance = "consistently_pass" if passing_all else "consistently_fail" if failing_all else "hit_and_miss"
    return SpcResult(mean, ucl, lcl, sigma, points, variation, assurance)
