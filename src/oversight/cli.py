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


#: Commands that never touch the database (or set it up themselves: demo, restore).
DB_FREE = frozenset({
    "help", "version", "check", "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations",
    "optimizemigration", "synth", "diffsettings", "collectstatic", "findstatic", "startapp", "startproject",
    "test", "compilemessages", "makemessages", "sendtestemail", "demo", "restore", "shell", "dbshell",
})
DB_FREE_SUBCOMMANDS = frozenset({("annex_a", "check")})


def _is_embedded_database() -> bool:
    """The default SQLite file in OVERSIGHT_HOME (no DATABASE_URL): private to this install."""
    from django.db import connection

    return "DATABASE_URL" not in os.environ and connection.vendor == "sqlite"


def prepare_database(argv: list[str]) -> str | None:
    """Make sure a command that needs the database has one, **before** it does any work.

    The embedded SQLite database prepares itself: a new user's first ``oversight annex-a load``
    in a fresh folder just works, as ``oversight demo`` already does, and that file belongs to
    this install alone. Any other database (PostgreSQL in production) is migrated only by its
    operator as a deployment step — a command must never change a shared schema behind a
    running server, nor race another process doing so — so the command stops at once and says
    what to run. Returns that message, or None when the command may go ahead.
    """
    name = argv[0]
    args = argv[1:]
    if name in DB_FREE or (name, args[0] if args else "") in DB_FREE_SUBCOMMANDS or {"-h", "--help"} & set(args):
        return None
    from django.core.management import call_command, get_commands
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if name not in get_commands():
        return None  # Django says "Unknown command" itself
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database is the one line shown
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"the database cannot be reached ({reason}); check DATABASE_URL"
    if not pending:
        return None
    if _is_embedded_database():
        where = connection.settings_dict.get("NAME")
        print(f"oversight: setting up the database in {where} ({len(pending)} migrations) …", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)
        return None
    return (f"the database is not set up for this version ({len(pending)} migrations not applied): run "
            f"'oversight migrate' first")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oversight.config.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        argv = ["help"]
    else:
        argv[0] = _command_name(argv[0])
    from django.core.management import execute_from_command_line

    try:
        if argv[0] != "help":
            import django

            django.setup()
            problem = prepare_database(argv)
            if problem:
                print(f"oversight: error: {problem}", file=sys.stderr)
                return 2
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
