"""Writes to the search index: ask for records to be indexed, index what is pending, reconcile.

    search_request(collection="profiles", sources=["17"])   # in the record's own transaction
    search_process_pending()                                 # the worker; also after commit
    search_reconcile(repair=True)                            # periodic; `qiao reindex --check`

Indexing is level-triggered: the pending outbox is written with the change that needs it, a
worker claims it with a lease, computes the documents, and commits each source's state in its
own short transaction that also takes the next seq from the clock. The source is read again
inside that transaction: if it changed meanwhile, the stale state is not written (the change
left a new pending row). The row then waits in a second stage for the collection's `indexed`
hook (matches), which runs only when nothing is waiting to be indexed: under load, search
stays current and matches follow. A killed worker's claims (of either stage) lapse and are
taken again; the reconciler finds any drift between what should be indexed and what is.
"""

from __future__ import annotations

import logging
import operator
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from matching.engine import Analysis
from matching.state import encode, fingerprint
from matching.types import Document
from qiao.search.collections import base
from qiao.search.holder import holder
from qiao.search.models import Checkpoint, CheckpointPart, Clock, Entry, Pending

log = logging.getLogger(__name__)

# Set by the worker on SIGTERM: indexing stops after the source in hand (its state committed).
stop_requested = threading.Event()

EMBED_BATCH = 16  # sources embedded together; each still commits on its own
FOLLOW_UP_BATCH = 16  # sources whose `indexed` hooks run between two looks at the outbox


def search_request(*, collection: str, sources: Iterable[str]) -> None:
    """Ask for these records' documents to be (re)computed: call it in the transaction that
    changes the records, so the request commits with the change. Processing starts after
    commit (the task) or at the worker's next sweep."""
    base.get(collection)
    keys = sorted(set(sources))
    if not keys:
        return
    now = timezone.now()
    Pending.objects.bulk_create(
        [
            Pending(collection=collection, source=key, token=uuid.uuid4().hex, requested_at=now)
            for key in keys
        ],
        update_conflicts=True,
        unique_fields=["collection", "source"],
        update_fields=["token", "requested_at", "claimed_until", "indexed"],
    )
    from qiao.search.tasks import process_pending

    transaction.on_commit(lambda: process_pending.enqueue(), robust=True)


@dataclass(frozen=True)
class _Claim:
    pk: int
    collection: str
    source: str
    token: str


def _claim(limit: int, collection: str | None, *, indexed: bool = False) -> list[_Claim]:
    """Lease up to `limit` due rows of one stage: to index, or (`indexed`) to follow up."""
    now = timezone.now()
    lease = timedelta(seconds=settings.QIAO_SEARCH_LEASE_SECONDS)
    due = Pending.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now), indexed=indexed
    )
    if collection:
        due = due.filter(collection=collection)
    if not due.exists():  # most looks find nothing: a read, without taking the write lock
        return []
    with transaction.atomic():
        rows = list(
            due.select_for_update(skip_locked=True)
            .order_by("requested_at", "pk")
            .values_list("pk", "collection", "source", "token")[:limit]
        )
        Pending.objects.filter(pk__in=[r[0] for r in rows]).update(
            claimed_until=now + lease, attempts=F("attempts") + 1
        )
    return [_Claim(*r) for r in rows]


def search_process_pending(
    *,
    collection: str | None = None,
    stop: Callable[[], bool] | None = None,
) -> int:
    """Index pending sources until none is due (or `stop()`), then run their collections'
    `indexed` hooks; returns how many sources were indexed. Indexing comes first: a source
    waiting to become searchable never waits for another one's matches (at most one
    follow-up batch runs between two looks at the outbox)."""
    should_stop = stop or stop_requested.is_set
    done = 0
    # What this loop just indexed, still leased to it: followed up without claiming it again
    # (four statements a publish) when nothing waits to be indexed; released otherwise.
    held: list[_Claim] = []
    try:
        while not should_stop():
            claims = _claim(EMBED_BATCH, collection)
            if claims:
                _release(held)
                held = []
            for name, group in _by_collection(claims).items():
                if done and should_stop():
                    _release(group)
                    continue
                committed = _index(base.get(name), group, should_stop, keep_lease=True)
                held += committed
                done += len(committed)
            if claims:
                continue
            room = FOLLOW_UP_BATCH - len(held)
            follow_ups = held + (_claim(room, collection, indexed=True) if room > 0 else [])
            held = []
            if not follow_ups:
                break
            for name, group in _by_collection(follow_ups).items():
                _follow_up(base.get(name), group)
    finally:
        _release(held)
    return done


