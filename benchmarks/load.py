"""Load on loopback: many people browsing the plan and scorecard and saving action updates at once.

    python benchmarks/load.py                                   # 20 then 50 users, 5 minutes each, SQLite
    python benchmarks/load.py --database postgres --minutes 1   # PostgreSQL (database oversight_load)
    python benchmarks/load.py --users 20 --seconds 20           # the short form (as tests/ops/test_load_short.py)
    python benchmarks/load.py --markdown                        # a row per run for docs/performance.md
    python benchmarks/load.py --processes 4 --threads 4         # oversight serve --processes 4 (gunicorn)

Each run builds a fresh install (``oversight demo --no-serve``, in a temporary OVERSIGHT_HOME;
for PostgreSQL the database is dropped and created again), starts ``oversight serve`` (waitress,
debug off, as a council laptop runs it) on a free loopback port, and lets N virtual users loose
for the given time (``--processes N`` serves with N gunicorn processes instead). People arrive
over ``--ramp`` seconds (default 10, two a second as locust's spawn rate would), not all in the
same instant. Each user signs in as the demo programme manager, then repeats: the plan,
the scorecard, an action page, the action's edit form, and a save of that form with a new
status and a dated note carrying a unique text. The form posts the ``version`` it was given, so
when two users save the same action at once, one is told "someone else updated this action"
(a *conflict*, counted, not an error) rather than silently overwriting the other.

At the end every action's JSON twin is read back and the notes compared with the saves the
server acknowledged (302 after POST): an acknowledged note missing from the action is a *lost
update*; a note present that was never acknowledged is a *phantom*. Both must be zero. An
error is any other status or a failed connection. Latency is wall time per request on the client
side (keep-alive connection per user); p50/p95 over all requests and per page. The server's CPU
time (all its processes, read from /proc on Linux) per request, from the moment everyone has
signed in to the end, is reported too: on a machine shared with other jobs, wall times queue
behind them, CPU time per request hardly does.
Standard library only (threads and http.client), so nothing extra is installed. Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

PASSWORD = "load-test-password-not-secret"
USERNAME = "demo"  # the demo programme manager (oversight demo creates it)
SLUG = "demo"
PG_URL = "postgres://oversight:oversight-test@127.0.0.1:5432/{name}"
STATUSES = ("in_progress", "ongoing")
STALE_TEXT = "Someone else updated this action"
PAGES = ("plan", "scorecard", "action", "edit form", "save")  # the scenario's pages, in order


# --------------------------------------------------------------------------- the install
def oversight_exe() -> str:
    exe = Path(sys.executable).with_name("oversight")
    return str(exe) if exe.exists() else (shutil.which("oversight") or "oversight")


def prepare(home: Path, database: str, *, skip_data: bool, db_name: str = "oversight_load") -> dict[str, str]:
    """A fresh install with the demo programme and its logins; returns the environment to serve it with."""
    env = {**os.environ, "OVERSIGHT_HOME": str(home), "OVERSIGHT_DEMO_PASSWORD": PASSWORD,
           "OVERSIGHT_ENV": "development", "OVERSIGHT_DEBUG": "0", "OVERSIGHT_WORKER": "external",
           "OVERSIGHT_TOTP_REQUIRED_ROLES": ""}
    env.pop("DATABASE_URL", None)
    if database == "postgres":
        import psycopg

        with psycopg.connect(PG_URL.format(name="postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
            conn.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = PG_URL.format(name=db_name)
    cmd = [oversight_exe(), "demo", "--no-serve", *(["--skip-data"] if skip_data else [])]
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, threads: int = 8, processes: int = 1) -> subprocess.Popen:
    """``oversight serve`` in the background, output to a file (a pipe nobody reads fills and stalls it)."""
    log = Path(env["OVERSIGHT_HOME"]) / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([oversight_exe(), "serve", f"127.0.0.1:{port}", "--threads", str(threads),
                                 "--processes", str(processes)],
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oversight serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("oversight serve did not answer /healthz within 120 s")


def tree_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process and all its descendants, ended ones included (Linux /proc)."""
    proc = Path("/proc")
    if not (proc / str(pid)).exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for d in proc.iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # ppid; utime + stime, and cutime + cstime: what its children that ended used (a gunicorn
        # worker recycled after --max-requests is counted in the master)
        stats[int(d.name)] = (int(fields[1]), sum(int(x) for x in fields[11:15]) / tick)
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, (0, 0.0))[1]
        todo.extend(c for c, (ppid, _) in stats.items() if ppid == p)
    return total


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


