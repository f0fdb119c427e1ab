from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the sample organisations, users and profiles (idempotent) and build the index."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_demo(progress=options["verbosity"] > 0, log=self.stdout.write)
        self.stdout.write(
            f"Demo data ready: {summary.profiles_indexed} published profiles in the index."
        )
