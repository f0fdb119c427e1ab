"""Import technology profiles from a CSV, XLSX or JSONL file (see qiao.exchange.importing).

    python manage.py import_profiles profiles.xlsx --user secretariat --publish
    python manage.py import_profiles export.csv --user broker --encoding cp1251 --dry-run

A file with any invalid row is rejected as a whole (every error listed on stderr, exit status
1, nothing written) unless --skip-invalid imports the valid rows and reports the others.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.accounts.models import User
from qiao.exchange.importing import (
    FORMATS,
    ImportFileError,
    ImportRejected,
    RowError,
    format_errors,
    import_profiles,
    validate,
)


class Command(BaseCommand):
    help = "Import technology profiles from a .csv, .xlsx or .jsonl file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to import.")
        parser.add_argument(
            "--user", required=True, help="Username of the person importing (permissions)."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and report the invalid ones (default: reject the file).",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the profiles (reviewers only)."
        )
        parser.add_argument("--sample", action="store_true", help="Mark them as sample data.")
        parser.add_argument("--encoding", help="Text encoding of a CSV/JSONL file, e.g. cp1251.")
        parser.add_argument(
            "--format", choices=FORMATS, dest="file_format", help="Default: from the extension."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file only; write nothing."
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the messages. Default: the --user's preferred language.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["user"]
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        translation.activate(options["language"] or actor.preferred_language)
        # None: a progress bar on a terminal or for large files; never with --verbosity 0.
        progress = None if options["verbosity"] > 0 else False
        common: dict[str, Any] = {
            "actor": actor,
            "encoding": options["encoding"],
            "file_format": options["file_format"],
            "publish": options["publish"],
            "progress": progress,
        }
        try:
            if options["dry_run"]:
                plan = validate(options["file"], **common)
                self._errors(plan.errors)
                if plan.errors and not options["skip_invalid"]:
                    raise ImportRejected(plan.errors)
                self.stdout.write(
                    _("Dry run: %(valid)d of %(total)d rows are valid; nothing was written.")
                    % {"valid": len(plan.rows), "total": plan.total}
                )
                return
            report = import_profiles(
                options["file"],
                skip_invalid=options["skip_invalid"],
                is_sample=options["sample"],
                **common,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            if not options["dry_run"]:
                self._errors(error.errors)
            raise CommandError(str(error)) from error
        self._errors(report.errors)
        if report.published:
            message = _("Imported and published %(created)d profiles; skipped %(skipped)d rows.")
        else:
            message = _("Imported %(created)d draft profiles; skipped %(skipped)d rows.")
        self.stdout.write(message % {"created": len(report.created), "skipped": report.skipped})

    def _errors(self, errors: list[RowError]) -> None:
        for line in format_errors(errors):
            self.stderr.write(line)
