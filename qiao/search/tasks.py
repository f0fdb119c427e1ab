"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.search import services


@task()
def process_pending() -> int:
    """Index what the outbox holds (enqueued after each request commits)."""
    return services.search_process_pending()
