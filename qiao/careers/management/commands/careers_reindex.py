"""Rebuild the careers index (published postings and talent profiles), e.g. after a model change."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.careers import engine


class Command(BaseCommand):
    help = "Re-embed every published posting and every talent profile into a fresh careers index."

    def handle(self, *args: Any, **options: Any) -> None:
        count = engine.rebuild_index()
        self.stdout.write(f"{count} postings and talent profiles indexed")
