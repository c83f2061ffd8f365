"""``oversight serve [ADDR:PORT]``: serve the app with a production WSGI server, debug off.

One council laptop uses the same server a deployment does (waitress, static files through
WhiteNoise), so what a board member sees on a laptop is what they would see on a server: no
debug page with settings in it. ``--debug`` (or ``OVERSIGHT_DEBUG=1``) is for developers only
and uses Django's own development server.

``--processes N`` (or ``OVERSIGHT_PROCESSES``) serves with N gunicorn processes on Linux and
macOS, for a server many people use at once (``oversight.ops.serving`` says why).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oversight.ops import serving


def split_addrport(addrport: str) -> tuple[str, int]:
    host, _, port = addrport.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"{addrport!r} is not ADDR:PORT (e.g. 127.0.0.1:8000)")
    return host or "127.0.0.1", int(port)


class Command(BaseCommand):
    help = ("Serve Oversight on ADDR:PORT (default 127.0.0.1:8000) with waitress, or with N gunicorn processes "
            "(--processes N, Linux/macOS); debug only with --debug.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--debug", action="store_true",
                            help="Developers only: Django's development server with debug pages.")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("OVERSIGHT_THREADS", "8")),
                            help="Threads per process (default 8, OVERSIGHT_THREADS).")
        parser.add_argument("--processes", type=int, default=serving.default_processes(),
                            help="Server processes (default 1: waitress; 2 or more: gunicorn, Linux/macOS only; "
                                 "OVERSIGHT_PROCESSES). About two per core for a shared server.")

    def handle(self, *args, addrport: str, debug: bool, threads: int, processes: int, **options) -> None:
        host, port = split_addrport(addrport)
        if processes > 1 and not (debug or settings.DEBUG):
            if serving.gunicorn_available():
                self._serve_processes(host, port, processes, threads)
                return
            self.stdout.write(self.style.WARNING(
                "Several processes need gunicorn (Linux or macOS); serving with one waitress process."))
        # Uploads and indicator runs are background jobs: on one laptop this process runs them in a
        # thread; a deployment runs `oversight db_worker` and sets OVERSIGHT_WORKER=external.
        from oversight.datasets import worker

        if worker.wanted() and worker.start_worker_thread() is not None:
            self.stdout.write("Background jobs run in this process (OVERSIGHT_WORKER=external to run "
                              "`oversight db_worker` separately).")
        if debug or settings.DEBUG:
            self.stdout.write(self.style.WARNING("Debug mode: for development only, never with real data."))
            call_command("runserver", addrport, use_reloader=False)
            return
        call_command("collectstatic", interactive=False, verbosity=0)  # before WhiteNoise looks for the folder
        from waitress import serve

        from oversight.config.wsgi import application

        self.stdout.write(f"Oversight is at http://{host}:{port}/ (press Ctrl+C to stop)")
        serve(application, host=host, port=port, threads=threads, ident="Oversight")

    def _serve_processes(self, host: str, port: int, processes: int, threads: int) -> None:
        from oversight.datasets import worker

        call_command("collectstatic", interactive=False, verbosity=0)
        from oversight.config.wsgi import application

        jobs = worker.wanted() and "DatabaseBackend" in settings.TASKS.get("default", {}).get("BACKEND", "")
        job_process = serving.start_job_worker_process() if jobs else None
        if job_process is not None:
            self.stdout.write("Background jobs run in a child process (OVERSIGHT_WORKER=external to run "
                              "`oversight db_worker` separately).")
        self.stdout.write(f"Oversight is at http://{host}:{port}/ ({processes} processes × {threads} threads; "
                          "press Ctrl+C to stop)")
        self.stdout.flush()
        master = os.getpid()
        try:
            serving.serve_gunicorn(application, serving.gunicorn_options(host, port, processes, threads))
        finally:
            # gunicorn's workers are forked from inside serve_gunicorn and leave through here too:
            # only the master owns the job process.
            if job_process is not None and os.getpid() == master:
                serving.stop_process(job_process)
