"""Time the demo board pack: every report in every format (PDF included), and the highlight report alone.

    python benchmarks/board_pack.py               # builds the demo in a scratch OVERSIGHT_HOME, then times
    python benchmarks/board_pack.py --repeat 3    # median of 3 runs of each measurement
    python benchmarks/board_pack.py --markdown    # a table row for docs/performance.md

Targets (issue 8): the full demo board pack under 3 s, the highlight report alone under 1 s.
PDFs are cached by content (``reports.packs.render``); every figure here is cold (cache
emptied first) except the line that says otherwise. The demo is built with
``oversight demo --no-serve`` (plan, status, risks, local measures and the synthetic Annex A
scorecard) as at January 2020. Nothing here asserts a time.

Each line gives the median wall time, the CPU seconds of every process involved (this one and
the pack's worker processes: a fair comparison when other work shares the cores) and the
1-minute load average when the measurement started.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--home", help="Reuse an OVERSIGHT_HOME that already holds the demo")
    args = parser.parse_args()
    home = args.home or tempfile.mkdtemp(prefix="oversight-bench-pack-")
    os.environ["OVERSIGHT_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    if not args.home:
        subprocess.run([str(Path(sys.executable).with_name("oversight")), "demo", "--no-serve"], check=True,
                       env=dict(os.environ), capture_output=True)
    import django

    django.setup()
    import datetime as dt

    from oversight.plans.models import Programme
    from oversight.plans.periods import Period
    from oversight.reports import packs
    from oversight.reports.builders import NAMES, build

    prog = Programme.objects.get(slug="demo")
    period = Period(dt.date(2020, 1, 31))
    build("highlight", prog, period)  # warm imports and template loading once, as a running server has

    import shutil

    from django.conf import settings

    cache = Path(settings.DATA_DIR) / "cache" / "reports"

    def cpu() -> float:
        """CPU seconds of this process and of its finished children (the pack's worker processes)."""
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def timed(fn, cold: bool = True) -> tuple[float, float, float]:
        """Median wall seconds, median CPU seconds (all processes), and the 1-minute load average before."""
        runs, cpus = [], []
        load = os.getloadavg()[0]
        for _ in range(args.repeat):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)  # PDFs are cached by content: time the real work
            c, t = cpu(), time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
            cpus.append(cpu() - c)
        return statistics.median(runs), statistics.median(cpus), load

    rows: list[tuple[str, tuple[float, float, float], str]] = []
    rows.append(("highlight: build (queries + formatting)", timed(lambda: build("highlight", prog, period)), ""))
    rows.append(("highlight: build + HTML", timed(lambda: packs.render(build("highlight", prog, period), "html")),
                 "< 1 s"))
    report = build("highlight", prog, period)
    for fmt in ("docx", "xlsx", "pdf"):
        rows.append((f"highlight: {fmt.upper()} from the built report", timed(lambda f=fmt: packs.render(report, f)),
                     ""))
    rows.append(("highlight: build + all four formats (spread over the cores)",
                 timed(lambda: packs.render_files({"highlight": build("highlight", prog, period)}, packs.FORMATS)),
                 "< 1 s"))
    rows.append(("all five reports: build + HTML",
                 timed(lambda: [packs.render(build(n, prog, period), "html") for n in NAMES]), ""))
    rows.append(("full board pack: 5 reports × 4 formats, zipped",
                 timed(lambda: packs.pack_zip(prog, period)), "< 3 s"))
    packs.pack_zip(prog, period)
    rows.append(("full board pack again, nothing changed (PDFs from the cache)",
                 timed(lambda: packs.pack_zip(prog, period), cold=False), "< 3 s"))
    rows.append(("full board pack without PDF (HTML, DOCX, XLSX)",
                 timed(lambda: packs.pack_zip(prog, period, formats=("html", "docx", "xlsx"))), ""))
    cores = os.cpu_count()
    if args.markdown:
        print(f"| what ({cores} cores) | wall | CPU, all processes | load average before | target |")
        print("|---|---|---|---|---|")
        for what, (wall, secs, load), target in rows:
            print(f"| {what} | {wall:.2f} s | {secs:.2f} s | {load:.1f} | {target} |")
    else:
        print(f"{'what (' + str(cores) + ' cores)':62} {'wall':>8} {'CPU':>8}  load  target")
        for what, (wall, secs, load), target in rows:
            print(f"{what:62} {wall:6.2f} s {secs:6.2f} s  {load:4.1f}  {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
