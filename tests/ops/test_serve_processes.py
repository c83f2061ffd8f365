"""``oversight serve --processes N``: several gunicorn processes, background jobs in one child.

A server many people use at once needs more than one Python process (one process runs Python on
one core at a time): ``--processes 2`` must answer pages, run background jobs in exactly one
``oversight db_worker`` child (a job thread in gunicorn's master would hand its database connection
to every forked worker), and leave nothing running when it is stopped. The embedded SQLite file is
set up for many writers: WAL journal and transactions that take the write lock when they start.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oversight.ops import serving

pytestmark = pytest.mark.skipif(not (serving.gunicorn_available() and Path("/proc").exists()),
                                reason="gunicorn processes are for Linux and macOS; /proc to see them")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    """Every descendant of ``pid`` (pid → command line), from /proc."""
    parents: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = {}, [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p:
                try:
                    out[child] = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                except OSError:
                    continue
                todo.append(child)
    return out


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "OVERSIGHT_HOME": str(home), "OVERSIGHT_DEBUG": "0"}
    for name in ("DATABASE_URL", "OVERSIGHT_WORKER", "OVERSIGHT_PROCESSES"):
        env.pop(name, None)
    return env


def test_two_processes_answer_pages_run_jobs_in_one_child_and_stop_together(tmp_path):
    port = _free_port()
    exe = Path(sys.executable).with_name("oversight")
    server = subprocess.Popen([str(exe), "serve", f"127.0.0.1:{port}", "--processes", "2", "--threads", "2"],
                              env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                status = conn.getresponse().status
                if status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, server.stdout.read().decode(errors="replace") if server.poll() is not None else status
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/accounts/login/")
        assert conn.getresponse().status == 200
        # gunicorn starts its processes one after another: the first may answer before the second is up.
        deadline = time.monotonic() + 60
        while True:
            children = _children(server.pid)
            job_workers = [c for c in children.values() if "db_worker" in c]
            web_workers = [c for c in children.values() if "db_worker" not in c and " serve " in c]
            if len(web_workers) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert len(job_workers) == 1, children
        assert len(web_workers) == 2, children
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    time.sleep(0.5)
    assert _children(server.pid) == {}
    output = server.stdout.read().decode(errors="replace")
    assert "2 processes × 2 threads" in output
    assert "Traceback" not in output


def test_the_embedded_database_takes_many_readers_and_queues_its_writers(tmp_path):
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'oversight.config.settings'; django.setup()\n"
            "from django.db import connection\n"
            "c = connection.cursor()\n"
            "print(c.execute('PRAGMA journal_mode').fetchone()[0], connection.transaction_mode,\n"
            "      c.execute('PRAGMA busy_timeout').fetchone()[0], c.execute('PRAGMA synchronous').fetchone()[0])")
    out = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["wal", "IMMEDIATE", "20000", "2"]  # synchronous 2 = FULL: a save survives a power cut
