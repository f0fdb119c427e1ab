from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from qiao.exchange.engine import rebuild_index


class Command(BaseCommand):
    help = "Re-embed every published profile into a fresh index and recompute all matches."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild_index(progress=options["verbosity"] > 0)
        self.stdout.write(
            f"Indexed {count} published profiles in {time.perf_counter() - started:.1f}s"
        )
