"""The one holder of in-memory engines per process, following the database.

On first use it loads every collection's stored states (no embedding), then it tails the
change log: the entries whose `seq` is above the highest it has applied. A request never waits
for another thread's catch-up: it searches the engine as it is and the other thread applies
the changes in small batches, each under the engine's lock for a moment only. `qiao serve`
also runs `follow()` in a thread; while it runs, requests do not poll at all.
"""

from __future__ import annotations

import bisect
import gc
import io
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, NamedTuple, cast

from django.conf import settings
from django.db import close_old_connections
from django.db.models.functions import Length

from matching import Engine, get_embedder
from matching.engine import Analysis
from matching.machine import one_blas_thread, trim_heap
from matching.state import DocumentState, decode
from matching.types import Document
from qiao.search.collections import base
from qiao.search.models import Checkpoint, Clock, Entry

log = logging.getLogger(__name__)

APPLY_BATCH = 256  # entries taken into an engine under one lock


class Holder:
    def __init__(self) -> None:
        self.model = settings.QIAO_EMBEDDING_MODEL
        self.embedder = get_embedder(self.model)
        self._engines: dict[str, Engine] = {}
        self._analyzer: Engine | None = None
        self.loaded_from = ""  # "entries" or "checkpoint @<seq>", once loaded
        self._seq = -1  # highest change applied; -1: nothing loaded yet
        # Set once the first load has caught up: until then a request waits for it (the seq is
        # set half-way, while the changes since the checkpoint are still being applied).
        self._ready = False
        self._polled = 0.0
        self._load_lock = threading.Lock()
        self._follow_lock = threading.Lock()

    @property
    def seq(self) -> int:
        return self._seq

    def analyze(self, documents: Sequence[Document]) -> list[Analysis]:
        """What indexing stores for these documents (embeds them)."""
        if not documents:
            return []
        if self._analyzer is None:
            self._analyzer = Engine(self.embedder)
        return self._analyzer.analyze(documents)

    def engine(self, collection: str) -> Engine:
        """The collection's engine, loaded on first use; then brought up to date here if a
        poll is due, unless a follow() thread does that."""
        base.get(collection)  # an unknown name is an error, not an empty engine
        if not self._ready or not _following.is_set():
            self.refresh()
        return self._engine(collection)

    def _engine(self, collection: str) -> Engine:
        engine = self._engines.get(collection)
        if engine is None:
            engine = self._engines.setdefault(collection, self._new_engine(collection))
        return engine

    def _new_engine(self, collection: str) -> Engine:
        return Engine(
            self.embedder,
            ann_threshold=settings.QIAO_SEARCH_ANN_THRESHOLD,
            details=partial(self._details, collection),
        )

    def refresh(self, *, wait: bool = False) -> None:
        """Load on first use; then apply new changes when the poll interval has passed (or
        `wait`). Without `wait`, a thread that finds another one catching up returns at once."""
        if not self._ready:
            self.load()
            return
        if not wait and time.monotonic() - self._polled < settings.QIAO_SEARCH_POLL_SECONDS:
            return
        if self._follow_lock.acquire(blocking=wait):
            try:
                self._catch_up()
            finally:
                self._follow_lock.release()

    def load(self, *, from_entries: bool = False) -> None:
        """The first load, which `refresh` does on first use: the newest checkpoint (or every
        entry, `from_entries`), then the changes after it. Does nothing once loaded."""
        with self._load_lock, self._follow_lock:
            if not self._ready:
                one_blas_thread()
                with _collector_paused():
                    self._load(from_entries=from_entries)
                    self._catch_up()
                _settle()
                self._ready = True

    def _load(self, *, from_entries: bool = False) -> None:
        """Start from the newest checkpoint, else from the entries; the caller then applies
        the changes after the seq loaded."""
        started = time.perf_counter()
        _, purged = Clock.read()
        restored = None if from_entries else self._restore_checkpoint(purged)
        if restored is not None:
            self._seq, count = restored
            self.loaded_from = f"checkpoint @{self._seq}"
        else:
            count = self._load_entries()
            self.loaded_from = "entries"
        self._polled = time.monotonic()
        Engine.warm_up()
        log.info(
            "search: loaded %d documents from the %s in %.1fs",
            count,
            self.loaded_from,
            time.perf_counter() - started,
        )

    def _restore_checkpoint(self, purged: int) -> tuple[int, int] | None:
        """(its seq, documents) of the newest usable checkpoint, now in the engines; None
        when there is none. One that fails to load is skipped (it is only a cache)."""
        newest = (
            Checkpoint.objects.filter(model=self.model, seq__gte=purged).order_by("-seq").first()
        )
        if newest is None:
            return None
        # Only the parts' sizes now: each part is read when the restore reaches it, so the
        # checkpoint (1 GB at 100k profiles) is never in memory whole.
        parts: dict[str, list[tuple[int, int]]] = {}  # collection -> (number, size) in order
        rows = newest.chunks.order_by("collection", "number").values_list(
            "collection", "number", Length("data")
        )
        for collection, number, size in rows:
            parts.setdefault(collection, []).append((number, size))
        if sum(len(p) for p in parts.values()) != newest.parts:
            log.warning("search: checkpoint @%d is incomplete; loading the entries", newest.seq)
            return None
        engines: dict[str, Engine] = {}
        count = 0
        try:
            for collection, numbered in parts.items():
                engines[collection] = self._new_engine(collection)
                read = partial(_read_part, newest, collection, [n for n, _ in numbered])
                chunks = _Chunks([size for _, size in numbered], read)
                count += engines[collection].restore(io.BufferedReader(chunks, buffer_size=2**20))
        except Exception as exc:  # a cache: whatever is wrong with it, the entries are the truth
            log.warning("search: checkpoint @%d unusable: %s; loading entries", newest.seq, exc)
            return None
        self._engines = engines
        return newest.seq, count

    def _load_entries(self) -> int:
        seq, _ = Clock.read()
        # Every change up to `seq` has committed (writers commit in seq order). Rows that
        # change while this reads are applied again by the catch-up from that seq. The new
        # engines are filled apart and swapped in whole: searches meanwhile use the old ones.
        engines: dict[str, Engine] = {}
        rows = (
            Entry.objects.filter(removed=False, model=self.model)
            .order_by("seq")
            .values_list("collection", "vector", "payload")
            .iterator(chunk_size=2000)
        )
        batches: dict[str, list[tuple[Document, Analysis]]] = {}
        count = 0

        def flush(collection: str) -> int:
            if collection not in engines:
                engines[collection] = self._new_engine(collection)
            done = _put(engines[collection], batches[collection])
            batches[collection] = []
            return done

        for collection, vector, payload in rows:
            batches.setdefault(collection, []).append(self._decode(vector, payload))
            if len(batches[collection]) >= APPLY_BATCH:
                count += flush(collection)
        for collection in list(batches):
            count += flush(collection)
        for engine in engines.values():
            engine.update_neighbourhoods()
        self._engines = engines
        self._seq = seq
        return count

    def dump(self) -> tuple[int, dict[str, bytes]]:
        """(seq, each collection's Engine.dump) of this process's engines, caught up with the
        database and held still while they are written (for a checkpoint)."""
        self.refresh()
        with self._follow_lock:
            self._catch_up()
            dumps = {}
            for name in base.names():
                buffer = io.BytesIO()
                self._engine(name).dump(buffer)
                dumps[name] = buffer.getvalue()
            return self._seq, dumps

    def _catch_up(self) -> int:
        """Apply every change committed since the last one applied; returns how many."""
        self._polled = time.monotonic()
        seq, purged = Clock.read()
        reload = purged > self._seq >= 0  # removals this process never saw were deleted
        if reload:
            log.warning("search: tombstones purged past seq %d; reloading", self._seq)
            with _collector_paused():
                self._load()
        applied = 0
        while self._seq < seq:
            changes = [
                _Change(*row)
                for row in Entry.objects.filter(seq__gt=self._seq, seq__lte=seq)
                .order_by("seq")
                .values_list(*_Change._fields)[:APPLY_BATCH]
            ]
            if not changes:
                break
            self._apply(changes)
            self._seq = changes[-1].seq
            applied += len(changes)
        if applied:
            for engine in self._engines.values():
                engine.update_neighbourhoods()  # here, not in the next search
        self._seq = max(self._seq, seq)
        if reload:
            _settle()
        return applied

    def _apply(self, changes: Iterable[_Change]) -> None:
        """Adds and removals in seq order, in runs of one collection and one kind."""
        run: list[_Change] = []
        for change in changes:
            if run and (change.collection, self._leaves(change)) != (
                run[0].collection,
                self._leaves(run[0]),
            ):
                self._apply_run(run)
                run = []
            run.append(change)
        if run:
            self._apply_run(run)

    def _leaves(self, change: _Change) -> bool:
        """A removal; an entry of another model is not this process's to serve either."""
        return change.removed or change.model != self.model

    def _apply_run(self, run: list[_Change]) -> None:
        engine = self._engine(run[0].collection)
        if self._leaves(run[0]):
            engine.remove([c.doc_id for c in run])
            return
        latest = {c.doc_id: c for c in run}  # the same id twice in a run: the later wins
        _put(engine, [self._decode(c.vector, c.payload) for c in latest.values()])

    def _decode(self, vector: object, payload: object) -> tuple[Document, Analysis]:
        """A stored document without its passages, which an engine does not keep (`_details`
        loads the whole state of the candidates an explanation shows). The database gives
        bytes, or memoryview on PostgreSQL."""
        state = DocumentState(_bytes(vector), _bytes(payload), b"", b"")
        return decode(state, self.embedder.dim, passages=False)

    def _details(self, collection: str, ids: Sequence[str]) -> dict[str, tuple[Document, Analysis]]:
        rows = Entry.objects.filter(collection=collection, doc_id__in=ids, removed=False)
        columns = ("doc_id", "vector", "payload", "passages", "passage_vectors")
        return {
            doc_id: decode(DocumentState(*map(_bytes, state)), self.embedder.dim)
            for doc_id, *state in rows.values_list(*columns)
        }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """For a load: it builds millions of long-lived objects and little garbage, yet every full
    collection meanwhile walked them all (16 of them, 7.5 s of a 40 s load and catch-up at
    100k); `_settle` collects once after it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _settle() -> None:
    """After a load and its catch-up: the engines and what analysis loads are millions of
    long-lived objects; moved out of the collector's reach, a full collection no longer walks
    them all (7 % of a busy worker's time at 100k; a pause of every request thread)."""
    gc.collect()
    gc.freeze()
    trim_heap()  # what the load's peak freed (the decoded checkpoint)


class _Change(NamedTuple):
    """An Entry row as the change log gives it (the fields are the columns read)."""

    seq: int
    collection: str
    doc_id: str
    removed: bool
    model: str
    vector: bytes
    payload: bytes


def _read_part(checkpoint: Checkpoint, collection: str, numbers: list[int], index: int) -> bytes:
    data = checkpoint.chunks.get(collection=collection, number=numbers[index]).data
    return _bytes(data)


class _Chunks(io.RawIOBase):
    """A checkpoint's parts read as one seekable file: `read(i)` gives part i, and only the
    part being read is held (a restore reads a zip nearly in order)."""

    def __init__(self, sizes: list[int], read: Callable[[int], bytes]) -> None:
        self._read = read
        self._starts = list(itertools.accumulate(sizes, initial=0))
        self._size = self._starts[-1]
        self._pos = 0
        self._held: tuple[int, bytes] = (-1, b"")

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self._size:
            part = bisect.bisect_right(self._starts, self._pos) - 1
            if self._held[0] != part:
                self._held = (-1, b"")  # let the previous part go before reading the next
                self._held = (part, self._read(part))
            offset = self._pos - self._starts[part]
            piece = memoryview(self._held[1])[offset : offset + len(view) - done]
            view[done : done + len(piece)] = piece
            done += len(piece)
            self._pos += len(piece)
        return done


def _put(engine: Engine, batch: list[tuple[Document, Analysis]]) -> int:
    if batch:
        documents, analyses = zip(*batch, strict=True)
        engine.put(documents, analyses)
    return len(batch)


def _bytes(value: object) -> bytes:
    return bytes(cast(bytes, value))


_holder: Holder | None = None
_holder_lock = threading.Lock()


def holder() -> Holder:
    global _holder
    with _holder_lock:
        if _holder is None or _holder.model != settings.QIAO_EMBEDDING_MODEL:
            _holder = Holder()
        return _holder


def reset() -> None:
    """Forget this process's engines (tests; or after the database was replaced)."""
    global _holder
    with _holder_lock:
        _holder = None
        gc.unfreeze()  # what _load froze may be garbage now


_following = threading.Event()  # set while a follow() thread keeps the engines current


def follow(stop: threading.Event, interval: float | None = None) -> None:
    """Keep this process's engines current until `stop` is set (a web server's thread);
    meanwhile requests do not poll: a poll and its catch-up in a request thread added a
    query, and at times a batch of changes, to that request."""
    _following.set()
    try:
        while not stop.is_set():
            try:
                holder().refresh(wait=True)
            except Exception:  # a database hiccup must not end the thread
                log.exception("search: catching up failed; retrying")
            finally:
                close_old_connections()
            stop.wait(settings.QIAO_SEARCH_POLL_SECONDS if interval is None else interval)
    finally:
        _following.clear()


def start_following() -> threading.Event:
    stop = threading.Event()
    threading.Thread(target=follow, args=(stop,), name="search-follow", daemon=True).start()
    return stop
