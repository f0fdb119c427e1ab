"""What a collection declares: which records it indexes and how a record becomes documents.

Everything else (storing the state, following changes, the in-memory engine, reconciling) is
the search app's, the same for every collection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, ClassVar

from django.db.models import QuerySet

from matching import Document

BATCH = 500


class Collection:
    """One engine's worth of documents, e.g. the published technology profiles.

    A *source* is the key of one record ("17", "posting:5"); it gives zero or more documents
    (none: the record is not to be indexed, e.g. a withdrawn profile)."""

    name: ClassVar[str]

    def sources(self) -> Iterator[list[str]]:
        """Every source that should be indexed now, in batches (the reconciler's truth)."""
        raise NotImplementedError

    def documents(self, sources: Sequence[str]) -> dict[str, list[Document]]:
        """The current documents of each of these sources ([] for one not to be indexed)."""
        raise NotImplementedError

    def indexed(self, sources: Sequence[str]) -> None:
        """Called once these sources' documents are committed and this process's engine has
        them (e.g. to store matches). It may run again for the same sources: be idempotent."""


class RecordCollection(Collection):
    """The common case: a source is a record's primary key ("17"), and the records to index
    are a queryset."""

    def indexable(self) -> QuerySet[Any]:
        """The records that should be indexed now (with what `to_documents` reads)."""
        raise NotImplementedError

    def to_documents(self, record: Any) -> list[Document]:
        raise NotImplementedError

    def sources(self) -> Iterator[list[str]]:
        records = self.indexable().prefetch_related(None).order_by("pk")
        keys = records.values_list("pk", flat=True).iterator(chunk_size=5000)
        return batched(str(pk) for pk in keys)

    def documents(self, sources: Sequence[str]) -> dict[str, list[Document]]:
        records = self.indexable().filter(pk__in=[int(s) for s in sources])
        found = {str(r.pk): self.to_documents(r) for r in records}
        return {s: found.get(s, []) for s in sources}


def batched(keys: Iterator[str], size: int = BATCH) -> Iterator[list[str]]:
    batch: list[str] = []
    for key in keys:
        batch.append(key)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_REGISTRY: dict[str, Collection] = {}


def register(cls: type[Collection]) -> type[Collection]:
    if cls.name in _REGISTRY:
        raise ValueError(f"collection {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> Collection:
    try:
        return _REGISTRY[name]
    except KeyError:
        valid = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown collection {name!r}; valid names: {valid}") from None


def names() -> list[str]:
    return sorted(_REGISTRY)
