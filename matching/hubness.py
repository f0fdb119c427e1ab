"""Hubness: how close a document sits to its own language's crowd.

In a high-dimensional embedding space some documents ("hubs") are near many others and turn up
as the best match for queries they do not answer. A document's *hubness* here is the mean
cosine to its k nearest other documents of its own language in the index; the engine subtracts
it, weighted and centred on the language's mean (`Scoring.hub_weight`), from the cosine of
every pair it is a candidate in (docs/decisions/0005-embedding-and-hubness.md has the numbers).

`Neighbourhoods` keeps each document's k nearest same-language neighbours up to date as
documents come and go, with one batched index search per write:

- a new document searches its `reverse` nearest same-language documents (after it is in the
  index, so a batch sees itself); the first k are its list, and each of the others takes it
  into its own list when it beats that list's last entry;
- a document whose list names a document that left or changed is searched again.

Lists are exact for the exact index and as good as the graph search for HNSW; a neighbour that
would only be found from the other side (it is in z's k nearest, z is not in its `reverse`
nearest) is missed until z is searched again. The result depends on the order of writes only
through that approximation, so the same writes in the same order give the same lists.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from matching.index import Hit
from matching.types import Language

# ids of one language -> for each, its nearest live documents of that language, best first
# (it may appear in its own hits; the caller drops it).
Search = Callable[[Sequence[str], int, Language], list[list[Hit]]]


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

    def add(self, languages: Mapping[str, Language], search: Search) -> None:
        """Take in new documents (id -> language), already in the index that `search` reads."""
        if not languages:
            return
        for doc_id, language in languages.items():
            self._language[doc_id] = language
        for language, ids in _by_language(languages).items():
            for doc_id, hits in zip(ids, search(ids, self.reverse + 1, language), strict=True):
                others = [h for h in hits if h.id != doc_id][: self.reverse]
                self._set(doc_id, others[: self.k])
                for hit in others:
                    if hit.id not in languages:
                        self._offer(hit.id, Hit(doc_id, hit.score))
        self._means = None

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
        current = self._lists.get(doc_id)
        if current is None:
            return
        if len(current) >= self.k and _key(hit) >= _key(current[-1]):
            return
        self._set(doc_id, sorted([*current, hit], key=_key)[: self.k])

    def _set(self, doc_id: str, hits: Sequence[Hit]) -> None:
        for old in self._lists.get(doc_id, ()):
            listed = self._listed_by.get(old.id)
            if listed is not None:
                listed.discard(doc_id)
        self._lists[doc_id] = tuple(hits)
        for hit in hits:
            self._listed_by.setdefault(hit.id, set()).add(doc_id)
        if hits:
            self._hub[doc_id] = math.fsum(h.score for h in hits) / len(hits)
        else:
            self._hub.pop(doc_id, None)


def _by_language(languages: Mapping[str, Language]) -> dict[Language, list[str]]:
    out: dict[Language, list[str]] = {}
    for doc_id, language in languages.items():
        out.setdefault(language, []).append(doc_id)
    return out
