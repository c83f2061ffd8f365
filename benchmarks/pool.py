"""A pool of 150 synthetic councils (~4 M rows): ingest to Parquet, then every indicator by council
and team on DuckDB and on local Spark, with time and peak memory.

    python benchmarks/pool.py                       # 150 councils, DuckDB and Spark
    python benchmarks/pool.py --councils 20 --no-spark
    python benchmarks/pool.py --cache ~/.cache/oversight-pool-bench

The workbooks are generated once (``oversight synth``'s generator, seed = council number, scale
0.5–2.7 in a repeating pattern so councils differ in size) into a cache folder outside the
repository and reused; the pool is loaded fresh every run. Each measured step is its own Python
process, so its peak resident memory (ru_maxrss) is its own; Spark's figure adds the JVM's
(a child process). The load average is printed before and after: the machine is shared.
Prints figures only: nothing here asserts a time (docs/performance.md has the figures).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

AS_AT = dt.date(2020, 1, 31)
SCALES = (0.5, 0.8, 1.1, 1.4, 1.7, 2.0, 2.3, 2.7, 1.0, 1.5)

GENERATE = r"""
import datetime as dt, sys
from pathlib import Path
from oversight.engine.synth import generate_annex_a
out, seed, scale = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
counts = generate_annex_a(out.with_suffix('.tmp.xlsx'), dt.date(2020, 1, 31), seed, scale)
out.with_suffix('.tmp.xlsx').rename(out)
print(sum(counts.values()))
"""

INGEST = r"""
import datetime as dt, json, resource, sys, time
from pathlib import Path
t0 = time.perf_counter()
from oversight.engine.pools.load import load_pool
pool = load_pool(Path(sys.argv[1]), Path(sys.argv[2]), dt.date(2020, 1, 31), name="bench",
                 secret=b"benchmark-secret-0123456789")
print(json.dumps({"seconds": time.perf_counter() - t0, "councils": len(pool.loaded), "refused": len(pool.refused),
                  "rows": sum(c.rows for c in pool.loaded),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

INDICATORS = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from oversight.engine.pools.indicators import benchmark, run_pool
engine = sys.argv[2]
if engine == "spark":
    from oversight.engine.indicators.engines import spark_session
    spark_session()  # started before the clock: the JVM's start is not the pool's cost
t1 = time.perf_counter()
result = run_pool(sys.argv[1], engine=engine)
t2 = time.perf_counter()
marks = benchmark(result)
t3 = time.perf_counter()
teams = sum(len(i.by_team or {}) for r in result.by_council.values() for i in r)
me = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu_seconds": me.ru_utime + me.ru_stime,
                  "start_seconds": t1 - t0, "indicators_seconds": t2 - t1, "benchmark_seconds": t3 - t2,
                  "councils": len(result.by_council), "council_team_series": teams,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "children_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _council_files(n: int) -> list[tuple[str, int, float]]:
    from oversight.engine.pools.councils import load_councils

    codes = sorted(c.la_code for c in load_councils().current())[:n]
    return [(code, i + 1, SCALES[i % len(SCALES)]) for i, code in enumerate(codes)]


def _child(code: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(p.stderr[-3000:])
    return json.loads([line for line in p.stdout.splitlines() if line.startswith("{")][-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--councils", type=int, default=150)
    ap.add_argument("--cache", default=str(Path.home() / ".cache" / "oversight-pool-bench"))
    ap.add_argument("--no-spark", action="store_true")
    ap.add_argument("--generate-only", action="store_true")
    ap.add_argument("--reuse-pool", action="store_true", help="skip the ingest: time the indicators again")
    args = ap.parse_args()
    cache = Path(args.cache)
    books = cache / "workbooks"
    books.mkdir(parents=True, exist_ok=True)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)

    files = _council_files(args.councils)
    t0 = time.perf_counter()
    made = 0
    for code, seed, scale in files:
        out = books / f"{code}.xlsx"
        if not out.exists():
            subprocess.run([sys.executable, "-c", GENERATE, str(out), str(seed), str(scale)], check=True,
                           capture_output=True)
            made += 1
    wanted = {f"{code}.xlsx" for code, _, _ in files}
    for extra in books.glob("*.xlsx"):
        if extra.name not in wanted:
            extra.unlink()
    print(f"workbooks: {len(files)} in {books} ({made} generated now, {time.perf_counter() - t0:.0f} s)", flush=True)
    if args.generate_only:
        return

    pool = cache / "pool"
    if not (args.reuse_pool and (pool / "pool.json").exists()):
        shutil.rmtree(pool, ignore_errors=True)
        _ingest(books, pool)
    engines = ["duckdb"] + ([] if args.no_spark else ["spark"])
    for engine in engines:
        for attempt in range(2 if engine == "duckdb" else 1):
            r = _child(INDICATORS, str(pool), engine)
            print(f"{engine}{' (again)' if attempt else ''}: all indicators for {r['councils']} councils and "
                  f"{r['council_team_series']:,} council × team series in {r['indicators_seconds']:.1f} s "
                  f"(CPU {r['cpu_seconds']:.1f} s in this process; + benchmarks {r['benchmark_seconds']:.1f} s; "
                  f"start {r['start_seconds']:.1f} s), peak {r['peak_mb']:.0f} MB "
                  f"(children {r['children_peak_mb']:.0f} MB); "
                  f"load average {os.getloadavg()[0]:.2f}", flush=True)


def _ingest(books: Path, pool: Path) -> None:
    ing = _child(INGEST, str(books), str(pool))
    size = sum(f.stat().st_size for f in pool.rglob("*.parquet"))
    print(f"ingest: {ing['councils']} councils, {ing['rows']:,} rows, {ing['seconds']:.1f} s, "
          f"Parquet {size / 1e6:.0f} MB, peak {ing['peak_mb']:.0f} MB (readers {ing['children_peak_mb']:.0f} MB); "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
