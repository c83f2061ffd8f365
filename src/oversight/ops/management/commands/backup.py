"""``oversight backup FILE``: the whole install (database and data folder) in one zip."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from oversight.accounts.audit import log_command
from oversight.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Write a backup of everything (database and stored datasets and packs) to FILE."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        if file.is_dir():
            raise CommandError(f"{file} is a folder; give a file name, e.g. {file / 'oversight-backup.zip'}")
        try:
            manifest = write_backup(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        log_command(f"backup of the whole install ({rows:,} database rows, {manifest['files']} data files)",
                    path=str(file.resolve()), fmt="zip", rows=rows)
        self.stdout.write(f"Backup written to {file}: {rows:,} database rows, {manifest['files']} data files.")
