"""`qiao backup ARCHIVE`: database, private files and media in one .tar.gz (qiao.core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (with the search index state), private files and media into "
        "one .tar.gz archive; safe while the platform runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the file to write, e.g. qiao.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            manifest = backup_create(archive=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        size = archive.stat().st_size
        self.stdout.write(
            f"{archive}: {manifest['vendor']} database, media and private files, "
            f"{size / 2**20:.1f} MiB"
        )
