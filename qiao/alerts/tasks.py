"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.alerts import services


@task()
def send_alerts(frequency: str) -> int:
    return services.alerts_send(frequency=frequency)
