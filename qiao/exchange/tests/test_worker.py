"""The production path for background work: the database queue and its worker process.

Elsewhere tests run tasks immediately; here publishing a profile only queues a task in the
database, and nothing is matched until `db_worker` (what `qiao worker` runs) processes it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from qiao.accounts.models import User
from qiao.core.testing.factories import ProfileFactory
from qiao.exchange import services
from qiao.exchange.models import Match, ProfileKind

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_publishing_queues_indexing_that_the_worker_runs(secretariat: User) -> None:
    with override_settings(TASKS=DB_QUEUE):
        offer = ProfileFactory.create(language="zh", status="submitted")
        request = ProfileFactory.create(
            language="ru",
            kind=ProfileKind.REQUEST,
            status="submitted",
            title="Нужна технология лазерной наплавки для восстановления валов",
            summary="Ремонтный завод ищет технологию восстановления изношенных валов.",
            description="Требуется лазерная наплавка износостойких покрытий на валы насосов.",
        )
        services.profile_publish(actor=secretariat, profile=offer)
        services.profile_publish(actor=secretariat, profile=request)

        assert DBTaskResult.objects.count() == 2  # queued, not run
        assert not Match.objects.exists()

        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    assert Match.objects.filter(offer=offer, request=request).exists()
