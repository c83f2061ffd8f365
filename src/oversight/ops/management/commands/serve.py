"""``oversight serve [ADDR:PORT]``: serve the app with a production WSGI server, debug off.

One council laptop uses the same server a deployment does (waitress, static files through
WhiteNoise), so what a board member sees on a laptop is what they would see on a server: no
debug page with settings in it. ``--debug`` (or ``OVERSIGHT_DEBUG=1``) is for developers only
and uses Django's own development server.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def split_addrport(addrport: str) -> tuple[str, int]:
    host, _, port = addrport.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"{addrport!r} is not ADDR:PORT (e.g. 127.0.0.1:8000)")
    return host or "127.0.0.1", int(port)


class Command(BaseCommand):
    help = "Serve Oversight on ADDR:PORT (default 127.0.0.1:8000) with waitress; debug only with --debug."

    def add_arguments(self, parser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--debug", action="store_true",
                            help="Developers only: Django's development server with debug pages.")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("OVERSIGHT_THREADS", "8")))

    def handle(self, *args, addrport: str, debug: bool, threads: int, **options) -> None:
        host, port = split_addrport(addrport)
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
