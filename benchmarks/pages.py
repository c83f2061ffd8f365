"""Time the most visited pages and their builders: programme overview, tracker, scorecard, and their JSON twins.

    python benchmarks/pages.py                       # builds the demo in a scratch OVERSIGHT_HOME, then times
    python benchmarks/pages.py --home /path/to/home  # reuse a home that already holds the demo
    python benchmarks/pages.py --repeat 50           # more requests per page (median and p95)

Each page is requested through Django's test client signed in as the demo programme manager
(middleware, sessions and permissions included; no HTTP server), after one warm-up request.
Printed per page: database queries per request, median and p95 wall time, and median CPU time
(``time.process_time``: steadier than wall time on a busy machine). The builders alone
(``plans.readmodel.overview`` / ``tracker_report``, ``performance.document.build``) are timed the
same way. Target (issue 8 / load): the programme overview under ~25 ms. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = ["/plan/demo/", "/plan/demo.json", "/plan/demo/tracker/", "/plan/demo/tracker.json",
         "/performance/?programme=demo", "/performance/scorecard.json?programme=demo"]


def timed(fn, repeat: int) -> tuple[float, float, float]:
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    return statistics.median(wall), wall[min(len(wall) - 1, int(len(wall) * 0.95))], statistics.median(cpu)


def queries(fn) -> int:
    from django.db import connection

    n = [0]

    def count(execute, sql, params, many, context):
        n[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    return n[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--home", help="Reuse an OVERSIGHT_HOME that already holds the demo")
    args = parser.parse_args()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="oversight-pages-"))
    os.environ["OVERSIGHT_HOME"] = str(home)
    os.environ.setdefault("OVERSIGHT_WORKER", "external")
    os.environ.setdefault("OVERSIGHT_TOTP_REQUIRED_ROLES", "")
    os.environ.pop("DATABASE_URL", None)
    if not args.home:
        exe = Path(sys.executable).with_name("oversight")
        subprocess.run([str(exe), "demo", "--no-serve"], check=True, stdout=subprocess.DEVNULL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from oversight.performance import document
    from oversight.plans import readmodel
    from oversight.plans.models import Programme
    from oversight.plans.periods import current_period

    client = Client()
    client.force_login(get_user_model().objects.get(username="demo"))
    print(f"{'what':45s} {'queries':>7s} {'median ms':>10s} {'p95 ms':>8s} {'cpu ms':>7s}")
    for url in PAGES:
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        get()
        n = queries(get)
        median, p95, cpu = timed(get, args.repeat)
        print(f"{url:45s} {n:7d} {median:10.1f} {p95:8.1f} {cpu:7.1f}")
    prog = Programme.objects.get(slug="demo")
    period = current_period(prog)
    for name, fn in [("builder plans.readmodel.overview", lambda: readmodel.overview(prog, period)),
                     ("builder plans.readmodel.tracker_report", lambda: readmodel.tracker_report(prog, period)),
                     ("builder performance.document.build", lambda: document.build(prog, period))]:
        fn()
        n = queries(fn)
        median, p95, cpu = timed(fn, args.repeat)
        print(f"{name:45s} {n:7d} {median:10.1f} {p95:8.1f} {cpu:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
