"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.exchange import engine, services
from qiao.exchange.models import Profile, ProfileStatus
from qiao.exchange.signals import profile_indexed


def _announce_if_published(profile_id: int) -> None:
    if Profile.objects.filter(pk=profile_id, status=ProfileStatus.PUBLISHED).exists():
        profile_indexed.send(sender=Profile, profile_id=profile_id)


@task()
def index_profile(profile_id: int) -> None:
    engine.index_profile(profile_id)
    _announce_if_published(profile_id)


@task()
def index_profiles(profile_ids: list[int]) -> None:
    for profile_id in profile_ids:
        engine.index_profile(profile_id)
    for profile_id in profile_ids:
        _announce_if_published(profile_id)


@task()
def expire_profiles() -> int:
    return services.profiles_expire_due()
