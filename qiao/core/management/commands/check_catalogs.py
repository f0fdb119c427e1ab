"""Fail when the translation catalogs drift from the source (run by `./dev.sh test`).

Fails (exit status 1, every problem listed) when a string marked for translation is missing
from a catalog, an entry is untranslated, fuzzy, has broken placeholders or is no longer in
the source, or a compiled .mo file is missing or out of date. Fix with `update_catalogs`,
then translate what it reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.core.management.catalogs import LOCALES, check_catalogs


class Command(BaseCommand):
    help = "Check that locale/ catalogs are complete, translated and compiled."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--locale",
            "-l",
            action="append",
            dest="locales",
            help=f"Locale to check (repeatable). Default: {', '.join(LOCALES)}.",
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

        problems = check_catalogs(source_dir=source_dir, locale_dir=locale_dir, locales=locales)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(problems)} translation catalog problem(s). Run "
                "`python manage.py update_catalogs`, translate what it reports, and commit "
                "the .po and .mo files."
            )
        if options["verbosity"] > 0:
            self.stdout.write(f"Translation catalogs OK: {', '.join(locales)} in {locale_dir}")