# --------------------------------------------------------------------------- one browser
class FormFields(HTMLParser):
    """The named fields of every POST form on a page, with their current values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._in_form = True
            self.forms.append({})
        if not self._in_form:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Browser:
    """A keep-alive connection with cookies: one person's browser."""

    def __init__(self, port: int, timings: dict[str, list[float]], errors: list[str],
                 finished: list[tuple[float, float, str]] | None = None) -> None:
        self.port, self.timings, self.errors = port, timings, errors
        self.finished = finished if finished is not None else []  # (start, seconds, label) per request
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, label: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Host": f"127.0.0.1:{self.port}", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                text = resp.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2 or method == "POST":
                    self.errors.append(f"{method} {path}: {type(exc).__name__}: {exc}")
                    return 0, "", ""
        elapsed = time.perf_counter() - start
        self.timings[label].append(elapsed)
        self.finished.append((time.monotonic() - elapsed, elapsed, label))
        for header in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp.status, resp.headers.get("Location", ""), text

    def get(self, path: str, label: str, expect: int = 200) -> str:
        status, _, text = self.request("GET", path, label)
        if status != expect:
            self.errors.append(f"GET {path}: {status}")
        return text

    def sign_in(self, username: str, password: str) -> bool:
        page = self.get("/accounts/login/", "sign in page")
        fields = _form(page, "username")
        fields.update({"username": username, "password": password})
        status, location, _ = self.request("POST", "/accounts/login/", "sign in", fields)
        if status != 302:
            self.errors.append(f"sign in as {username}: {status}")
            return False
        return True


def _form(html: str, having: str) -> dict[str, str]:
    """The fields of the first POST form on the page with a field named ``having`` (empty if none)."""
    parser = FormFields()
    parser.feed(html)
    return next((f for f in parser.forms if having in f), {})


# --------------------------------------------------------------------------- the scenario
@dataclass
class Results:
    users: int
    seconds: float
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    saved: dict[str, int] = field(default_factory=dict)  # note text → action pk, acknowledged by the server
    conflicts: int = 0
    lost: list[str] = field(default_factory=list)
    phantoms: list[str] = field(default_factory=list)
    server_pid: int | None = None
    signed_in: int = 0
    steady_at: float | None = None  # when the last user had signed in (monotonic)
    steady_cpu: float | None = None  # the server's CPU seconds then
    finished: list[tuple[float, float, str]] = field(default_factory=list)  # (start, seconds, label)
    server_cpu_s: float | None = None  # CPU seconds the server spent from steady_at to the end
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute load average at the start and the end
    lock: threading.Lock = field(default_factory=threading.Lock)
    tag: str = field(default_factory=lambda: f"Load note {random.getrandbits(24):06x}")  # this run's notes

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.timings.values())

    @property
    def steady_requests(self) -> int:
        """Requests after everyone had signed in (the CPU figure leaves out the password hashing)."""
        return len(self.steady())

    def steady(self) -> list[tuple[float, float, str]]:
        return [r for r in self.finished if self.steady_at is not None and r[0] >= self.steady_at]

    def steady_percentile(self, q: float) -> float:
        """Over the pages requested once everyone had signed in (not queued behind password hashing)."""
        values = sorted(d for _, d, label in self.steady() if not label.startswith("sign in"))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000

    def percentile(self, q: float, label: str | None = None) -> float:
        """Over one page, or over the scenario's pages (signing in, once per user, is reported apart)."""
        values = sorted(self.timings[label] if label else
                        [t for k, v in self.timings.items() if not k.startswith("sign in") for t in v])
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000

    def summary(self) -> dict:
        return {
            "users": self.users, "seconds": round(self.seconds, 1), "requests": self.requests,
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else None,
            "p50_ms": round(self.percentile(0.5), 1), "p95_ms": round(self.percentile(0.95), 1),
            "steady_p50_ms": round(self.steady_percentile(0.5), 1),
            "steady_p95_ms": round(self.steady_percentile(0.95), 1), "steady_requests": self.steady_requests,
            "errors": len(self.errors), "saves": len(self.saved), "conflicts": self.conflicts,
            "lost_updates": len(self.lost), "phantom_notes": len(self.phantoms),
            "server_cpu_ms_per_request": (round(self.server_cpu_s * 1000 / self.steady_requests, 1)
                                          if self.server_cpu_s is not None and self.steady_requests else None),
            "load_average": [round(x, 1) for x in self.load_average],
            "pages": {k: {"n": len(v), "p50_ms": round(self.percentile(0.5, k), 1),
                          "p95_ms": round(self.percentile(0.95, k), 1)} for k, v in sorted(self.timings.items())},
            "first_errors": self.errors[:10],
        }


