"""Test support: index records now, in the test's own transaction (on_commit never fires in a
rolled-back test, and the task backend would otherwise run after it)."""

from __future__ import annotations

from collections.abc import Iterable

from qiao.search.services import search_process_pending, search_reconcile, search_request


def index_now(collection: str, sources: Iterable[object]) -> None:
    """Request these sources and index them at once."""
    search_request(collection=collection, sources=[str(s) for s in sources])
    search_process_pending(collection=collection)


def index_everything() -> None:
    """Whatever drifts in any collection (e.g. rows made by factories, not services)."""
    search_reconcile(repair=True)
