"""Benchmarks computed from a pool's data instead of typed in: rank and quartile band A–D.

As in the DfE's LA Interactive Tool (LAIT, dfe-analytical-services/local-authority-interactive-tool,
``calculate_rank`` and ``calculate_quartile_band``): councils are ordered best first — highest
value first when higher is better (polarity ``high``), lowest first when lower is better
(``low``) — and ranked with ties taking the minimum rank (1, 2, 2, 4). The quartile band comes
from the group's quartiles of the values (R's default ``quantile``, type 7: linear between the
order statistics): when lower is better A is a value at or below the 25th percentile, B up to
the median, C up to the 75th, D above it; when higher is better the bands turn round (A above the
75th percentile … D at or below the 25th). A value equal to a quartile falls in the band below
it, as in LAIT, so councils with equal values always share a band. An indicator without a
polarity (``none``, e.g. numbers of referrals) is ranked highest first for reference but gets no
band, and neither does a group with only one value. Councils without a value are neither ranked
nor banded, and do not count in n.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

BANDS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Standing:
    """Where one council stands in a comparison group for one indicator and month."""

    council: str
    value: float | None
    rank: int | None  # 1 = best; ties take the minimum
    band: str | None  # A (best quarter) … D; None without polarity or value
    of: int  # councils with a value in the group


def standings(values: Mapping[str, float | int | None], polarity: str) -> dict[str, Standing]:
    """Rank and band every council of a group (``values``: council → value or None)."""
    if polarity not in ("high", "low", "none"):
        raise ValueError(f"polarity must be high, low or none, not {polarity!r}")
    known = {k: float(v) for k, v in values.items() if v is not None}
    n = len(known)
    best_first = sorted(known.values(), reverse=polarity != "low")
    first_at: dict[float, int] = {}
    for i, v in enumerate(best_first, start=1):
        first_at.setdefault(v, i)
    q = quartiles(list(known.values())) if known else (0.0,) * 5
    out = {}
    for council, raw in values.items():
        if raw is None:
            out[council] = Standing(council, None, None, None, n)
            continue
        rank = first_at[float(raw)]
        banded = polarity != "none" and n >= 2  # a group of one has no quartiles to speak of
        out[council] = Standing(council, raw, rank, band(float(raw), q, polarity) if banded else None, n)
    return out


def quartiles(values: list[float]) -> tuple[float, float, float, float, float]:
    """0 %, 25 %, 50 %, 75 % and 100 % quantiles, as R's ``quantile(x)`` (type 7) gives them."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")

    def at(p: float) -> float:
        h = (len(xs) - 1) * p
        lo = int(h)
        return xs[lo] if lo + 1 >= len(xs) else xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo])

    return at(0.0), at(0.25), at(0.5), at(0.75), at(1.0)


def band(value: float, q: tuple[float, float, float, float, float], polarity: str) -> str:
    """LAIT's band of ``value`` given the group's ``quartiles`` (see the module doc)."""
    step = 0 if value <= q[1] else 1 if value <= q[2] else 2 if value <= q[3] else 3
    return BANDS[step] if polarity == "low" else BANDS[3 - step]
