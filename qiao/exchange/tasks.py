"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.exchange import engine, services


@task()
def index_profile(profile_id: int) -> None:
    engine.index_profile(profile_id)


@task()
def index_profiles(profile_ids: list[int]) -> None:
    for profile_id in profile_ids:
        engine.index_profile(profile_id)


@task()
def expire_profiles() -> int:
    return services.profiles_expire_due()
