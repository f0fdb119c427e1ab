"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.deals import services


@task()
def send_deal_reminders() -> int:
    return services.deals_send_reminders()
