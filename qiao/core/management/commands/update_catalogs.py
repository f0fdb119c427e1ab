"""Developer convenience: refresh locale/ from the source and recompile.

Runs makemessages for zh_Hans, ru and en (--no-obsolete, file-only locations so line moves do
not churn the diff), fills English msgstr from msgid, gives plural entries exactly the forms
the language needs, then compiles every .mo. Commit the .po *and* .mo files afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from qiao.core.management.catalogs import LOCALES, update_catalogs


class Command(BaseCommand):
    help = "Run makemessages for zh_Hans, ru and en, fill English, then compile the catalogs."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale",
            "-l",
            action="append",
            dest="locales",
            help=f"Locale to update (repeatable). Default: {', '.join(LOCALES)}.",
        )
        parser.add_argument(
            "--locale-dir", type=Path, help="Default: the first of settings.LOCALE_PATHS."
        )
        parser.add_argument(
            "--source-dir", type=Path, help="Tree to extract strings from. Default: BASE_DIR."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        locales: list[str] = options["locales"] or list(LOCALES)
        locale_dir: Path = options["locale_dir"] or Path(settings.LOCALE_PATHS[0])
        source_dir: Path = options["source_dir"] or Path(settings.BASE_DIR)
        for line in update_catalogs(source_dir=source_dir, locale_dir=locale_dir, locales=locales):
            self.stdout.write(line)