def _by_collection(claims: Sequence[_Claim]) -> dict[str, list[_Claim]]:
    groups: dict[str, list[_Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.collection, []).append(claim)
    return groups


def _index(
    collection: base.Collection,
    claims: Sequence[_Claim],
    stop: Callable[[], bool],
    *,
    keep_lease: bool = False,
) -> list[_Claim]:
    """Embed the claimed sources together, then commit each one on its own; each committed
    source's row moves on to the follow-up stage, free for any worker to take unless
    `keep_lease`. Returns the claims committed."""
    h = holder()
    wanted = collection.documents([c.source for c in claims])
    stored = _stored_fingerprints(collection.name, [c.source for c in claims])
    fresh = [
        d for c in claims for d in wanted[c.source] if stored.get(d.id) != fingerprint(d, h.model)
    ]
    analyses = dict(zip([d.id for d in fresh], h.analyze(fresh), strict=True))
    committed: list[_Claim] = []
    for claim in claims:
        if stop() and committed:
            _release([c for c in claims if c not in committed])  # for the next worker
            break
        documents = wanted[claim.source]
        if _commit(collection, claim, documents, analyses, h.model):
            committed.append(claim)
    if committed:
        # Only the request that was claimed: a newer one (another token) stays to be indexed.
        released = {} if keep_lease else {"claimed_until": None}
        Pending.objects.filter(_exactly(committed)).update(indexed=True, **released)
    return committed


def _follow_up(collection: base.Collection, claims: Sequence[_Claim]) -> None:
    """Run the collection's `indexed` hook for committed sources, with this process's engine
    caught up with them; then their rows are done (unless requested again meanwhile)."""
    holder().refresh(wait=True)
    collection.indexed([c.source for c in claims])
    Pending.objects.filter(_exactly(claims)).delete()


def _release(claims: Sequence[_Claim]) -> None:
    """Give claims back (a stopping worker): the next sweep takes them without waiting for the
    lease to lapse. A claim whose source was requested again meanwhile is already free."""
    if claims:
        Pending.objects.filter(_exactly(claims)).update(claimed_until=None)


def _exactly(claims: Sequence[_Claim]) -> Q:
    """These claims' rows, each only with the token it was claimed with."""
    return reduce(operator.or_, (Q(pk=c.pk, token=c.token) for c in claims))


def _stored_fingerprints(collection: str, sources: Sequence[str]) -> dict[str, str]:
    return dict(
        Entry.objects.filter(collection=collection, source__in=sources, removed=False).values_list(
            "doc_id", "fingerprint"
        )
    )


def _next_seq(count: int) -> int:
    """Reserve `count` seqs; the clock row stays locked until this transaction commits, so
    changes commit in seq order (models.Clock). Returns the first."""
    table = connection.ops.quote_name(Clock._meta.db_table)
    with connection.cursor() as cursor:  # one statement (the ORM's update returns no value)
        for _ in range(2):
            cursor.execute(f"UPDATE {table} SET seq = seq + %s WHERE id = 1 RETURNING seq", [count])
            row = cursor.fetchone()
            if row is not None:
                return int(row[0]) - count + 1
            Clock.objects.get_or_create(pk=1)  # after a `flush`
    raise RuntimeError("search: the clock row is missing")


def _commit(
    collection: base.Collection,
    claim: _Claim,
    documents: list[Document],
    analyses: dict[str, Analysis],
    model: str,
) -> bool:
    """Write one source's documents (and tombstones for those it no longer gives); False when
    the source changed since it was read (its new pending row will index it again)."""
    prints = {d.id: fingerprint(d, model) for d in documents}
    with transaction.atomic():
        _next_seq(0)  # take the clock's lock first: writers queue here, not midway
        now_documents = collection.documents([claim.source])[claim.source]
        if [fingerprint(d, model) for d in now_documents] != list(prints.values()):
            return False
        current = {
            e.doc_id: e
            for e in Entry.objects.filter(collection=collection.name, source=claim.source)
        }

        def stored_as_is(document: Document) -> bool:
            entry = current.get(document.id)
            return bool(entry and not entry.removed and entry.fingerprint == prints[document.id])

        writes: list[tuple[Document | None, str]] = [
            (d, d.id) for d in documents if not stored_as_is(d)
        ]
        writes += [
            (None, doc_id)
            for doc_id, entry in current.items()
            if not entry.removed and doc_id not in prints
        ]
        if not writes:
            return True
        seq = _next_seq(len(writes))
        key = {"collection": collection.name, "source": claim.source}
        rows: list[Entry] = []
        for offset, (written, doc_id) in enumerate(writes):
            state: dict[str, object]
            if written is None:  # a tombstone keeps the fingerprint, model and language
                entry = current[doc_id]
                state = {
                    "removed": True,
                    "fingerprint": entry.fingerprint,
                    "model": entry.model,
                    "language": entry.language,
                }
            else:
                analysis = analyses.get(written.id)
                if analysis is None:  # changed between the batch's read and now: rare
                    analysis = holder().analyze([written])[0]
                state = {
                    "fingerprint": prints[written.id],
                    "model": model,
                    "language": written.language,
                    **encode(written, analysis)._asdict(),
                }
            rows.append(Entry(**key, doc_id=doc_id, seq=seq + offset, **state))
        Entry.objects.bulk_create(  # one statement for the source's documents
            rows,
            update_conflicts=True,
            unique_fields=["collection", "doc_id"],
            update_fields=_ENTRY_UPDATE_FIELDS,
        )
    return True


_ENTRY_UPDATE_FIELDS = [  # all but the key: a tombstone's state is empty
    "source",
    "seq",
    "removed",
    "fingerprint",
    "model",
    "language",
    "vector",
    "payload",
    "passages",
    "passage_vectors",
    "updated_at",
]


@dataclass(frozen=True)
class Drift:
    """What should be indexed against what is, for one collection."""

    collection: str
    expected: int  # documents the records give now
    indexed: int  # documents stored (live entries)
    missing: int  # expected but absent or stored from an older version of the record
    extra: int  # stored but no longer given by any record
    pending: int  # sources waiting in the outbox

    @property
    def drift(self) -> int:
        return self.missing + self.extra


def search_reconcile(
    *,
    collection: str | None = None,
    repair: bool = False,
    everything: bool = False,
    force: bool = False,
    stop: Callable[[], bool] | None = None,
) -> list[Drift]:
    """Compare every collection's records with the stored documents (the report is from
    before any repair). With `repair`, index every drifting source now; `everything` also
    re-runs each unchanged source's `indexed` hook (matches) without embedding it again;
    `force` first marks every stored document outdated, so all are embedded again (e.g.
    after a model change)."""
    repair = repair or everything or force
    model = holder().model
    report: list[Drift] = []
    for name in [collection] if collection else base.names():
        c = base.get(name)
        if force:
            Entry.objects.filter(collection=name).update(fingerprint="")
        stored = {
            doc_id: (source, fp)
            for doc_id, source, fp in Entry.objects.filter(collection=name, removed=False)
            .values_list("doc_id", "source", "fingerprint")
            .iterator(chunk_size=5000)
        }
        indexed = len(stored)
        expected = missing = 0
        drifting: set[str] = set()
        for batch in c.sources():
            if stop is not None and stop():
                return report
            if everything:
                drifting.update(batch)
            for source, documents in c.documents(batch).items():
                for document in documents:
                    expected += 1
                    found = stored.pop(document.id, None)
                    if found is None or found[1] != fingerprint(document, model):
                        missing += 1
                        drifting.add(source)
        drifting.update(source for source, _ in stored.values())
        queued = set(Pending.objects.filter(collection=name).values_list("source", flat=True))
        pending = len(queued)
        report.append(Drift(name, expected, indexed, missing, len(stored), pending))
        # Sources already in the outbox are being indexed (or will be): asking again would
        # take them from the worker that holds them and index them twice.
        if repair and drifting - queued:
            with transaction.atomic():
                search_request(collection=name, sources=drifting - queued)
    if repair:
        search_process_pending(collection=collection)
    return report


def search_purge_tombstones(*, older_than: timedelta) -> int:
    """Delete removal records older than `older_than`; a process that has not seen them yet
    reloads whole (holder). Never one after the newest checkpoint: a process starting from it
    must still learn of that removal. Returns how many were deleted."""
    cutoff = timezone.now() - older_than
    with transaction.atomic():
        _next_seq(0)
        old = Entry.objects.filter(removed=True, updated_at__lt=cutoff)
        newest = Checkpoint.objects.order_by("-seq").values_list("seq", flat=True).first()
        if newest is not None:
            old = old.filter(seq__lte=newest)
        last = old.order_by("-seq").values_list("seq", flat=True).first()
        if last is None:
            return 0
        deleted, _ = old.filter(seq__lte=last).delete()
        Clock.objects.filter(pk=1, purged_through__lt=last).update(purged_through=last)
    return deleted


CHUNK_BYTES = 16 * 2**20  # a checkpoint is stored in parts of this size (PostgreSQL: < 1 GB each)
KEEP_CHECKPOINTS = 2  # the newest, and the one a process may still be reading


def search_checkpoint(*, min_changes: int = 0) -> Checkpoint | None:
    """Write this process's engines as a checkpoint (holder.dump) when at least `min_changes`
    changes came since the newest one; returns it, or None when none was due. Its cost grows
    with the index, not with the changes: the worker writes one now and then
    (QIAO_SEARCH_CHECKPOINT_SECONDS), never per change."""
    h = holder()
    newest = Checkpoint.objects.filter(model=h.model).order_by("-seq").first()
    seq_now, _ = Clock.read()
    if newest is not None and seq_now - newest.seq < max(min_changes, 1):
        return None
    seq, dumps = h.dump()
    parts = [
        (name, number, data[start : start + CHUNK_BYTES])
        for name, data in dumps.items()
        for number, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES))
    ]
    with transaction.atomic():
        checkpoint = Checkpoint.objects.create(seq=seq, model=h.model, parts=len(parts))
        for name, number, data in parts:  # one at a time: each can be large
            CheckpointPart.objects.create(
                checkpoint=checkpoint, collection=name, number=number, data=data
            )
    stale = Checkpoint.objects.order_by("-seq", "-pk").values_list("pk", flat=True)
    Checkpoint.objects.filter(pk__in=list(stale[KEEP_CHECKPOINTS:])).delete()
    log.info("search: checkpoint @%d, %d bytes", seq, sum(len(d) for d in dumps.values()))
    return checkpoint
