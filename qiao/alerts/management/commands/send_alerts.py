from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.alerts.models import Frequency
from qiao.alerts.services import alerts_send


class Command(BaseCommand):
    help = (
        "E-mail saved-search alerts of new profiles. Schedule --frequency immediate every few "
        "minutes, daily once a day and weekly once a week."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--frequency", choices=Frequency.values, required=True)
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for the task worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from qiao.alerts.tasks import send_alerts

            result = send_alerts.enqueue(options["frequency"])
            self.stdout.write(f"queued {result.id}")
            return
        sent = alerts_send(frequency=options["frequency"])
        self.stdout.write(f"{sent} alert(s) sent")
