"""Daily careers housekeeping: expire postings past their closing date, send pool digests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from qiao.careers import pool, services


class Command(BaseCommand):
    help = "Expire postings past their closing date and send the talent-pool digest e-mails."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.postings_expire_due()
        sent = pool.pool_send_digests()
        self.stdout.write(f"{expired} postings expired, {sent} digest e-mails sent")
