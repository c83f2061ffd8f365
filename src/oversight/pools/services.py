"""Pool benchmarks on a council's scorecard, and where pools and neighbour lists live.

The scorecard reads benchmarks from ``performance.Benchmark`` (national, regional and
statistical-neighbour columns). A pool's benchmarks are written there for one council, each
row saying where it came from (``source`` = "pool <name> as at <date>"), so the scorecard and
the indicator page show them with no change of their own:

- the whole pool → the **national** column (the pool's value; rank and band in the pool);
- the council's region in the pool → **regional**;
- its statistical neighbours in the pool → **statistical neighbours**;
- the council itself → a "local authority" row with its value, rank and band in the pool.

Loading the same pool again replaces its rows (same pool name, as-at and council).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import transaction

from oversight.engine.pools.councils import Council, Councils, load_councils
from oversight.engine.pools.indicators import CouncilBenchmark

LEVEL_OF_GROUP = {"pool": "national", "region": "regional", "neighbours": "stat_neighbours"}


def pools_dir() -> Path:
    """Where ``oversight pool load`` writes a pool when no ``--out`` is given."""
    return Path(settings.DATA_DIR) / "pools"


def neighbours_file() -> Path:
    """Neighbour lists loaded with ``oversight councils load-neighbours`` (laid over the shipped ones)."""
    return Path(settings.DATA_DIR) / "councils" / "neighbours.csv"


def councils() -> Councils:
    return load_councils(neighbours_file())


def pool_source(name: str, as_at: dt.date) -> str:
    return f"pool {name} as at {as_at.isoformat()}"


@transaction.atomic
def store_benchmarks(name: str, as_at: dt.date, council: Council,
                     benchmarks: dict[str, dict[str, CouncilBenchmark]]) -> int:
    """Write one council's pool benchmarks as ``performance.Benchmark`` rows; return how many."""
    from oversight.performance.models import Benchmark

    source = pool_source(name, as_at)
    Benchmark.objects.filter(source=source, area_code__endswith=f"@{council.la_code}").delete()
    rows = []
    for indicator, per in benchmarks.items():
        b = per.get(council.la_code)
        if b is None:
            continue
        for g in b.groups:
            if g.value is None:
                continue
            rows.append(Benchmark(indicator=indicator, time_period=as_at.isoformat(), year=as_at.year,
                                  level=LEVEL_OF_GROUP[g.group], area_name=f"{g.label}, {source}"[:200],
                                  area_code=f"{g.group}@{council.la_code}", value=float(g.value),
                                  quartile=g.band or "", rank=g.rank, source=source))
        if b.value is not None:
            pool = b.group("pool")
            rows.append(Benchmark(indicator=indicator, time_period=as_at.isoformat(), year=as_at.year,
                                  level=Benchmark.LOCAL_AUTHORITY, area_name=f"{council.name}, {source}"[:200],
                                  area_code=f"la@{council.la_code}", value=float(b.value),
                                  quartile=pool.band or "", rank=pool.rank, source=source))
    Benchmark.objects.bulk_create(rows)
    return len(rows)
