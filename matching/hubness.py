"""Hubness: how close a document sits to its own language's crowd.

In a high-dimensional embedding space some documents ("hubs") are near many others and turn up
as the best match for queries they do not answer. A document's *hubness* here is the mean
cosine to its k nearest other documents of its own language in the index; the engine subtracts
it, weighted and centred on the language's mean (`Scoring.hub_weight`), from the cosine of
every pair it is a candidate in (docs/decisions/0005-embedding-and-hubness.md has the numbers).

`Neighbourhoods` keeps each document's k nearest same-language neighbours up to date as
documents come and go:

- while the index is exact (up to 20,000 vectors), one matrix product of the new documents
  against their language gives each new document its list, and every older document whose
  list's last entry a new one beats takes it in: the lists are exact;
- beyond that, a new document searches the graph for its `reverse` nearest same-language
  documents; the first k are its list, and each of the others takes it in when it beats that
  list's last entry. A neighbour only visible from the other side (y is in z's k nearest, z
  is not in y's `reverse` nearest) is missed until z is searched again, so lists are
  approximate, and depend on the order of writes (the same writes in the same order give the
  same lists);
- a document whose list names a document that left or changed is searched again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

import numpy as np

from matching.index import Hit
from matching.types import Language

# ids of one language -> for each, its nearest live documents of that language, best first
# (it may appear in its own hits; the caller drops it).
Search = Callable[[Sequence[str], int, Language], list[list[Hit]]]
# ids of one language -> (their similarity to every live document of that language, those
# documents' ids), or None when that is too large to compute.
Dense = Callable[[Sequence[str], Language], tuple[np.ndarray, Sequence[str]] | None]


def _key(hit: Hit) -> tuple[float, str]:
    return (-hit.score, hit.id)


class Neighbourhoods:
    def __init__(self, k: int, *, reverse: int | None = None) -> None:
        if k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        self.k = k
        self.reverse = max(reverse if reverse is not None else 3 * k, k)
        self._lists: dict[str, tuple[Hit, ...]] = {}
        self._language: dict[str, Language] = {}
        self._listed_by: dict[str, set[str]] = {}
        self._hub: dict[str, float] = {}
        self._means: dict[Language, tuple[int, float]] | None = None

    def __len__(self) -> int:
        return len(self._lists)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._lists

    def neighbours(self, doc_id: str) -> tuple[Hit, ...]:
        return self._lists.get(doc_id, ())

    def hubness(self, doc_id: str) -> float | None:
        """Mean cosine to the document's k nearest same-language documents (None: none yet)."""
        return self._hub.get(doc_id)

    def language_mean(self, language: Language | None) -> tuple[int, float]:
        """(documents with a hubness, their mean hubness) in `language`; exactly rounded, so
        it does not depend on the order documents were added in."""
        if self._means is None:
            values: dict[Language, list[float]] = {}
            for doc_id, hub in self._hub.items():
                values.setdefault(self._language[doc_id], []).append(hub)
            self._means = {lang: (len(v), math.fsum(v) / len(v)) for lang, v in values.items() if v}
        return self._means.get(language, (0, 0.0)) if language is not None else (0, 0.0)

    # --- writes ------------------------------------------------------------------------------

    def forget(self, ids: Iterable[str]) -> set[str]:
        """Drop documents; returns the remaining documents whose lists named one of them
        (search them again with `refresh` once the index no longer holds the dropped ones)."""
        gone = {i for i in ids if i in self._lists}
        stale: set[str] = set()
        for doc_id in gone:
            for hit in self._lists.pop(doc_id):
                listed = self._listed_by.get(hit.id)
                if listed is not None:
                    listed.discard(doc_id)
            stale |= self._listed_by.pop(doc_id, set())
            self._hub.pop(doc_id, None)
            del self._language[doc_id]
        if gone:
            self._means = None
        return stale - gone

    def add(
        self, languages: Mapping[str, Language], search: Search, dense: Dense | None = None
    ) -> None:
        """Take in new documents (id -> language), already in the index that `search` reads.
        With `dense` (every similarity of the new documents to their language, which the
        exact index can afford), every list is exact; else see the module doc."""
        if not languages:
            return
        for doc_id, language in languages.items():
            self._language[doc_id] = language
        for language, ids in _by_language(languages).items():
            block = dense(ids, language) if dense is not None else None
            if block is not None:
                self._add_dense(ids, *block, new=languages)
                continue
            for doc_id, hits in zip(ids, search(ids, self.reverse + 1, language), strict=True):
                others = [h for h in hits if h.id != doc_id][: self.reverse]
                self._set(doc_id, others[: self.k])
                for hit in others:
                    if hit.id not in languages:
                        self._offer(hit.id, Hit(doc_id, hit.score))
        self._means = None

    def _add_dense(
        self, ids: Sequence[str], scores: np.ndarray, others: Sequence[str], new: Container[str]
    ) -> None:
        """`scores[i, j]`: similarity of ids[i] to others[j] (all documents of the language,
        the new ones included)."""
        for doc_id, hits in zip(ids, top_hits(scores, others, self.k + 1), strict=True):
            self._set(doc_id, [h for h in hits if h.id != doc_id][: self.k])
        # an older document takes a new one when it beats its list's last entry
        last = np.array(
            [self._last_score(z) if z not in new else np.inf for z in others], dtype=np.float32
        )
        columns, rows = np.nonzero((scores >= last[None, :]).T)  # grouped by older document
        values = scores[rows, columns].tolist()
        offers: dict[int, list[Hit]] = {}
        for j, i, value in zip(columns.tolist(), rows.tolist(), values, strict=True):
            offers.setdefault(j, []).append(Hit(ids[i], value))
        for j, hits in offers.items():
            self._take(others[j], hits)

    def _last_score(self, doc_id: str) -> float:
        current = self._lists.get(doc_id, ())
        return current[-1].score if len(current) >= self.k else -np.inf

    def refresh(self, ids: Iterable[str], search: Search) -> None:
        """Search the lists of these documents again (unknown ids are ignored)."""
        known = {i: self._language[i] for i in sorted(set(ids)) if i in self._language}
        for language, group in _by_language(known).items():
            for doc_id, hits in zip(group, search(group, self.k + 1, language), strict=True):
                self._set(doc_id, [h for h in hits if h.id != doc_id][: self.k])
        if known:
            self._means = None

    def restore(self, doc_id: str, language: Language, hits: Sequence[Hit]) -> None:
        """Put back a saved list (documents are restored in any order)."""
        self._language[doc_id] = language
        self._set(doc_id, list(hits))
        self._means = None

    def _offer(self, doc_id: str, hit: Hit) -> None:
        """Take `hit` into the document's list if it beats the last entry (most offers do not:
        that check is all they cost)."""
        current = self._lists.get(doc_id)
        if current is None:
            return
        if len(current) >= self.k:
            last = current[-1]
            if hit.score < last.score or (hit.score == last.score and hit.id >= last.id):
                return
        position = len(current)
        while position and _key(hit) < _key(current[position - 1]):
            position -= 1
        merged = (*current[:position], hit, *current[position:])
        kept = merged[: self.k]
        self._lists[doc_id] = kept
        self._listed_by.setdefault(hit.id, set()).add(doc_id)
        for dropped in merged[self.k :]:
            listed = self._listed_by.get(dropped.id)
            if listed is not None:
                listed.discard(doc_id)
        self._hub[doc_id] = math.fsum(h.score for h in kept) / len(kept)

    def _take(self, doc_id: str, hits: list[Hit]) -> None:
        """`_offer` for several hits at once: one merge."""
        if len(hits) == 1:
            self._offer(doc_id, hits[0])
            return
        current = self._lists.get(doc_id)
        if current is None:
            return
        kept = tuple(sorted([*current, *hits], key=_key)[: self.k])
        if kept != current:
            self._replace(doc_id, current, kept)

    def _set(self, doc_id: str, hits: Sequence[Hit]) -> None:
        self._replace(doc_id, self._lists.get(doc_id, ()), tuple(hits))

    def _replace(self, doc_id: str, current: tuple[Hit, ...], kept: tuple[Hit, ...]) -> None:
        """Swap a list in, touching the reverse index only where ids changed (this runs about
        k times per new document: most of the neighbour update's time)."""
        before = {h.id for h in current}
        after = {h.id for h in kept}
        for gone in before - after:
            listed = self._listed_by.get(gone)
            if listed is not None:
                listed.discard(doc_id)
        for came in after - before:
            self._listed_by.setdefault(came, set()).add(doc_id)
        self._lists[doc_id] = kept
        if kept:
            self._hub[doc_id] = math.fsum(h.score for h in kept) / len(kept)
        else:
            self._hub.pop(doc_id, None)


def top_hits(scores: np.ndarray, ids: Sequence[str], k: int) -> list[list[Hit]]:
    """The k best columns of each row as hits, best first; `ids` (the columns) must be sorted,
    so that ties, broken by id, are broken by column."""
    fetch = min(len(ids), k + 8)  # a little extra so ties at the cut go by id
    if fetch <= 0:
        return [[] for _ in range(len(scores))]
    top = np.argpartition(-scores, fetch - 1, axis=1)[:, :fetch]
    values = np.take_along_axis(scores, top, axis=1)
    order = np.lexsort((top, -values), axis=-1)[:, :k]
    columns = np.take_along_axis(top, order, axis=1).tolist()
    best = np.take_along_axis(values, order, axis=1).tolist()
    return [
        [Hit(ids[j], v) for j, v in zip(row, row_values, strict=True)]
        for row, row_values in zip(columns, best, strict=True)
    ]


def _by_language(languages: Mapping[str, Language]) -> dict[Language, list[str]]:
    out: dict[Language, list[str]] = {}
    for doc_id, language in languages.items():
        out.setdefault(language, []).append(doc_id)
    return out
