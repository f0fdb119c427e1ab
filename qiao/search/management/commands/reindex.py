"""`qiao reindex`: bring every search collection (or one) in line with the database."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.search import services
from qiao.search.collections import base


class Command(BaseCommand):
    help = (
        "Index every record that should be searchable and re-run its matching (nothing is "
        "embedded again unless it changed, or with --force). --check only reports drift."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("collection", nargs="?", help=f"one of: {', '.join(base.names())}")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--check",
            action="store_true",
            help="print, per collection, what should be indexed, what is, and the drift; "
            "exit 1 on any drift",
        )
        mode.add_argument(
            "--repair", action="store_true", help="index only what drifts (what the worker does)"
        )
        mode.add_argument(
            "--force", action="store_true", help="embed every document again (a model change)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["collection"]
        if name:
            try:
                base.get(name)
            except KeyError as exc:
                raise CommandError(str(exc.args[0])) from None
        started = time.perf_counter()
        report = services.search_reconcile(
            collection=name,
            repair=options["repair"],
            everything=not (options["check"] or options["repair"]),
            force=options["force"],
        )
        width = max(len(d.collection) for d in report)
        self.stdout.write(
            f"{'collection':<{width}}  expected  indexed  missing  extra  pending  drift"
        )
        for d in report:
            self.stdout.write(
                f"{d.collection:<{width}}  {d.expected:>8}  {d.indexed:>7}  {d.missing:>7}  "
                f"{d.extra:>5}  {d.pending:>7}  {d.drift:>5}"
            )
        drift = sum(d.drift for d in report)
        if options["check"]:
            if drift:
                raise CommandError(f"{drift} documents drift; `qiao reindex --repair` fixes it")
            self.stdout.write("no drift")
            return
        services.search_checkpoint(min_changes=1)  # new processes start from it
        self.stdout.write(
            f"done in {time.perf_counter() - started:.1f}s"
            + (f" ({drift} drifting documents were repaired)" if drift else "")
        )
