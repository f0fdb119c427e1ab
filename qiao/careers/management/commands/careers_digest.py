"""Daily careers housekeeping: expire postings past their closing date, send pool digests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.careers import pool, services


class Command(BaseCommand):
    help = (
        "Expire postings past their closing date and send the talent-pool digest e-mails "
        "(run daily). With --enqueue the work is queued for the task worker."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from qiao.careers.tasks import daily_housekeeping

            result = daily_housekeeping.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        expired = services.postings_expire_due()
        sent = pool.pool_send_digests()
        self.stdout.write(f"{expired} postings expired, {sent} digest e-mails sent")
