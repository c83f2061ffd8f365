"""A job worker inside the web process, for one laptop: ``oversight serve`` (and so ``oversight demo``) start one.

A deployment runs ``oversight db_worker`` as its own service instead (docs/operations.md), and
sets ``OVERSIGHT_WORKER=external`` so the web process does not run jobs itself. The thread runs
the library's own worker loop (django-tasks-db), so what is tested with ``db_worker`` is what runs.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.utils.crypto import get_random_string

log = logging.getLogger(__name__)


def wanted() -> bool:
    """Whether this web process should run jobs itself (not when a separate worker does)."""
    return os.environ.get("OVERSIGHT_WORKER", "thread").lower() not in ("external", "none", "off", "0")


def start_worker_thread(interval: float = 1.0):
    """Start the database queue's worker loop in a daemon thread; returns the worker (``.running = False`` stops it)."""
    from django.conf import settings

    if "DatabaseBackend" not in settings.TASKS.get("default", {}).get("BACKEND", ""):
        return None  # an immediate backend runs jobs inside the request: no worker needed
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["default"], interval=interval, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=f"web-{get_random_string(12)}",
                    excluded_queue_names=[])

    def run() -> None:
        from django.db import OperationalError, connections

        while worker.running:
            try:
                worker.run()
            except OperationalError as exc:  # SQLite busy with the web threads' writes: wait, then carry on
                log.warning("job worker: %s; retrying", exc)
                time.sleep(interval)
            finally:
                connections.close_all()

    threading.Thread(target=run, name="oversight-job-worker", daemon=True).start()
    return worker
