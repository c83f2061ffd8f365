"""How ``oversight serve`` runs the app: one waitress process, or several gunicorn processes.

One Python process runs Python on one core at a time (the GIL), however many threads it has: a
single waitress process tops out at about one core's worth of pages (~25 a second here), and
when 20 people click at once their requests queue behind each other. Several processes use every
core. waitress stays the default because it runs everywhere (Windows laptops included);
``--processes N`` (or ``OVERSIGHT_PROCESSES``) runs N gunicorn processes with ``--threads``
threads each, on Linux and macOS, for a shared server (docs/operations.md, docs/performance.md
"Load").

Background jobs (uploads, indicator runs) still run without a separate service: with one process
they run in a thread of it (``datasets.worker``); with several, in one ``oversight db_worker``
child process started and stopped with the server — not in a thread of gunicorn's master, whose
forked children would inherit that thread's open database connection.
"""

from __future__ import annotations

import os
import subprocess
import sys


def gunicorn_available() -> bool:
    if os.name != "posix":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def default_processes() -> int:
    return max(1, int(os.environ.get("OVERSIGHT_PROCESSES", "1") or "1"))


def gunicorn_options(host: str, port: int, processes: int, threads: int) -> dict:
    """gunicorn settings: gthread workers (keep-alive, a few threads each), no control socket."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": processes,
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
        # A slow upload of a large workbook must not be killed as a hung worker (the upload limit
        # is 100 MB by default); a page never takes this long.
        "timeout": 300,
        "graceful_timeout": 30,
        "proc_name": "oversight",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # No unix control socket in the user's home (gunicorn >= 25 opens one by default): nothing
        # here manages the server at run time, and an unused socket is one more door.
        "control_socket_disable": True,
        # Recycle a process now and then, so memory held after a large export is given back.
        "max_requests": 5000,
        "max_requests_jitter": 500,
    }


def serve_gunicorn(application, options: dict) -> None:
    """Run gunicorn in this process (its master forks the workers; this returns when it stops)."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def load_config(self) -> None:
            known = self.cfg.settings
            for key, value in options.items():
                if key in known:
                    self.cfg.set(key, value)

        def load(self):
            return application

    # The master forks the workers: it must hold no open database connection they would share
    # (checking migrations at start-up opened one).
    connections.close_all()
    _App().run()


def start_job_worker_process(env: dict | None = None) -> subprocess.Popen:
    """``oversight db_worker`` as a child process (see the module docstring for why not a thread)."""
    code = "import sys; from oversight.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.Popen([sys.executable, "-c", code, "db_worker", "--no-startup-delay", "-v", "0"],
                            env=env or os.environ.copy())


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
