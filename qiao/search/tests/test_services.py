"""qiao.search in one process: the outbox, the stored states, the change log each process
follows, and the reconciler. (Several real processes: test_processes.py.)"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qiao.core.testing.factories import ProfileFactory
from qiao.exchange.models import Match, Profile, ProfileStatus
from qiao.search import services
from qiao.search.collections import base
from qiao.search.holder import Holder, _Chunks, follow, holder, reset
from qiao.search.management.commands.worker import sweep
from qiao.search.models import Checkpoint, Clock, Entry, Pending
from qiao.search.selectors import search_ids, search_text
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db


def _live(collection: str = "profiles") -> set[str]:
    return set(
        Entry.objects.filter(collection=collection, removed=False).values_list("doc_id", flat=True)
    )


def test_a_requested_profile_is_stored_once_and_found() -> None:
    profile = ProfileFactory.create(published=True, language="ru")
    index_now("profiles", [profile.pk])
    entry = Entry.objects.get(collection="profiles", doc_id=str(profile.pk))
    assert entry.seq == Clock.objects.get(pk=1).seq
    assert len(bytes(entry.vector)) == 512 * 2  # float16
    assert not Pending.objects.exists()
    hits = search_text(collection="profiles", query=profile.title)
    assert hits[0].doc_id == str(profile.pk)

    index_now("profiles", [profile.pk])  # nothing changed: nothing written
    assert Entry.objects.get(pk=entry.pk).seq == entry.seq


def test_an_unpublished_profile_leaves_a_tombstone_and_the_engine() -> None:
    profile = ProfileFactory.create(published=True)
    index_now("profiles", [profile.pk])
    assert str(profile.pk) in search_ids(collection="profiles")
    Profile.objects.filter(pk=profile.pk).update(status=ProfileStatus.ARCHIVED)
    index_now("profiles", [profile.pk])
    entry = Entry.objects.get(doc_id=str(profile.pk))
    assert entry.removed and entry.payload in (b"", memoryview(b""))
    assert str(profile.pk) not in search_ids(collection="profiles")


def test_a_state_read_before_the_record_changed_is_not_written() -> None:
    profile = ProfileFactory.create(published=True, language="en")
    collection = base.get("profiles")
    old = collection.documents([str(profile.pk)])[str(profile.pk)]
    analyses = dict(zip([d.id for d in old], holder().analyze(old), strict=True))
    Profile.objects.filter(pk=profile.pk).update(title="A newer title written meanwhile")
    claim = services._Claim(0, "profiles", str(profile.pk), "t")
    assert not services._commit(collection, claim, old, analyses, holder().model)
    assert not Entry.objects.exists()


def test_a_newer_request_survives_the_processing_of_an_older_claim() -> None:
    profile = ProfileFactory.create(published=True)
    services.search_request(collection="profiles", sources=[str(profile.pk)])
    [claim] = services._claim(10, None)
    services.search_request(collection="profiles", sources=[str(profile.pk)])  # a new token
    services._index(base.get("profiles"), [claim], lambda: False)
    assert _live() == {str(profile.pk)}
    pending = Pending.objects.get()
    assert pending.token != claim.token and pending.claimed_until is None


def test_a_claim_is_taken_again_only_once_its_lease_lapsed() -> None:
    profile = ProfileFactory.create(published=True)
    services.search_request(collection="profiles", sources=[str(profile.pk)])
    assert len(services._claim(10, None)) == 1
    assert services._claim(10, None) == []  # leased to the first worker
    Pending.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert services.search_process_pending() == 1  # the worker died: the next one takes it
    assert _live() == {str(profile.pk)}


def test_indexing_comes_before_the_follow_up_of_what_was_already_indexed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = ProfileFactory.create_batch(2, published=True)
    services.search_request(collection="profiles", sources=[str(first.pk)])
    services._index(base.get("profiles"), services._claim(10, None), lambda: False)
    assert _live() == {str(first.pk)}  # searchable; its matches are still to come
    assert Pending.objects.get().indexed
    services.search_request(collection="profiles", sources=[str(second.pk)])
    live_at_follow_up: list[set[str]] = []
    monkeypatch.setattr(
        type(base.get("profiles")),
        "indexed",
        lambda self, sources: live_at_follow_up.append(_live()),
    )
    assert services.search_process_pending() == 1
    assert live_at_follow_up == [{str(first.pk), str(second.pk)}]
    assert not Pending.objects.exists()


def test_what_a_sweep_just_indexed_is_followed_up_without_a_second_claim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    offer = ProfileFactory.create(published=True, kind="offer", language="en")
    request = ProfileFactory.create(published=True, kind="request", language="en")
    services.search_request(collection="profiles", sources=[str(offer.pk), str(request.pk)])
    claimed: list[tuple[bool, int]] = []
    claim = services._claim

    def counted(limit: int, collection: str | None, *, indexed: bool = False) -> list[Any]:
        taken = claim(limit, collection, indexed=indexed)
        claimed.append((indexed, len(taken)))
        return taken

    monkeypatch.setattr(services, "_claim", counted)

    assert services.search_process_pending() == 2
    assert (False, 2) in claimed and (True, 2) not in claimed  # still its own lease
    assert Match.objects.filter(offer=offer, request=request).exists()
    assert not Pending.objects.exists()


def test_a_sweep_stopped_after_indexing_leaves_the_follow_up_free_for_the_next() -> None:
    profile = ProfileFactory.create(published=True)
    services.search_request(collection="profiles", sources=[str(profile.pk)])
    calls = iter([False, True])  # stop once the first batch is indexed

    assert services.search_process_pending(stop=lambda: next(calls, True)) == 1
    pending = Pending.objects.get()
    assert pending.indexed and pending.claimed_until is None
    assert len(services._claim(10, None, indexed=True)) == 1


def test_a_follow_up_a_killed_worker_left_is_run_by_the_next_one() -> None:
    offer = ProfileFactory.create(published=True, kind="offer", language="en")
    request = ProfileFactory.create(published=True, kind="request", language="en")
    services.search_request(collection="profiles", sources=[str(offer.pk), str(request.pk)])
    services._index(base.get("profiles"), services._claim(10, None), lambda: False)
    assert len(services._claim(10, None, indexed=True)) == 2  # then the worker died
    assert services._claim(10, None, indexed=True) == []  # leased
    assert not Match.objects.exists()
    Pending.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert services.search_process_pending() == 0  # nothing to embed again
    assert Match.objects.filter(offer=offer, request=request).exists()
    assert not Pending.objects.exists()


def test_the_reconciler_finds_and_repairs_drift_in_both_directions() -> None:
    kept, gone = ProfileFactory.create_batch(2, published=True)
    index_now("profiles", [kept.pk, gone.pk])
    late = ProfileFactory.create(published=True)  # published without a request
    Profile.objects.filter(pk=gone.pk).update(status=ProfileStatus.ARCHIVED)
    [drift] = services.search_reconcile(collection="profiles")
    assert (drift.expected, drift.indexed, drift.missing, drift.extra) == (2, 2, 1, 1)
    with pytest.raises(CommandError):
        call_command("reindex", "profiles", "--check")
    services.search_reconcile(collection="profiles", repair=True)
    assert _live() == {str(kept.pk), str(late.pk)}
    [drift] = services.search_reconcile(collection="profiles")
    assert drift.drift == 0
    call_command("reindex", "--repair")  # every collection (the factories' organisations)
    call_command("reindex", "--check")  # no drift, no error


def test_force_embeds_every_document_again() -> None:
    profile = ProfileFactory.create(published=True)
    index_now("profiles", [profile.pk])
    before = Entry.objects.get().seq
    call_command("reindex", "profiles", "--force")
    after = Entry.objects.get()
    assert after.seq > before and after.fingerprint


def test_an_unknown_collection_is_an_error_that_names_the_valid_ones() -> None:
    with pytest.raises(CommandError, match="profiles"):
        call_command("reindex", "nonsense")
    with pytest.raises(KeyError, match="careers"):
        services.search_request(collection="nonsense", sources=["1"])


def test_a_process_follows_changes_made_by_another() -> None:
    first = ProfileFactory.create(published=True, language="zh")
    index_now("profiles", [first.pk])
    reader = Holder()  # a second process's, with its own engines
    assert reader.engine("profiles").ids() == [str(first.pk)]
    second = ProfileFactory.create(published=True, language="ru")
    index_now("profiles", [second.pk])
    Profile.objects.filter(pk=first.pk).update(status=ProfileStatus.ARCHIVED)
    index_now("profiles", [first.pk])
    assert reader.engine("profiles").ids() == [str(second.pk)]
    assert reader.seq == Clock.objects.get(pk=1).seq


def test_purged_tombstones_make_a_lagging_process_reload() -> None:
    kept, gone = ProfileFactory.create_batch(2, published=True)
    index_now("profiles", [kept.pk, gone.pk])
    reader = Holder()
    assert len(reader.engine("profiles").ids()) == 2
    Profile.objects.filter(pk=gone.pk).update(status=ProfileStatus.ARCHIVED)
    index_now("profiles", [gone.pk])
    Entry.objects.filter(removed=True).update(updated_at=timezone.now() - timedelta(days=30))
    assert services.search_purge_tombstones(older_than=timedelta(days=7)) == 1
    assert Clock.objects.get(pk=1).purged_through > 0
    # The reader never saw the removal, whose record is gone: it reloads whole.
    assert reader.engine("profiles").ids() == [str(kept.pk)]


def _fresh_reader() -> Holder:
    reader = Holder()
    reader.refresh()
    return reader


@pytest.mark.parametrize("part_bytes", [services.CHUNK_BYTES, 4096])  # one part; many
def test_a_new_process_starts_from_the_checkpoint_and_the_changes_after_it(
    part_bytes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "CHUNK_BYTES", part_bytes)
    profiles = ProfileFactory.create_batch(4, published=True, language="ru")
    index_now("profiles", [p.pk for p in profiles])
    checkpoint = services.search_checkpoint()
    assert checkpoint is not None and checkpoint.seq == Clock.objects.get(pk=1).seq
    assert services.search_checkpoint(min_changes=1) is None  # nothing new since
    late = ProfileFactory.create(published=True, language="zh")
    index_now("profiles", [late.pk])
    Profile.objects.filter(pk=profiles[0].pk).update(status=ProfileStatus.ARCHIVED)
    index_now("profiles", [profiles[0].pk])

    assert checkpoint.parts > (1 if part_bytes == 4096 else 0)
    reader = _fresh_reader()
    assert reader.loaded_from == f"checkpoint @{checkpoint.seq}"
    want = {str(p.pk) for p in [*profiles[1:], late]}
    assert set(reader.engine("profiles").ids()) == want
    Checkpoint.objects.all().delete()
    from_entries = _fresh_reader()
    assert from_entries.loaded_from == "entries"
    query = profiles[1].title
    assert [(m.doc_id, m.score) for m in reader.engine("profiles").search(query)] == [
        (m.doc_id, m.score) for m in from_entries.engine("profiles").search(query)
    ]


def test_an_incomplete_checkpoint_is_passed_over() -> None:
    profile = ProfileFactory.create(published=True)
    index_now("profiles", [profile.pk])
    checkpoint = services.search_checkpoint()
    assert checkpoint is not None
    checkpoint.chunks.filter(collection="profiles").delete()
    reader = _fresh_reader()
    assert reader.loaded_from == "entries"
    assert reader.engine("profiles").ids() == [str(profile.pk)]


def test_a_checkpoint_is_read_one_part_at_a_time() -> None:
    """A restore never holds the whole checkpoint (1 GB at 100k profiles): only the part it
    reads now."""
    parts = [bytes([n]) * 10 for n in range(5)]
    fetched: list[int] = []

    def read(n: int) -> bytes:
        fetched.append(n)
        return parts[n]

    stream = _Chunks([10] * 5, read)
    assert stream.read() == b"".join(parts)
    assert fetched == [0, 1, 2, 3, 4]
    stream.seek(25)
    assert stream.read(10) == parts[2][5:] + parts[3][:5]
    assert fetched[5:] == [2, 3]


def test_tombstones_after_the_newest_checkpoint_are_kept() -> None:
    gone = ProfileFactory.create(published=True)
    index_now("profiles", [gone.pk])
    services.search_checkpoint()
    Profile.objects.filter(pk=gone.pk).update(status=ProfileStatus.ARCHIVED)
    index_now("profiles", [gone.pk])
    Entry.objects.filter(removed=True).update(updated_at=timezone.now() - timedelta(days=30))
    assert services.search_purge_tombstones(older_than=timedelta(days=7)) == 0
    assert _fresh_reader().engine("profiles").ids() == []  # learnt from the tombstone


@pytest.mark.django_db(transaction=True)  # the sweep closes its connection, as a thread does
def test_a_starting_worker_loads_its_engines_before_its_first_sweep() -> None:
    index_now("profiles", [ProfileFactory.create(published=True).pk])
    reset()
    stop = threading.Event()
    stop.set()  # no round: only what the worker does before them
    sweep(stop)
    assert holder().seq == Clock.read()[0] and len(holder().engine("profiles")) == 1
    assert gc.get_freeze_count() > 0  # what it loaded is out of the collector's reach
    reset()
    assert gc.get_freeze_count() == 0


def test_the_first_load_runs_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    index_now("profiles", [ProfileFactory.create(published=True).pk])
    reset()
    seen: list[bool] = []
    _before_each_catch_up(monkeypatch, lambda: seen.append(gc.isenabled()))

    holder().refresh()

    assert seen == [False]  # no full collection walks what the load builds
    assert gc.isenabled() and gc.get_freeze_count() > 0
    reset()


def test_a_loaded_process_runs_blas_on_one_thread() -> None:
    """OpenBLAS's second thread spun after every small product of a search (one_blas_thread)."""
    from threadpoolctl import threadpool_info

    reset()
    holder().refresh()
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
    reset()


