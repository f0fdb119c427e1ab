from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.core.languages import ContentLanguage
from qiao.exchange.models import ProfileKind
from qiao.exchange.selectors import ProfileFilters, profile_search


class Command(BaseCommand):
    help = "Search published profiles in any language, as an anonymous visitor would."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="Text in Chinese, Russian or English.")
        parser.add_argument("-k", type=int, default=10, help="Number of results (default 10).")
        parser.add_argument("--kind", choices=ProfileKind.values, default="")
        parser.add_argument("--language", choices=ContentLanguage.values, default="")
        parser.add_argument("--country", default="", help="Organisation country code, e.g. RU.")
        parser.add_argument("--sector", default="", help="Sector code, e.g. agrifood.soybean.")
        parser.add_argument("--json", action="store_true", help="One JSON object per line.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["k"] <= 100:
            raise CommandError("-k must be between 1 and 100")
        filters = ProfileFilters(
            kind=options["kind"],
            language=options["language"],
            country=options["country"].upper(),
            sector=options["sector"],
        )
        results = profile_search(
            user=AnonymousUser(), query=options["query"], filters=filters, k=options["k"]
        )
        for rank, item in enumerate(results.items, start=1):
            profile = item.profile
            if options["json"]:
                record = {
                    "rank": rank,
                    "id": profile.pk,
                    "score": round(item.score, 4),
                    "kind": profile.kind,
                    "language": profile.language,
                    "title": profile.title,
                    "organization": profile.organization.display_name("en"),
                    "explanation": item.explanation,
                }
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{rank:>2}. {item.score:6.3f}  {profile.kind:<7} {profile.language}  "
                    f"#{profile.pk} {profile.title}"
                )
        if not results.items and not options["json"]:
            self.stdout.write("No published profile matches.")
