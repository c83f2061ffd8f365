"""Time and peak memory of loading an Annex A workbook (read + validate + write Parquet), beside
the time python-calamine alone takes to read the same workbook (the floor).

    python benchmarks/annex_a_load.py                   # clean synthetic workbooks, scales 1, 10, 50
    python benchmarks/annex_a_load.py --scales 1 10     # chosen scales
    python benchmarks/annex_a_load.py --messy           # messy workbooks (with data-quality problems)
    python benchmarks/annex_a_load.py --warnings --scales 10   # ~88,000 warnings (see below)
    python benchmarks/annex_a_load.py --markdown        # a table for docs/performance.md

``--warnings`` is the case that used to be slow: the clean synthetic data with the
children-in-need list (List 6) cut to one row in ten, so most children on a plan or in care are
missing from it (cross-list warnings), loaded with an as-at date four months after the extract,
so two thirds of the contacts fall before the six-month window (``outside-window`` warnings):
about 88,000 warnings at scale 10. Target: within 2 × the floor.

When fastexcel is installed (``pip install fastexcel``), its read of every sheet straight into
Arrow (the same calamine reader, no Python object per cell) is timed beside the floor.

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
WARNINGS_AS_AT = dt.date(2020, 5, 31)  # four months after the extract: most contacts fall out of the window
WARNINGS_CIN_KEEP = 10  # keep one List 6 row in ten
TARGET_RATIO = 1.5
TARGET_RATIO_WARNINGS = 2.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _cpu_s() -> float:
    """CPU seconds of this process (all threads): less sensitive than wall time to other jobs."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def phase_floor(workbook: Path) -> dict:
    from python_calamine import CalamineWorkbook

    base = _rss_mb()
    cpu = _cpu_s()
    t = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(workbook))
    cells = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python()
        cells += sum(map(len, rows))
        del rows
    return {"seconds": time.perf_counter() - t, "cpu_seconds": _cpu_s() - cpu, "cells": cells, "peak_mb": _rss_mb(),
            "baseline_mb": base}


def phase_fastexcel(workbook: Path) -> dict:
    import fastexcel

    base = _rss_mb()
    cpu = _cpu_s()
    t = time.perf_counter()
    reader = fastexcel.read_excel(str(workbook))
    cells = 0
    for name in reader.sheet_names:
        table = reader.load_sheet_by_name(name, header_row=None).to_arrow()
        cells += table.num_rows * table.num_columns
        del table
    return {"seconds": time.perf_counter() - t, "cpu_seconds": _cpu_s() - cpu, "cells": cells, "peak_mb": _rss_mb(),
            "baseline_mb": base}


def phase_load(workbook: Path, root: Path, as_at: dt.date = AS_AT) -> dict:
    from oversight.engine.annex_a import read_annex_a, write_dataset

    base = _rss_mb()
    cpu = _cpu_s()
    t = time.perf_counter()
    result = read_annex_a(workbook, as_at)
    read_s = time.perf_counter() - t
    t = time.perf_counter()
    info = write_dataset(result, root)
    write_s = time.perf_counter() - t
    shutil.rmtree(info.path, ignore_errors=True)
    return {"read_seconds": read_s, "write_seconds": write_s, "seconds": read_s + write_s,
            "cpu_seconds": _cpu_s() - cpu,
            "rows": sum(result.row_counts.values()), "errors": result.error_count,
            "warnings": result.warning_count, "peak_mb": _rss_mb(), "baseline_mb": base}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _has_fastexcel() -> bool:
    try:
        import fastexcel  # noqa: F401
    except ImportError:
        return False
    return True


def write_warnings_workbook(path: Path, scale: float) -> None:
    """Clean synthetic data with List 6 cut to one row in ``WARNINGS_CIN_KEEP``."""
    from oversight.engine.annex_a.schema import get_schema
    from oversight.engine.synth import generate_rows
    from oversight.engine.synth.writer import WorkbookWriter

    writer = WorkbookWriter(path, get_schema(None), AS_AT)
    seen = 0
    try:
        for number, row in generate_rows(AS_AT, 1, scale):
            if number == 6:
                seen += 1
                if seen % WARNINGS_CIN_KEEP:
                    continue
            writer.add(number, row)
    finally:
        writer.close()


def workbook_for(workdir: Path, scale: float, messy: bool, warnings: bool = False) -> Path:
    suffix = "-warnings" if warnings else ("-messy" if messy else "")
    path = workdir / f"annex-a-scale{scale:g}{suffix}.xlsx"
    if warnings and not path.exists():
        print(f"  generating {path.name} …", file=sys.stderr, flush=True)
        tmp = path.with_suffix(".tmp.xlsx")
        write_warnings_workbook(tmp, scale)
        tmp.rename(path)
    if not path.exists():
        from oversight.engine.synth import generate_annex_a

        print(f"  generating {path.name} …", file=sys.stderr, flush=True)
        tmp = path.with_suffix(".tmp.xlsx")
        generate_annex_a(tmp, AS_AT, 1, scale, messy)
        tmp.rename(path)
    return path


