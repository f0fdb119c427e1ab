"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.alerts import services


@task()
def send_alerts(frequency: str) -> int:
    return services.alerts_send(frequency=frequency)


@task()
def send_immediate_alerts(profile_id: int) -> int:
    return services.alerts_send_for_profile(profile_id=profile_id)
