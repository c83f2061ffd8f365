"""``oversight restore FILE``: restore a backup into an empty install (any folder, any database)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.audit import log_command
from oversight.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `oversight backup` into this install (which must be empty)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="Replace everything in this install with the backup.")

    def handle(self, *args, file: Path, force: bool, **options) -> None:
        try:
            manifest = restore_backup(file, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        log_command(f"restored from a backup made {manifest['created'][:19]} on {manifest['database']}"
                    f"{' (replacing everything)' if force else ''}", kind="restore", path=str(file.resolve()),
                    fmt="zip", rows=rows)
        self.stdout.write(f"Restored {file} (made {manifest['created'][:19]} on {manifest['database']}): "
                          f"{rows:,} database rows, {manifest['files']} data files.")
