"""Charts as inline SVG built on the server: the same markup serves the page, print and PDF.

No scripts and no style attributes (the Content-Security-Policy forbids inline styles); only
SVG presentation attributes. Every chart carries a text alternative, and the page puts the
numbers beside it in a table, so nothing is conveyed by the picture alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from oversight.engine.indicators.spc import SpcResult

INK = "#0b0c0c"
GREY = "#505a5f"
LIGHT = "#b1b4b6"
BLUE = "#1d70b8"  # special cause, improving (Making Data Count)
ORANGE = "#f47738"  # special cause, concerning
TARGET = "#d4351c"


def _month_label(month: str) -> str:
    """'2019-08' -> 'Aug 19' (as on the scorecard); anything else unchanged."""
    try:
        return dt.date.fromisoformat(f"{month}-01").strftime("%b %y")
    except ValueError:
        return month


def _scale(values: Sequence[float], extra: Sequence[float | None] = ()) -> tuple[float, float]:
    pool = [v for v in list(values) + list(extra) if v is not None]
    lo, hi = min(pool), max(pool)
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    return (max(lo - pad, 0.0) if lo >= 0 else lo - pad), hi + pad  # counts and rates never go below 0


def _segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[list[tuple[float, float]]]:
    segs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if segs[-1]:
                segs.append([])
            continue
        segs[-1].append((x, y))
    return [s for s in segs if s]


def sparkline(values: Sequence[float | None], label: str, width: int = 120, height: int = 32) -> SafeString:
    """A small trend line; blank months leave a gap. ``label`` is read out by screen readers."""
    known = [v for v in values if v is not None]
    title = escape(label)
    if len(known) == 0:
        return mark_safe(f'<svg class="sparkline" role="img" aria-label="{title}" width="{width}" '
                         f'height="{height}" viewBox="0 0 {width} {height}"></svg>')
    lo, hi = _scale(known)
    step = (width - 8) / max(len(values) - 1, 1)
    xs = [4 + i * step for i in range(len(values))]

    def y(v: float) -> float:
        return height - 4 - (v - lo) / (hi - lo) * (height - 8)

    parts = []
    for seg in _segments(xs, values):
        pts = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in seg)
        if len(seg) > 1:
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{BLUE}" stroke-width="1.5"/>')
    last = next(((x, v) for x, v in reversed(list(zip(xs, values, strict=True))) if v is not None), None)
    if last:
        parts.append(f'<circle cx="{last[0]:.1f}" cy="{y(last[1]):.1f}" r="2.5" fill="{INK}"/>')
    return mark_safe(
        f'<svg class="sparkline" role="img" aria-label="{title}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>{title}</title>{"".join(parts)}</svg>')


def spc_chart(months: Sequence[str], spc: SpcResult, title: str, target: float | None = None,
              polarity: str = "none", width: int = 640, height: int = 260) -> SafeString:
    """An XmR chart: points, mean, process limits, target; special-cause points coloured."""
    values = [p.value for p in spc.points]
    known = [v for v in values if v is not None]
    t = escape(title)
    head = (f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">'
            f'<title id="chart-title">{t}</title>')
    if not known:
        return mark_safe(head + '<desc id="chart-desc">No values to chart.</desc></svg>')
    desc = escape(f"{len(known)} monthly values from {months[0]} to {months[-1]}; "
                  + (f"mean {spc.mean:.1f}, limits {spc.lcl:.1f} to {spc.ucl:.1f}. " if spc.mean is not None else "")
                  + spc.variation_label + ".")
    left, right, top, bottom = 56, 40, 16, 40
    lo, hi = _scale(known, [spc.ucl, spc.lcl, target])
    step = (width - left - right) / max(len(values) - 1, 1)
    xs = [left + i * step for i in range(len(values))]

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * (height - top - bottom)

    parts = [head, f'<desc id="chart-desc">{desc}</desc>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="{LIGHT}"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="{LIGHT}"/>']
    for v in (hi, lo):
        parts.append(f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="{GREY}">'
                     f'{v:.1f}</text>')
    for i, m in enumerate(months):
        if len(months) <= 12 or i % max(len(months) // 12, 1) == 0:
            parts.append(f'<text x="{xs[i]:.1f}" y="{height - bottom + 16}" text-anchor="middle" font-size="11" '
                         f'fill="{GREY}">{escape(_month_label(m))}</text>')

    def hline(v: float | None, colour: str, dash: str, label: str) -> None:
        if v is None:
            return
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{colour}" '
                     f'stroke-width="1" stroke-dasharray="{dash}"/>')
        parts.append(f'<text x="{width - right}" y="{y(v) - 3:.1f}" text-anchor="end" font-size="10" '
                     f'fill="{colour}">{escape(label)}</text>')

    hline(spc.mean, GREY, "0", "mean")
    hline(spc.ucl, GREY, "4 3", "upper limit")
    hline(spc.lcl, GREY, "4 3", "lower limit")
    hline(target, TARGET, "8 3", "target")
    for seg in _segments(xs, values):
        if len(seg) > 1:
            pts = " ".join(f"{x:.1f},{y(v):.1f}" for x, v in seg)
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{GREY}" stroke-width="1.5"/>')
    for x, p in zip(xs, spc.points, strict=True):
        if p.value is None:
            continue
        colour = INK
        if p.special:
            good = polarity in ("high", "low") and (p.side == "high") == (polarity == "high")
            colour = BLUE if good else ORANGE if polarity in ("high", "low") else GREY
        parts.append(f'<circle cx="{x:.1f}" cy="{y(p.value):.1f}" r="4" fill="{colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
