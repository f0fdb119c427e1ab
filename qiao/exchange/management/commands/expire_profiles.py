from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.exchange.services import profiles_expire_due


class Command(BaseCommand):
    help = "Expire published profiles whose validity has ended (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Expired {profiles_expire_due()} profiles")