def action_pks(port: int) -> list[int]:
    b = Browser(port, defaultdict(list), [])
    b.sign_in(USERNAME, PASSWORD)
    pattern = rf"/plan/{SLUG}/actions/(\d+)/"
    found = set(map(int, re.findall(pattern, b.get(f"/plan/{SLUG}.json", "setup"))))
    if not found:
        found = set(map(int, re.findall(pattern, b.get(f"/plan/{SLUG}/tracker/", "setup"))))
    return sorted(found)


def virtual_user(number: int, port: int, deadline: float, actions: list[int], results: Results,
                 think: float = 0.0) -> None:
    rng = random.Random(number)

    def pause() -> None:  # a person reads the page before the next click: uniform 0.5–1.5 × think
        if think:
            time.sleep(min(think * (0.5 + rng.random()), max(0.0, deadline - time.monotonic())))

    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    finished: list[tuple[float, float, str]] = []
    b = Browser(port, timings, errors, finished)
    saved: dict[str, int] = {}
    conflicts = 0
    signed_in = b.sign_in(USERNAME, PASSWORD)
    with results.lock:
        results.signed_in += 1
        if results.signed_in == results.users:
            results.steady_at = time.monotonic()
            results.steady_cpu = tree_cpu_seconds(results.server_pid) if results.server_pid else None
    if signed_in:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            b.get(f"/plan/{SLUG}/", "plan")
            pause()
            b.get("/performance/", "scorecard")
            pause()
            pk = rng.choice(actions)
            b.get(f"/plan/{SLUG}/actions/{pk}/", "action")
            pause()
            edit = f"/plan/{SLUG}/actions/{pk}/edit/"
            fields = _form(b.get(edit, "edit form"), "version")
            pause()
            if "version" not in fields:
                errors.append(f"GET {edit}: no version field in the form")
                continue
            text = f"{results.tag} u{number:02d} n{n} {rng.getrandbits(32):08x}"
            fields.update({"status": rng.choice(STATUSES), "note": text,
                           "note_date": dt.date(2020, 1, 1 + rng.randrange(28)).isoformat()})
            status, _, body = b.request("POST", edit, "save", fields)
            if status == 302:
                saved[text] = pk
            elif status == 200 and STALE_TEXT in body:
                conflicts += 1
            else:
                errors.append(f"POST {edit}: {status}")
            pause()
    with results.lock:
        for k, v in timings.items():
            results.timings[k].extend(v)
        results.errors.extend(errors)
        results.saved.update(saved)
        results.conflicts += conflicts
        results.finished.extend(finished)


def check_notes(port: int, actions: list[int], results: Results) -> None:
    """Every acknowledged note is on its action; no load note appears that was not acknowledged."""
    b = Browser(port, defaultdict(list), results.errors)
    b.sign_in(USERNAME, PASSWORD)
    present: dict[str, int] = {}
    for pk in actions:
        data = json.loads(b.get(f"/plan/{SLUG}/actions/{pk}.json", "check") or "{}")
        for note in data.get("notes", []):
            if note["text"].startswith(results.tag):
                present[note["text"]] = pk
    results.lost = [t for t, pk in results.saved.items() if present.get(t) != pk]
    results.phantoms = [t for t in present if t not in results.saved]


def run_scenario(port: int, users: int, seconds: float, think: float = 0.0, ramp: float = 0.0,
                 server_pid: int | None = None) -> Results:
    actions = action_pks(port)
    if not actions:
        raise RuntimeError("no actions found in the demo plan")
    results = Results(users=users, seconds=seconds, server_pid=server_pid)
    load_start = os.getloadavg()[0]
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    threads = [threading.Thread(target=virtual_user, args=(i, port, deadline, actions, results, think),
                                daemon=True)
               for i in range(users)]
    for t in threads:
        t.start()
        time.sleep(max(0.02, ramp / users))  # people arrive over a moment, not in one instant
    for t in threads:
        t.join()
    results.seconds = time.monotonic() - start
    cpu_end = tree_cpu_seconds(server_pid) if server_pid else None
    if results.steady_cpu is not None and cpu_end is not None:
        results.server_cpu_s = cpu_end - results.steady_cpu
    results.load_average = (load_start, os.getloadavg()[0])
    check_notes(port, actions, results)
    return results


