"""Time and peak memory of loading an Annex A workbook (read + validate + write Parquet), beside
the time python-calamine alone takes to read the same workbook (the floor).

    python benchmarks/annex_a_load.py                   # clean synthetic workbooks, scales 1, 10, 50
    python benchmarks/annex_a_load.py --scales 1 10     # chosen scales
    python benchmarks/annex_a_load.py --messy           # messy workbooks (with data-quality problems)
    python benchmarks/annex_a_load.py --markdown        # a table for docs/performance.md

The floor opens the workbook with python-calamine and turns every sheet into Python values
(``to_python``), which any loader built on calamine must do. Target: load within 1.5 × the floor.
Each measurement runs in a fresh Python process, so its peak resident memory (``ru_maxrss``,
which includes Arrow's and calamine's own memory) is its own; floor and load runs alternate and
the median of ``--repeat`` runs is reported. Workbooks are made once with the synthetic generator
(``oversight synth annex-a``) and kept in ``--workdir``. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
TARGET_RATIO = 1.5


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def phase_floor(workbook: Path) -> dict:
    from python_calamine import CalamineWorkbook

    base = _rss_mb()
    t = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(workbook))
    cells = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        cells += sum(map(len, rows))
        del rows
    return {"seconds": time.perf_counter() - t, "cells": cells, "peak_mb": _rss_mb(), "baseline_mb": base}


def phase_load(workbook: Path, root: Path) -> dict:
    from oversight.engine.annex_a import read_annex_a, write_dataset

    base = _rss_mb()
    t = time.perf_counter()
    result = read_annex_a(workbook, AS_AT)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    info = write_dataset(result, root)
    write_s = time.perf_counter() - t
    shutil.rmtree(info.path, ignore_errors=True)
    return {"read_seconds": read_s, "write_seconds": write_s, "seconds": read_s + write_s,
            "rows": sum(result.row_counts.values()), "errors": result.error_count,
            "warnings": result.warning_count, "peak_mb": _rss_mb(), "baseline_mb": base}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def workbook_for(workdir: Path, scale: float, messy: bool) -> Path:
    path = workdir / f"annex-a-scale{scale:g}{'-messy' if messy else ''}.xlsx"
    if not path.exists():
        from oversight.engine.synth import generate_annex_a

        print(f"  generating {path.name} …", file=sys.stderr, flush=True)
        tmp = path.with_suffix(".tmp.xlsx")
        generate_annex_a(tmp, AS_AT, 1, scale, messy)
        tmp.rename(path)
    return path


def measure(workdir: Path, scale: float, messy: bool, repeat: int) -> dict:
    workbook = workbook_for(workdir, scale, messy)
    floors, loads = [], []
    with tempfile.TemporaryDirectory(prefix="annex-a-bench-") as root:
        for _ in range(repeat):
            floors.append(_child("floor", str(workbook)))
            loads.append(_child("load", str(workbook), root))
    floor_s = statistics.median(f["seconds"] for f in floors)
    load_s = statistics.median(x["seconds"] for x in loads)
    return {
        "scale": scale, "messy": messy, "mb": workbook.stat().st_size / 1e6, "rows": loads[0]["rows"],
        "cells": floors[0]["cells"], "errors": loads[0]["errors"], "warnings": loads[0]["warnings"],
        "floor_s": floor_s, "read_s": statistics.median(x["read_seconds"] for x in loads),
        "write_s": statistics.median(x["write_seconds"] for x in loads), "load_s": load_s,
        "ratio": load_s / floor_s, "best_ratio": min(x["seconds"] for x in loads) / min(f["seconds"] for f in floors),
        "floor_peak_mb": max(f["peak_mb"] for f in floors), "load_peak_mb": max(x["peak_mb"] for x in loads),
        "baseline_mb": loads[0]["baseline_mb"],
    }


def _markdown(results: list[dict], repeat: int) -> str:
    cpu = os.cpu_count()
    lines = [
        f"`python benchmarks/annex_a_load.py --markdown` (median of {repeat} runs, each in a fresh process;"
        f" synthetic workbooks from `oversight synth annex-a`, seed 1, as at {AS_AT}). Machine: {cpu}-core"
        f" {platform.machine()}, Python {platform.python_version()}.",
        "",
        "| scale | workbook | rows | calamine floor | load + validate | write Parquet | total | × floor (best) |"
        " peak RSS floor / load | problems |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        label = f"{r['scale']:g}{' messy' if r['messy'] else ''}"
        lines.append(
            f"| {label} | {r['mb']:.1f} MB | {r['rows']:,} | {r['floor_s']:.2f} s | {r['read_s']:.2f} s |"
            f" {r['write_s']:.2f} s | {r['load_s']:.2f} s | {r['ratio']:.2f} ({r['best_ratio']:.2f}) |"
            f" {r['floor_peak_mb']:.0f} / {r['load_peak_mb']:.0f} MB | {r['errors']:,} errors,"
            f" {r['warnings']:,} warnings |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--scales", nargs="+", type=float, default=[1.0, 10.0, 50.0])
    parser.add_argument("--messy", action="store_true", help="messy workbooks instead of clean ones")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "oversight-bench-annex-a")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.phase:
        kind, *rest = args.phase
        result = phase_floor(Path(rest[0])) if kind == "floor" else phase_load(Path(rest[0]), Path(rest[1]))
        print(json.dumps(result))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        r = measure(args.workdir, scale, args.messy, args.repeat)
        results.append(r)
        if not args.markdown:
            verdict = "met" if r["ratio"] <= TARGET_RATIO else "NOT met"
            print(f"scale {scale:g}{' messy' if args.messy else ''}: {r['mb']:.1f} MB, {r['rows']:,} rows;"
                  f" floor {r['floor_s']:.2f} s; load+validate {r['read_s']:.2f} s + write {r['write_s']:.2f} s"
                  f" = {r['load_s']:.2f} s = {r['ratio']:.2f} × floor (best {r['best_ratio']:.2f};"
                  f" target ≤ {TARGET_RATIO}: {verdict}); peak RSS {r['floor_peak_mb']:.0f} MB floor,"
                  f" {r['load_peak_mb']:.0f} MB load ({r['baseline_mb']:.0f} MB after imports);"
                  f" {r['errors']} errors, {r['warnings']} warnings", flush=True)
    if args.markdown:
        print(_markdown(results, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
