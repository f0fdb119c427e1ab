"""Export technology profiles in the import format (see qiao.exchange.exporting).

python manage.py export_profiles published.xlsx --status published
python manage.py export_profiles harbin.csv --organization harbin-vtc
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qiao.exchange.exporting import export_profiles
from qiao.exchange.importing import FORMATS, ImportFileError, find_organization
from qiao.exchange.models import Profile, ProfileKind, ProfileStatus


class Command(BaseCommand):
    help = "Export technology profiles to a .csv, .xlsx or .jsonl file that import_profiles reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The file to write.")
        parser.add_argument("--status", choices=ProfileStatus.values, help="Default: any status.")
        parser.add_argument("--kind", choices=ProfileKind.values, help="Default: both kinds.")
        parser.add_argument(
            "--organization", help='Only this organisation (its key, or "id:<number>").'
        )
        parser.add_argument(
            "--format", choices=FORMATS, dest="file_format", help="Default: from the extension."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        profiles = Profile.objects.order_by("pk")
        if options["status"]:
            profiles = profiles.filter(status=options["status"])
        if options["kind"]:
            profiles = profiles.filter(kind=options["kind"])
        if options["organization"]:
            organization = find_organization(options["organization"])
            if organization is None:
                raise CommandError(
                    _("Unknown organisation %(key)s.") % {"key": options["organization"]}
                )
            profiles = profiles.filter(organization=organization)
        try:
            count = export_profiles(profiles, options["file"], file_format=options["file_format"])
        except ImportFileError as error:  # unknown extension
            raise CommandError(str(error)) from error
        self.stdout.write(
            ngettext(
                "Exported %(count)d profile to %(path)s.",
                "Exported %(count)d profiles to %(path)s.",
                count,
            )
            % {"count": count, "path": options["file"]}
        )
