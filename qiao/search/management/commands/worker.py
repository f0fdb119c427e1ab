"""`qiao worker`: django-tasks' database worker plus the search sweep.

The sweep (a thread) indexes what the outbox holds, including claims a killed worker left
behind once their lease lapses, and reconciles every collection at start and then every
QIAO_SEARCH_RECONCILE_SECONDS. On SIGTERM both stop after the source in hand: its state is
committed, the rest stays pending for the next worker.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from qiao.search import services
from qiao.search.holder import holder

log = logging.getLogger(__name__)


class SearchAwareWorker(db_worker.Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        services.stop_requested.set()  # a running indexing task stops after its source
        super().shutdown(signum, frame)

    def run(self) -> None:
        """django-tasks-db's loop, kept alive when SQLite stays locked longer than its busy
        timeout (a long import transaction): that error escapes the library's own handling
        and would end the process."""
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not (self.running and is_locked_database_exception(exc)):
                    raise
                log.warning("worker: the database is locked; retrying in %.1fs", self.interval)
                close_old_connections()
                time.sleep(self.interval)


def sweep(stop: threading.Event) -> None:
    # The engines load now (at 100k, ≈ 20 s from a checkpoint), not at the first follow-up
    # amid a stream of publishes; indexing (the main thread's tasks) goes on meanwhile.
    try:
        holder().refresh(wait=True)
    except Exception:  # the loop below retries
        log.exception("search: loading the engines failed")
    finally:
        close_old_connections()
    last_reconcile: float | None = None
    last_checkpoint = time.monotonic()
    while not stop.is_set():
        try:
            services.search_process_pending(stop=stop.is_set)
            if time.monotonic() - last_checkpoint >= settings.QIAO_SEARCH_CHECKPOINT_SECONDS:
                last_checkpoint = time.monotonic()
                services.search_checkpoint(min_changes=settings.QIAO_SEARCH_CHECKPOINT_CHANGES)
            due = settings.QIAO_SEARCH_RECONCILE_SECONDS
            if not stop.is_set() and (
                last_reconcile is None or time.monotonic() - last_reconcile >= due
            ):
                last_reconcile = time.monotonic()
                drift = services.search_reconcile(repair=True, stop=stop.is_set)
                repaired = sum(d.drift for d in drift)
                if repaired:
                    log.warning("search: reconciled %d drifting documents", repaired)
                services.search_purge_tombstones(
                    older_than=timedelta(days=settings.QIAO_SEARCH_TOMBSTONE_DAYS)
                )
        except Exception:  # keep sweeping: the next round retries
            log.exception("search: sweep failed")
        finally:
            close_old_connections()
        stop.wait(settings.QIAO_SEARCH_SWEEP_SECONDS)


class Command(db_worker.Command):
    help = "Run background tasks and keep the search index current (indexing, matching, e-mail)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        worker = SearchAwareWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[q for q in (options["exclude_queues"] or "").split(",") if q],
        )
        services.stop_requested.clear()
        sweeper = threading.Thread(
            target=sweep, args=(services.stop_requested,), name="search-sweep"
        )
        sweeper.start()
        worker.configure_signals()
        try:
            worker.run()
        finally:
            services.stop_requested.set()
            sweeper.join()
