"""The search index's truth, kept in the database (docs/decisions/0008-search-state-in-db.md).

- `Entry`: one indexed document's state (vectors as float16, the analysis' text parts), written
  by the indexer in the same transaction that takes the next `seq` from `Clock`. A removal keeps
  the row as a tombstone with a new seq, so every process learns of it.
- `Clock`: one row; its `seq` is the highest committed change. Writers take the next value with
  an UPDATE, which holds the row lock until commit, so changes commit in seq order and a reader
  that saw seq N has seen every change up to N.
- `Pending`: the outbox of records whose documents must be (re)computed, written in the same
  transaction as the record's change. A worker claims rows with a lease; a killed worker's
  rows are claimed again once the lease runs out.
"""

from __future__ import annotations

from django.db import models


class Entry(models.Model):
    collection = models.CharField(max_length=40)
    doc_id = models.CharField(max_length=200)
    # The record the document was made from ("17", "posting:5", "case:3"); one record may give
    # several documents (a case's language versions).
    source = models.CharField(max_length=200)
    seq = models.BigIntegerField(unique=True)
    removed = models.BooleanField(default=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    model = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=5, blank=True)
    # matching.state.DocumentState; the passages only explanations read, so processes load
    # them per candidate instead of keeping them in memory.
    vector = models.BinaryField(default=b"")
    payload = models.BinaryField(default=b"")
    passages = models.BinaryField(default=b"")
    passage_vectors = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "doc_id"], name="search_entry_doc")
        ]
        indexes = [models.Index(fields=["collection", "source"], name="search_entry_source")]

    def __str__(self) -> str:
        return f"{self.collection}/{self.doc_id}@{self.seq}"


class Clock(models.Model):
    seq = models.BigIntegerField(default=0)
    # Tombstones up to this seq were deleted: a process that has seen less must reload whole.
    purged_through = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"seq {self.seq}"

    @classmethod
    def read(cls) -> tuple[int, int]:
        """(seq, purged_through); (0, 0) before the first change (and in a database emptied
        by `flush`, which also removes the row the migration made)."""
        row = cls.objects.filter(pk=1).values_list("seq", "purged_through").first()
        return (int(row[0]), int(row[1])) if row else (0, 0)


class Pending(models.Model):
    collection = models.CharField(max_length=40)
    source = models.CharField(max_length=200)
    # A new value at every request: a worker that claimed an older one leaves the row in place.
    token = models.CharField(max_length=32)
    requested_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # The documents are committed (searchable); the collection's `indexed` hook (matches) is
    # still to run. A second stage, so that a busy worker keeps search current first.
    indexed = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "source"], name="search_pending_source")
        ]
        indexes = [
            models.Index(
                fields=["indexed", "claimed_until", "requested_at"], name="search_pending_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection}/{self.source}"


class Checkpoint(models.Model):
    """Every collection's in-memory engine at one `seq` (matching's Engine.dump), written by a
    worker now and then, so that a new process restores it and applies only the changes after
    `seq` instead of rebuilding keyword indexes, neighbour lists and graphs from the entries.
    A cache: without one (or with an unreadable one) processes load from the entries."""

    seq = models.BigIntegerField()
    model = models.CharField(max_length=100)
    parts = models.PositiveIntegerField()  # how many CheckpointPart rows make it complete
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"checkpoint @{self.seq}"


class CheckpointPart(models.Model):
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="chunks")
    collection = models.CharField(max_length=40)
    number = models.PositiveIntegerField()  # order of the chunks of one collection's dump
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkpoint", "collection", "number"], name="search_checkpoint_part"
            )
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint}/{self.collection}#{self.number}"
