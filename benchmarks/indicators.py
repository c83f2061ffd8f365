"""Time and peak memory of computing all 35 indicators (with team breakdowns) from Parquet,
beside the time to read the workbook, for synthetic workbooks at scale 1 and scale 50.

    python benchmarks/indicators.py                 # scales 1 and 50
    python benchmarks/indicators.py --scales 1 5    # others
    python benchmarks/indicators.py --markdown      # a table for docs/performance.md

Each phase runs in a fresh Python process so that its peak memory (maximum resident set
size, which includes DuckDB's own allocations) is its own. Workbooks and datasets are kept in
``--workdir`` and reused on a second run. Targets: compute < 0.5 s at scale 1, < 10 s at 50.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_AT = dt.date(2020, 1, 31)
TARGET_SECONDS = {1.0: 0.5, 50.0: 10.0}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def phase_synth(workbook: Path, scale: float, seed: int) -> dict:
    from oversight.engine.synth import generate_annex_a

    t = time.perf_counter()
    counts = generate_annex_a(workbook, AS_AT, seed, scale, messy=True)
    return {"seconds": time.perf_counter() - t, "rows": counts}


def phase_read(workbook: Path, root: Path) -> dict:
    from oversight.engine.annex_a import read_annex_a, write_dataset

    base = _rss_mb()
    t = time.perf_counter()
    loaded = read_annex_a(workbook, AS_AT)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    info = write_dataset(loaded, root)
    write_s = time.perf_counter() - t
    return {"read_seconds": read_s, "write_seconds": write_s, "dataset": str(info.path),
            "rows": sum(loaded.row_counts.values()), "peak_mb": _rss_mb(), "baseline_mb": base}


def phase_compute(dataset: Path, repeat: int) -> dict:
    from oversight.engine.annex_a import open_dataset
    from oversight.engine.indicators import compute

    tables = dict(open_dataset(dataset).tables)
    base = _rss_mb()
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = compute(tables, AS_AT, by_worker=True)
        times.append(time.perf_counter() - t)
    assert result is not None and len(result["indicators"]) == 35
    teams = sum(len(i.get("by_team") or {}) for i in result["indicators"])
    return {"first_seconds": times[0], "median_seconds": statistics.median(times), "min_seconds": min(times),
            "peak_mb": _rss_mb(), "baseline_mb": base, "team_series": teams}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[1.0, 50.0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5, help="compute runs per scale (median reported)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "oversight-bench-indicators")
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.phase:  # inside a child process
        kind, *rest = args.phase
        if kind == "synth":
            res = phase_synth(Path(rest[0]), float(rest[1]), int(rest[2]))
        elif kind == "read":
            res = phase_read(Path(rest[0]), Path(rest[1]))
        else:
            res = phase_compute(Path(rest[0]), int(rest[1]))
        print(json.dumps(res))
        return 0

    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        wb = args.workdir / f"annex-a-scale{scale:g}-seed{args.seed}.xlsx"
        if not wb.exists():
            print(f"scale {scale:g}: generating {wb.name} …", file=sys.stderr)
            _child("synth", str(wb), str(scale), str(args.seed))
        root = args.workdir / f"datasets-scale{scale:g}"
        shutil.rmtree(root, ignore_errors=True)
        print(f"scale {scale:g}: reading the workbook …", file=sys.stderr)
        read = _child("read", str(wb), str(root))
        print(f"scale {scale:g}: computing the indicators ×{args.repeat} …", file=sys.stderr)
        comp = _child("compute", read["dataset"], str(args.repeat))
        results.append((scale, wb.stat().st_size, read, comp))

    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
    if args.markdown:
        print(f"Machine: {machine}; as at {AS_AT}; messy synthetic workbooks, seed {args.seed}; "
              f"compute = all 35 indicators with team and worker breakdowns, median of {args.repeat}.\n")
        print("| scale | workbook | rows | read workbook | write Parquet | compute (median / first) "
              "| compute peak RSS | target |")
        print("|---|---|---|---|---|---|---|---|")
    for scale, size, read, comp in results:
        target = TARGET_SECONDS.get(scale)
        verdict = ""
        if target is not None:
            verdict = ("met" if comp["median_seconds"] < target else "MISSED") + f" (< {target} s)"
        if args.markdown:
            print(f"| {scale:g} | {size / 1e6:.1f} MB | {read['rows']:,} | {read['read_seconds']:.2f} s "
                  f"| {read['write_seconds']:.2f} s | {comp['median_seconds']:.3f} s / {comp['first_seconds']:.3f} s "
                  f"| {comp['peak_mb']:.0f} MB (baseline {comp['baseline_mb']:.0f} MB) | {verdict} |")
        else:
            print(f"scale {scale:g}: workbook {size / 1e6:.1f} MB, {read['rows']:,} rows; "
                  f"read {read['read_seconds']:.2f} s (peak {read['peak_mb']:.0f} MB), "
                  f"write Parquet {read['write_seconds']:.2f} s; "
                  f"indicators median {comp['median_seconds']:.3f} s, first {comp['first_seconds']:.3f} s, "
                  f"min {comp['min_seconds']:.3f} s, peak RSS {comp['peak_mb']:.0f} MB "
                  f"(baseline {comp['baseline_mb']:.0f} MB), {comp['team_series']} team series {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
