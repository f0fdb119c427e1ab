"""Background work: just another interface onto the same services. (Indexing runs in
qiao.search, which re-matches the talent pool against each published posting it indexes.)"""

from __future__ import annotations

from django_tasks import task

from qiao.careers import pool, services


@task()
def send_digests() -> int:
    return pool.pool_send_digests()


@task()
def expire_postings() -> int:
    return services.postings_expire_due()


@task()
def daily_housekeeping() -> dict[str, int]:
    """The daily run (manage.py careers_digest --enqueue): expire first, so a posting that
    closed yesterday is not in today's digest."""
    expired = services.postings_expire_due()
    return {"expired": expired, "digests": pool.pool_send_digests()}
