"""Benchmarks computed from a pool's data instead of typed in: rank and quartile band A–D.

As in the DfE's LA Interactive Tool (LAIT): councils are ordered best first — highest value
first when higher is better (polarity ``high``), lowest first when lower is better (``low``)
— and ranked with ties taking the minimum rank (1, 2, 2, 4). The quartile band follows the
rank: A is the best quarter (rank ≤ n/4), then B (≤ n/2), C (≤ 3n/4) and D, so councils with
equal values always share a band. An indicator without a polarity (``none``, e.g. numbers of
referrals) is ranked highest first for reference but gets no band. Councils without a value
are neither ranked nor banded, and do not count in n.
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
    out = {}
    for council, raw in values.items():
        if raw is None:
            out[council] = Standing(council, None, None, None, n)
            continue
        rank = first_at[float(raw)]
        band = None if polarity == "none" else BANDS[min(3, next(q for q in range(4) if rank * 4 <= n * (q + 1)))]
        out[council] = Standing(council, raw, rank, band, n)
    return out