def _before_each_catch_up(monkeypatch: pytest.MonkeyPatch, hook: Callable[[], None]) -> None:
    catch_up = Holder._catch_up

    def hooked(self: Holder) -> int:
        hook()
        return catch_up(self)

    monkeypatch.setattr(Holder, "_catch_up", hooked)


@contextmanager
def _follower() -> Iterator[None]:
    """A follow() thread, as a web server runs, for the duration of the block."""
    stop = threading.Event()
    thread = threading.Thread(target=follow, args=(stop, 0.05), name="follower")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.django_db(transaction=True)  # the follower reads through its own connection
def test_while_a_thread_follows_the_changes_requests_do_not_poll(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = ProfileFactory.create(published=True)
    index_now("profiles", [first.pk])
    reset()
    caught_up_in: list[str] = []
    _before_each_catch_up(monkeypatch, lambda: caught_up_in.append(threading.current_thread().name))
    with _follower():
        assert holder().engine("profiles").ids() == [str(first.pk)]  # loaded by either
        caught_up_in.clear()
        # Indexed as by another process's worker: its follow-up is not this process's.
        monkeypatch.setattr(services, "_follow_up", lambda collection, claims: None)
        second = ProfileFactory.create(published=True)
        index_now("profiles", [second.pk])
        deadline = time.monotonic() + 10
        while str(second.pk) not in holder().engine("profiles") and time.monotonic() < deadline:
            time.sleep(0.02)
        assert str(second.pk) in holder().engine("profiles")
    assert set(caught_up_in) == {"follower"}
    caught_up_in.clear()
    holder().engine("profiles")  # no follower any more: the request polls itself
    assert caught_up_in == [threading.current_thread().name]
    reset()


@pytest.mark.django_db(transaction=True)
def test_a_request_during_the_first_load_waits_until_it_has_caught_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The follow thread sets the loaded seq before it applies the changes made since; a
    request meanwhile must wait for them, not answer from the half-loaded engine."""
    first = ProfileFactory.create(published=True)
    index_now("profiles", [first.pk])
    assert services.search_checkpoint() is not None
    second = ProfileFactory.create(published=True)
    index_now("profiles", [second.pk])  # a change after the checkpoint
    reset()
    loading, release = threading.Event(), threading.Event()

    def slow() -> None:
        loading.set()
        release.wait(10)

    _before_each_catch_up(monkeypatch, slow)
    with _follower():
        try:
            assert loading.wait(10)
            assert holder().seq >= 0  # the checkpoint is in, its catch-up not yet
            found: list[list[str]] = []
            request = threading.Thread(
                target=lambda: found.append(holder().engine("profiles").ids())
            )
            request.start()
            request.join(0.3)
            assert request.is_alive() and not found  # waiting
            release.set()
            request.join(10)
            assert sorted(found[0]) == sorted([str(first.pk), str(second.pk)])
        finally:
            release.set()  # the follower must not wait out its 10 s
    reset()
