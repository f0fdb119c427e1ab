"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.careers import engine, pool, services


@task()
def index_posting(posting_id: int) -> None:
    engine.index_posting(posting_id)


@task()
def rematch_posting(posting_id: int) -> int:
    """A posting was published: index it and re-match the talent pool against it."""
    if not engine.index_posting(posting_id):
        return 0
    return pool.pool_rematch_posting(posting_id=posting_id)


@task()
def index_profile(profile_id: int) -> None:
    engine.index_profile(profile_id)


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
