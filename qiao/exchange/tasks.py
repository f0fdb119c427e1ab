"""Background work: just another interface onto the same services. (Indexing and matching
run in qiao.search, which calls qiao.exchange.matches.)"""

from __future__ import annotations

from django_tasks import task

from qiao.exchange import services


@task()
def expire_profiles() -> int:
    return services.profiles_expire_due()
