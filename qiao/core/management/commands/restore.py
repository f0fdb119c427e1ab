"""`qiao restore ARCHIVE`: restore a `qiao backup` into an empty database and empty folders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `qiao backup` into an empty database and empty media and "
        "private folders (stop the web process and workers first). The search index comes "
        "back with the database: `qiao reindex --check` confirms it."
    )
    # An empty database has no tables for the system checks to look at.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="a file written by `qiao backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(archive=options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"restored the {manifest['vendor']} database of {manifest['created']} and "
            f"{manifest['files']} files; next: `qiao migrate` (if this code is newer), then "
            "`qiao reindex --check`"
        )