def run(database: str, users: int | list[int], seconds: float, *, skip_data: bool, threads: int = 8,
        think: float = 0.0, processes: int = 1, ramp: float = 0.0):
    """Prepare a fresh install, serve it, run the scenario (once per number of users), stop.

    Returns one ``Results``, or a list of them when ``users`` is a list.
    """
    home = Path(tempfile.mkdtemp(prefix="oversight-load-"))
    try:
        env = prepare(home, database, skip_data=skip_data)
        port = free_port()
        server = start_server(env, port, threads, processes)
        try:
            if isinstance(users, int):
                return run_scenario(port, users, seconds, think, ramp, server.pid)
            return [run_scenario(port, n, seconds, think, ramp, server.pid) for n in users]
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], nargs="+", default=["sqlite"])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, help="overrides --minutes")
    parser.add_argument("--threads", type=int, default=8, help="threads per server process (oversight serve --threads)")
    parser.add_argument("--processes", type=int, default=1,
                        help="server processes (oversight serve --processes; 1: waitress, more: gunicorn)")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the users arrive")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a person reads a page before the next (0: back to back, a stress test)")
    parser.add_argument("--skip-data", action="store_true", help="no synthetic Annex A data (faster set-up)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else args.minutes * 60
    print(f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, think {args.think} s, "
          f"load average {os.getloadavg()[0]:.1f} at start", file=sys.stderr, flush=True)
    rows = []
    bad = False
    for database in args.database:
        for users, res in zip(args.users, run(database, list(args.users), seconds, skip_data=args.skip_data,
                                              threads=args.threads, think=args.think,
                                              processes=args.processes, ramp=args.ramp), strict=True):
            s = {"database": database, "processes": args.processes, "threads": args.threads, **res.summary()}
            rows.append(s)
            bad |= bool(s["errors"] or s["lost_updates"] or s["phantom_notes"])
            if args.json:
                print(json.dumps(s))
            elif not args.markdown:
                print(f"{database:8} {users:3} users {s['seconds']:6.0f} s  {s['requests']:6} requests "
                      f"({s['requests_per_s']}/s)  p50 {s['p50_ms']} ms  p95 {s['p95_ms']} ms  "
                      f"errors {s['errors']}  saves {s['saves']}  conflicts {s['conflicts']}  "
                      f"lost {s['lost_updates']}  phantom {s['phantom_notes']}  "
                      f"server CPU {s['server_cpu_ms_per_request']} ms/request  load average {s['load_average']}")
                print(f"    after everyone signed in: {s['steady_requests']} requests  p50 {s['steady_p50_ms']} ms  "
                      f"p95 {s['steady_p95_ms']} ms")
                for page, p in s["pages"].items():
                    print(f"    {page:12} n={p['n']:6}  p50 {p['p50_ms']:7} ms  p95 {p['p95_ms']:7} ms")
                for e in s["first_errors"]:
                    print(f"    error: {e}")
            print(f"# load average {os.getloadavg()[0]:.1f} after {database} × {users}", file=sys.stderr, flush=True)
            sys.stdout.flush()
    if args.markdown:
        print("| database | server | users | time | requests (/s) | p50 | p95 | p50 / p95 once all signed in "
              "| errors | saves | conflicts | lost updates | server CPU / request | load average |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for s in rows:
            server = (f"{s['processes']} × {s['threads']} (gunicorn)" if s["processes"] > 1
                      else f"1 × {s['threads']} (waitress)")
            print(f"| {s['database']} | {server} | {s['users']} | {s['seconds']:.0f} s | {s['requests']} "
                  f"({s['requests_per_s']}) | {s['p50_ms']} ms | {s['p95_ms']} ms | "
                  f"{s['steady_p50_ms']} / {s['steady_p95_ms']} ms | {s['errors']} | {s['saves']} | "
                  f"{s['conflicts']} | {s['lost_updates']} | {s['server_cpu_ms_per_request']} ms | "
                  f"{s['load_average'][0]} → {s['load_average'][1]} |")
        print()
        print("| database | users | " + " | ".join(PAGES) + " |")
        print("|---|---|" + "---|" * len(PAGES))
        for s in rows:
            cells = [f"{s['pages'][p]['p50_ms']} / {s['pages'][p]['p95_ms']}" if p in s["pages"] else "–"
                     for p in PAGES]
            print(f"| {s['database']} | {s['users']} | " + " | ".join(cells) + " |")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
