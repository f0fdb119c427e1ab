from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.deals.services import deals_send_reminders


class Command(BaseCommand):
    help = "E-mail technology managers about deals whose deadline is near or past (run daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the work for the task worker instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from qiao.deals.tasks import send_deal_reminders

            result = send_deal_reminders.enqueue()
            self.stdout.write(f"queued {result.id}")
            return
        sent = deals_send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
