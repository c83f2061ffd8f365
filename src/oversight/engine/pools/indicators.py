"""Indicators of a pool, per council and pooled, and benchmarks computed from them.

One pass of the catalogue over the pool's partitioned Parquet (``runner._Compiled`` with a
council column) counts every indicator for the whole pool, for each council, and for each
council's teams, in one aggregation per table — the same SQL on DuckDB, Spark or PostgreSQL.
The result is the runner's own typed ``RunResult`` per council (and one for the pool as if it
were one council), so a council's figures from a pool are those it would get alone (with the
pool's pseudonymised data: see ``pseudonymise`` for the one indicator a month-of-birth can move).

Benchmarks (:func:`benchmark`) compare each council, for each indicator at the as-at month,
with three groups built from the pool: the whole pool, the councils of its region, and its
statistical neighbours (those in the pool) — each with the council's rank (1 = best, ties take
the minimum), quartile band A–D (polarity-aware, ``benchmarks.standings``) and the group's
value: for a percentage or an average, the group's numerators over its denominators (the
neighbours' value leaves the council out); for a count, the mean per council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..calendar import WorkingDayCalendar, calendar_from
from ..indicators.catalogue import Catalogue, load_catalogue
from ..indicators.engines import DEFAULT_ENGINE, PARTITION_KEY, EngineStepError
from ..indicators.results import IndicatorResult, RunResult, month_key
from ..indicators.runner import (
    IndicatorRunError,
    _assemble,
    _Compiled,
    _marker_code_sql,
    _open,
    _plans,
    _unavailable,
    code_sql_duckdb,
    fmt_value,
)
from .benchmarks import Standing, standings
from .councils import Councils, load_councils
from .load import open_pool, pool_tables

POOL = "pool"


@dataclass(frozen=True)
class PoolResult:
    """The pool's indicators: ``pooled`` (all councils as one) and ``by_council`` (LA code → result)."""

    name: str
    as_at: dt.date
    pooled: RunResult
    by_council: Mapping[str, RunResult]
    engine: str = DEFAULT_ENGINE

    def as_json(self) -> dict[str, Any]:
        return {"pool": self.name, "as_at": self.as_at.isoformat(), "pooled": self.pooled.as_json(),
                "councils": {k: v.as_json() for k, v in self.by_council.items()}}


def run_pool(pool: str | Path, as_at: dt.date | None = None, *, engine: str = DEFAULT_ENGINE,
             engine_options: Mapping[str, Any] | None = None, by_worker: bool = False,
             calendar: WorkingDayCalendar | str | Path | None = None,
             catalogue: Catalogue | None = None) -> PoolResult:
    """Every indicator for the six months ending at the pool's as-at (or ``as_at``), pooled and
    per council (teams included), on ``engine``."""
    manifest = open_pool(pool)
    as_at = as_at or dt.date.fromisoformat(manifest["as_at"])
    cat = catalogue or load_catalogue()
    cal = calendar_from(calendar)
    tables = pool_tables(pool)
    codes = [c["la_code"] for c in manifest["councils"]]
    db, periods = _open(engine, tables, as_at, cal, engine_options)
    code_sql = code_sql_duckdb if engine == "duckdb" else _marker_code_sql
    wanted = list(cat)
    try:
        plans, unavailable = _plans(cat, db.columns(), wanted)
        raw: dict[str, list[tuple]] = {}
        names: dict[str, list[str]] = {}
        for table, plan in plans.items():
            if PARTITION_KEY not in plan.columns:
                raise IndicatorRunError(f"table {table!r} of the pool has no council column {PARTITION_KEY!r}")
            compiled = _Compiled(plan, "_invalid" in plan.columns, "child_id" if "child_id" in plan.columns else None,
                                 code_sql=code_sql, council_col=PARTITION_KEY)
            try:
                names[table], raw[table] = db.run(compiled.steps(by_worker))
            except EngineStepError as e:
                raise IndicatorRunError(f"table {table!r}: indicator SQL failed on {engine} ({e})") from None
    finally:
        db.close()

    # split each table's rows: the pool's (g_council = 1) and each council's
    split: dict[str, dict[str, list[tuple]]] = {}
    for table, rows in raw.items():
        ix = {n: i for i, n in enumerate(names[table])}
        gi, ci = ix["g_council"], ix["_council"]
        parts: dict[str, list[tuple]] = {POOL: []}
        for r in rows:
            parts.setdefault(POOL if r[gi] else str(r[ci]), []).append(r)
        split[table] = parts

    def result_for(key: str) -> RunResult:
        out: list[IndicatorResult] = []
        for ind in wanted:
            if ind.id in unavailable:
                out.append(_unavailable(ind, cat, periods, unavailable[ind.id]))
            else:
                rows = split[ind.table].get(key, [])
                res = _assemble(ind, cat, periods, names[ind.table], rows, by_worker)
                if key == POOL:  # the pool has no teams of its own
                    res = replace(res, by_team=None, by_worker=None)
                out.append(res)
        return RunResult(as_at=as_at, calendar=cal.describe(), settings=dict(cat.params), indicators=tuple(out),
                         engine=engine)

    return PoolResult(manifest["name"], as_at, result_for(POOL), {c: result_for(c) for c in codes}, engine)