def measure(workdir: Path, scale: float, messy: bool, repeat: int, warnings: bool = False) -> dict:
    workbook = workbook_for(workdir, scale, messy, warnings)
    as_at = WARNINGS_AS_AT if warnings else AS_AT
    floors, loads, fast = [], [], []
    with tempfile.TemporaryDirectory(prefix="annex-a-bench-") as root:
        for _ in range(repeat):
            floors.append(_child("floor", str(workbook)))
            loads.append(_child("load", str(workbook), root, as_at.isoformat()))
            if _has_fastexcel():
                fast.append(_child("fastexcel", str(workbook)))
    floor_s = statistics.median(f["seconds"] for f in floors)
    load_s = statistics.median(x["seconds"] for x in loads)
    return {
        "scale": scale, "messy": messy, "warnings_case": warnings, "target": TARGET_RATIO_WARNINGS if warnings
        else TARGET_RATIO,
        "fastexcel_s": statistics.median(f["seconds"] for f in fast) if fast else None,
        "fastexcel_peak_mb": max(f["peak_mb"] for f in fast) if fast else None,
        "mb": workbook.stat().st_size / 1e6, "rows": loads[0]["rows"],
        "cells": floors[0]["cells"], "errors": loads[0]["errors"], "warnings": loads[0]["warnings"],
        "floor_s": floor_s, "read_s": statistics.median(x["read_seconds"] for x in loads),
        "write_s": statistics.median(x["write_seconds"] for x in loads), "load_s": load_s,
        "ratio": load_s / floor_s,
        "cpu_ratio": statistics.median(x["cpu_seconds"] for x in loads)
        / statistics.median(f["cpu_seconds"] for f in floors),
        "best_ratio": min(x["seconds"] for x in loads) / min(f["seconds"] for f in floors),
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
        " CPU × floor | target | peak RSS floor / load | problems | fastexcel → Arrow (peak) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        label = f"{r['scale']:g}{_label(r)}"
        fast = (f"{r['fastexcel_s']:.2f} s ({r['fastexcel_peak_mb']:.0f} MB)" if r.get("fastexcel_s") is not None
                else "–")
        lines.append(
            f"| {label} | {r['mb']:.1f} MB | {r['rows']:,} | {r['floor_s']:.2f} s | {r['read_s']:.2f} s |"
            f" {r['write_s']:.2f} s | {r['load_s']:.2f} s | {r['ratio']:.2f} ({r['best_ratio']:.2f}) |"
            f" {r['cpu_ratio']:.2f} | ≤ {r['target']:g}: {'met' if r['ratio'] <= r['target'] else 'NOT met'} |"
            f" {r['floor_peak_mb']:.0f} / {r['load_peak_mb']:.0f} MB | {r['errors']:,} errors,"
            f" {r['warnings']:,} warnings | {fast} |")
    return "\n".join(lines)


def _label(r: dict) -> str:
    return " warnings" if r.get("warnings_case") else (" messy" if r["messy"] else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--scales", nargs="+", type=float, default=[1.0, 10.0, 50.0])
    parser.add_argument("--messy", action="store_true", help="messy workbooks instead of clean ones")
    parser.add_argument("--warnings", action="store_true",
                        help="the ~80,000-warnings workbook (List 6 cut to a tenth, as-at four months later)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "oversight-bench-annex-a")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if args.phase:
        kind, *rest = args.phase
        if kind == "floor":
            result = phase_floor(Path(rest[0]))
        elif kind == "fastexcel":
            result = phase_fastexcel(Path(rest[0]))
        else:
            as_at = dt.date.fromisoformat(rest[2]) if len(rest) > 2 else AS_AT
            result = phase_load(Path(rest[0]), Path(rest[1]), as_at)
        print(json.dumps(result))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        r = measure(args.workdir, scale, args.messy, args.repeat, args.warnings)
        results.append(r)
        if not args.markdown:
            verdict = "met" if r["ratio"] <= r["target"] else "NOT met"
            fast = f"; fastexcel → Arrow {r['fastexcel_s']:.2f} s" if r["fastexcel_s"] is not None else ""
            print(f"scale {scale:g}{_label(r)}: {r['mb']:.1f} MB, {r['rows']:,} rows;"
                  f" floor {r['floor_s']:.2f} s{fast}; load+validate {r['read_s']:.2f} s + write {r['write_s']:.2f} s"
                  f" = {r['load_s']:.2f} s = {r['ratio']:.2f} × floor (best {r['best_ratio']:.2f};"
                  f" CPU {r['cpu_ratio']:.2f} ×;"
                  f" target ≤ {r['target']:g}: {verdict}); peak RSS {r['floor_peak_mb']:.0f} MB floor,"
                  f" {r['load_peak_mb']:.0f} MB load ({r['baseline_mb']:.0f} MB after imports);"
                  f" {r['errors']} errors, {r['warnings']} warnings", flush=True)
    if args.markdown:
        print(_markdown(results, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
