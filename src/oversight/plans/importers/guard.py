"""Hostile plan files: the limits first, then the reading in a worker process.

``read_plan`` hands every file here before any reader opens it. A file over a limit (a cell at
``XFD1048576``, blank rows to row 1,048,576, a Word ``gridSpan`` of two billion, a zip bomb,
JSON nested 100,000 deep) is refused with one line naming the file and the limit; anything
else is read in a child process with a memory and time limit (``oversight.engine.isolation``),
so a reader that crashes or never ends becomes "this file could not be read" and the
command or the web server carries on. Plans get the tighter plan limits (``Limits.for_plans``):
openpyxl and python-docx hold every cell of the area they read.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from oversight.engine.isolation import FileUnreadable, run_isolated
from oversight.engine.limits import FileRefused, check_file
from oversight.plans.importers.draft import DraftProgramme, PlanImportError

_state = threading.local()


def inside() -> bool:
    """True while ``read_plan`` runs behind the guard (in the worker, or in-process when off)."""
    return getattr(_state, "inside", False)


def read_guarded(path: Path, *, today: dt.date, default_source: str | None, sheet: str | None) -> DraftProgramme:
    from oversight.config.uploads import file_limits, worker_dir

    limits = file_limits().for_plans()
    try:
        check_file(path, limits)
    except FileRefused as exc:
        raise PlanImportError(str(exc)) from None
    if not limits.isolate:
        return read_in_worker(path, today, default_source, sheet)
    try:
        return run_isolated(read_in_worker, path, today, default_source, sheet, filename=path.name,
                            memory_mb=limits.worker_memory_mb, timeout_s=limits.worker_timeout_s,
                            workdir=worker_dir())
    except FileUnreadable as exc:
        raise PlanImportError(str(exc)) from None


def read_in_worker(path: Path, today: dt.date, default_source: str | None, sheet: str | None) -> DraftProgramme:
    """The child's side: Django ready (the readers use the plans app), then the real reading."""
    from oversight.config.worker import ensure_django

    ensure_django()
    from oversight.plans.importers import read_plan

    _state.inside = True
    try:
        return read_plan(path, today=today, default_source=default_source, sheet=sheet)
    finally:
        _state.inside = False