# ------------------------------------------------------------------------------ benchmarks
@dataclass(frozen=True)
class GroupStanding:
    """A council in one comparison group: its rank and band there, the group's value and size."""

    group: str  # "pool", "region" or "neighbours"
    label: str  # "London", "Statistical neighbours (7 of 10 in the pool)"…
    rank: int | None
    band: str | None
    of: int  # councils with a value in the group
    value: float | int | None  # the group's own value (see the module doc)

    def as_json(self) -> dict[str, Any]:
        return {"group": self.group, "label": self.label, "rank": self.rank, "band": self.band, "of": self.of,
                "value": self.value}


@dataclass(frozen=True)
class CouncilBenchmark:
    indicator: str
    la_code: str
    month: dt.date
    value: float | int | None
    numerator: int | None
    denominator: int | None
    groups: tuple[GroupStanding, ...] = field(default=())

    def group(self, name: str) -> GroupStanding:
        return next(g for g in self.groups if g.group == name)

    def as_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "la_code": self.la_code, "month": month_key(self.month),
                "value": self.value, "numerator": self.numerator, "denominator": self.denominator,
                **{g.group: g.as_json() for g in self.groups}}


def _group_value(unit: str, points: list[tuple[int | None, int | None, Any]]) -> float | int | None:
    have = [p for p in points if p[2] is not None]
    if not have:
        return None
    if unit == "count":
        return float(round(sum(p[0] or 0 for p in have) / len(have), 1))
    return fmt_value(unit, sum(p[0] or 0 for p in have), sum(p[1] or 0 for p in have))


def benchmark(result: PoolResult, councils: Councils | None = None, month: dt.date | None = None
              ) -> dict[str, dict[str, CouncilBenchmark]]:
    """indicator id → LA code → the council's benchmarks at ``month`` (default: the as-at month)."""
    councils = councils or load_councils()
    month = (month or result.as_at).replace(day=1)
    codes = list(result.by_council)
    out: dict[str, dict[str, CouncilBenchmark]] = {}
    for ind in result.pooled:
        if ind.unavailable is not None:
            continue
        points: dict[str, tuple[int | None, int | None, Any]] = {}
        for code in codes:
            r = result.by_council[code][ind.id]
            p = next((q for q in r.series if q.month == month), None)
            points[code] = (p.numerator, p.denominator, p.value) if p else (None, None, None)
        values = {c: points[c][2] for c in codes}
        pool_st = standings(values, ind.polarity)
        pool_value = _group_value(ind.unit, list(points.values()))
        per: dict[str, CouncilBenchmark] = {}
        region_cache: dict[str, dict[str, Standing]] = {}
        for code in codes:
            c = councils.get(code)
            groups = [GroupStanding("pool", f"Pool ({len(codes)} councils)", pool_st[code].rank,
                                    pool_st[code].band, pool_st[code].of, pool_value)]
            if c is not None:
                members = [k for k in codes if councils.get(k) is not None and councils[k].region == c.region]
                if c.region not in region_cache:
                    region_cache[c.region] = standings({k: values[k] for k in members}, ind.polarity)
                st = region_cache[c.region][code]
                groups.append(GroupStanding("region", f"{c.region} ({len(members)} in the pool)", st.rank, st.band,
                                            st.of, _group_value(ind.unit, [points[k] for k in members])))
                nbs = [k for k in c.neighbours if k in points]
                st = standings({k: values[k] for k in [code, *nbs]}, ind.polarity)[code]
                groups.append(GroupStanding("neighbours", f"Statistical neighbours ({len(nbs)} of "
                                            f"{len(c.neighbours)} in the pool)", st.rank, st.band, st.of,
                                            _group_value(ind.unit, [points[k] for k in nbs])))
            n, d, v = points[code]
            per[code] = CouncilBenchmark(ind.id, code, month, v, n, d, tuple(groups))
        out[ind.id] = per
    return out
