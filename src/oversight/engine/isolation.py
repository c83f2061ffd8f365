"""Run a file parser in a separate process with a memory and a time limit (no Django).

Why: the limits in :mod:`oversight.engine.limits` stop the hostile files we know of, but the
readers are native code (calamine is Rust, lxml is C) and a bug in one ends the process it runs
in: a Rust panic aborts, an allocation failure aborts, a loop never ends. In the web server
that process is the server. So the parse runs in a child process started by multiprocessing's
"forkserver" (a clean single-threaded server process forks each child, so a child never
inherits the web server's threads or locks, and modules named with :func:`preload` are
imported once, not per file). The child gets ``RLIMIT_AS`` and the parent a wall clock;
whatever goes wrong — an exception, MemoryError, an abort, a segfault, being killed, a
timeout — the parent raises :class:`FileUnreadable` with one line, or re-raises the parser's
own exception (a refusal in its own words), and carries on.

The result comes back through a pickle file in a private temporary folder (a big Arrow
result would not fit a pipe without blocking), which is deleted whatever happens. The child's
standard error goes to a file too, so a Rust backtrace never reaches the user's terminal;
its first line is kept as the reason.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import resource
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_PRELOAD: list[str] = ["oversight.engine.limits"]
_EXIT_NAMES: dict[int, str] = {
    int(signal.SIGKILL): "killed", int(signal.SIGSEGV): "crashed (segmentation fault)",
    int(signal.SIGABRT): "stopped (aborted)", int(signal.SIGBUS): "crashed (bus error)",
}


class FileUnreadable(Exception):
    """The parser failed in a way that is not a refusal. ``str()`` is one line for the user."""


def preload(*modules: str) -> None:
    """Modules the forkserver imports once (before its first child) so each child starts warm."""
    for m in modules:
        if m not in _PRELOAD:
            _PRELOAD.append(m)


def _context() -> Any:  # a forkserver (or spawn) context: typeshed's BaseContext has no Process
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(_PRELOAD))
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - not Linux


def _child(fn: Callable[..., Any], args: tuple, kwargs: dict, out: str, err: str, memory_bytes: int) -> None:
    """The child's body: limits, then the call, then the outcome written for the parent."""
    fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ["RUST_BACKTRACE"] = "0"
    if memory_bytes:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome: tuple[str, Any] = ("ok", fn(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except RecursionError:
        outcome = ("error", "it is nested too deeply to read")
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        outcome = ("raise", exc)
    tmp = out + ".part"
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(outcome, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        with open(tmp, "wb") as fh:
            pickle.dump(("memory", None), fh)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle: send its text
        with open(tmp, "wb") as fh:
            text = f"{type(outcome[1]).__name__}: {outcome[1]}" if outcome[0] == "raise" else str(exc)
            pickle.dump(("error", text.splitlines()[0] if text else type(exc).__name__), fh)
    os.replace(tmp, out)
    sys.stderr.flush()


def _first_line(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("stack backtrace", "note:", "thread '")):
            return line[:200]
    return ""


def run_isolated(fn: Callable[..., T], *args: Any, filename: str, memory_mb: int = 4096, timeout_s: float = 600,
                 workdir: Path | str | None = None, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a child process; its result, or its exception re-raised here.

    ``fn`` must be importable by name (a module-level function) and its arguments and result
    picklable. ``filename`` names the file in messages. ``memory_mb`` = 0 means no memory limit.
    Raises :class:`FileUnreadable` when the child runs out of memory, crashes, is killed or
    takes longer than ``timeout_s``.
    """
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = Path(tempfile.mkdtemp(prefix="oversight-worker-", dir=workdir))
    out, err = tmp / "result.pickle", tmp / "stderr.txt"
    memory_bytes = int(memory_mb) * (1 << 20) if memory_mb else 0
    try:
        proc = _context().Process(target=_child, args=(fn, args, kwargs, str(out), str(err), memory_bytes),
                                  name=f"oversight-read-{filename}"[:60], daemon=True)
        proc.start()
        try:
            proc.join(timeout_s)
        finally:
            if proc.is_alive():  # timed out, or this thread was interrupted
                proc.kill()
                proc.join()
                timed_out = True
            else:
                timed_out = False
        if timed_out:
            raise FileUnreadable(f"{filename}: this file could not be read (reading it took longer than "
                                 f"{timeout_s:,.0f} seconds, the limit)")
        if not out.exists():
            code = proc.exitcode or 0
            how = _EXIT_NAMES.get(-code, f"stopped by signal {-code}") if code < 0 else f"exited with status {code}"
            reason = _first_line(err)
            if "memory allocation" in reason or "out of memory" in reason.lower() or "MemoryError" in reason:
                raise FileUnreadable(f"{filename}: this file could not be read (reading it needed more than "
                                     f"{memory_mb:,} MB of memory, the limit)")
            detail = f"the reader {how}" + (f": {reason}" if reason else "")
            raise FileUnreadable(f"{filename}: this file could not be read ({detail})")
        with out.open("rb") as fh:
            kind, value = pickle.load(fh)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if kind == "ok":
        return value
    if kind == "raise":
        raise value
    if kind == "memory":
        raise FileUnreadable(f"{filename}: this file could not be read (reading it needed more than "
                             f"{memory_mb:,} MB of memory, the limit)")
    raise FileUnreadable(f"{filename}: this file could not be read ({value})")


__all__ = ["FileUnreadable", "preload", "run_isolated"]
