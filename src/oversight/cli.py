"""The ``oversight`` console command.

Every sub-command is a Django management command: ``oversight annex-a check FILE`` runs the
``annex_a`` command, ``oversight migrate`` runs ``migrate``. Keeping one mechanism means the
same code path is used by officers at the command line, by the tests and by the docs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys


def as_at_date(text: str) -> dt.date:
    """The argparse type of every ``--as-at``: ISO (2020-01-31) or the officers' 31/01/2020."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"{text!r} is not a date (expected YYYY-MM-DD)")


def _command_name(word: str) -> str:
    """Console words use hyphens (``annex-a``); Django command modules cannot."""
    return word.replace("-", "_")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        argv = ["help"]
    else:
        argv[0] = _command_name(argv[0])
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["oversight", *argv])
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # argparse and CommandError exit this way with their own code
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # noqa: BLE001 - a user gets one clear line, never a traceback
        if os.environ.get("OVERSIGHT_TRACEBACK") == "1":
            raise
        print(f"oversight: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("(set OVERSIGHT_TRACEBACK=1 to see the full traceback)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
