"""The worker survives a database that stays locked longer than SQLite's busy timeout."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from qiao.search.management.commands.worker import SearchAwareWorker

pytestmark = pytest.mark.django_db  # the retry closes stale connections


def _worker() -> SearchAwareWorker:
    return SearchAwareWorker(
        queue_names=["default"],
        interval=0.0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def test_a_locked_database_does_not_end_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def run(self: db_worker.Worker) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    _worker().run()
    assert len(calls) == 2


def test_any_other_database_error_still_ends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def run(self: db_worker.Worker) -> None:
        raise OperationalError("no such table: search_entry")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    with pytest.raises(OperationalError):
        _worker().run()
