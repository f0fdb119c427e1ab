"""Hubness: how close a document sits to the crowd of the language it is matched from.

In a high-dimensional embedding space some documents ("hubs") are near many others and turn up
as the best match for queries they do not answer. Cross-domain similarity local scaling (CSLS,
Conneau et al. 2018) corrects it with the candidate's neighbourhood *in the query's
language*: a document's hubness toward a language L is its mean cosine to its k nearest
documents of L in the index (itself excluded). For a query written in L, the engine subtracts
that, weighted and centred on the mean over the candidate's language (`Scoring.hub_weight`),
from the candidate's cosine (docs/decisions/0007-csls-toward-the-query-language.md; the
same-language version it replaces is in 0005).

`Neighbourhoods` keeps, for every document and every language L, the document's k nearest
neighbours of language L up to date as documents come and go. A list is owned by the pair
(document, L). The relation is symmetric, so one block of similarities, new documents of
language M against all documents of L, serves both sides: each new document takes its list
toward L from its row, and each older document of L takes new documents into its list
toward M from its column.

- while the index is exact (up to 20,000 vectors), that block is one matrix product and the
  lists are exact;
- beyond, a new document searches the graph for its `reverse` nearest documents of L; the
  first k are its list, and each of the others takes it into its list toward M when it beats
  that list's last entry. A neighbour only visible from the other side is missed until the
  list is searched again, so lists are approximate and depend on the order of writes (the same
  writes in the same order give the same lists);
- a list that names a document that left or changed is searched again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from matching.index import Hit
from matching.types import LANGUAGES, Language

# The list of `document` toward `language`: its nearest documents written in that language.
Owner = tuple[str, Language]
# ids (any language) -> for each, its nearest live documents of `language`, best first (it may
# appear in its own hits; the caller drops it).
Search = Callable[[Sequence[str], int, Language], list[list[Hit]]]
# ids (any language) -> (their similarity to every live document of `language`, those
# documents' ids, sorted), or None when that is too large to compute.
Dense = Callable[[Sequence[str], Language], tuple[np.ndarray, Sequence[str]] | None]


_EMPTY = -1  # slot of an empty list entry (its score is -inf)
# The language means add up each list's mean as an integer of this many parts per unit, so
# that a sum kept up to date change by change is exact and does not depend on their order.
_FIXED = float(2**40)


class Neighbourhoods:
    """The lists as arrays: for each language a list can point to, a (slots × k) table of
    neighbour slots and one of their scores, best first, so that the batch updates of the
    exact regime are a few array operations, not one Python object per neighbour (0007)."""

    def __init__(
        self, k: int, *, reverse: int | None = None, languages: Sequence[Language] = LANGUAGES
    ) -> None:
        if k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        self.k = k
        self.reverse = max(reverse if reverse is not None else 3 * k, k)
        self.languages = tuple(languages)
        self._column = {lang: t for t, lang in enumerate(self.languages)}
        self._slot: dict[str, int] = {}
        self._id: list[str | None] = []
        self._free: list[int] = []
        self._lang = np.full(0, _EMPTY, np.int8)  # slot -> position of its language; -1: free
        self._nb = np.full((len(self.languages), 0, k), _EMPTY, np.int32)
        self._sc = np.full((len(self.languages), 0, k), -np.inf, np.float32)
        self._pending: list[tuple[str, Mapping[Language, Sequence[Hit]]]] = []
        # Kept up to date as lists change (never recomputed over all documents): each list's
        # mean score (NaN: empty), and per (document language, toward) how many lists have
        # one and their sum in _FIXED units, with what each list added to it.
        t = len(self.languages)
        self._hub = np.full((t, 0), np.nan)
        self._added = np.zeros((t, 0), np.int64)
        self._added_by = np.full((t, 0), _EMPTY, np.int8)  # the language it was added under
        self._mean_count = np.zeros((t, t), np.int64)  # [language, toward]
        self._mean_sum = np.zeros((t, t), np.int64)

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot

    def neighbours(self, doc_id: str, toward: Language) -> tuple[Hit, ...]:
        slot = self._slot.get(doc_id)
        if slot is None or toward not in self._column:
            return ()
        t = self._column[toward]
        return tuple(
            Hit(self._id[j] or "", float(v))
            for j, v in zip(self._nb[t, slot].tolist(), self._sc[t, slot].tolist(), strict=True)
            if j != _EMPTY
        )

    def hubness(self, doc_id: str, toward: Language) -> float | None:
        """Mean cosine to the document's k nearest documents of `toward` (None: none yet)."""
        slot = self._slot.get(doc_id)
        if slot is None or toward not in self._column:
            return None
        value = float(self._hub[self._column[toward], slot])
        return None if math.isnan(value) else value

    def _row_means(self, t: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(entries, mean score) of these rows' lists toward language t (mean 0 if empty)."""
        valid = self._nb[t, rows] != _EMPTY
        counts = valid.sum(axis=1)
        sums = np.where(valid, self._sc[t, rows], 0.0).astype(np.float64).sum(axis=1)
        return counts, sums / np.maximum(counts, 1)

    def language_mean(self, language: Language | None, toward: Language) -> tuple[int, float]:
        """(documents of `language` with a hubness toward `toward`, their mean hubness); exact
        to 2^-40 whatever order the documents came in."""
        if language is None or language not in self._column or toward not in self._column:
            return (0, 0.0)
        c, t = self._column[language], self._column[toward]
        count = int(self._mean_count[c, t])
        return (count, float(self._mean_sum[c, t]) / count / _FIXED) if count else (0, 0.0)

    def _touch(self, t: int, rows: np.ndarray) -> None:
        """These rows' lists toward column t changed: update their means and their share of
        the language means (cost: the rows touched, not the index)."""
        rows = np.unique(rows)
        if not len(rows):
            return
        before = self._added_by[t, rows]
        counted = before != _EMPTY
        np.subtract.at(self._mean_count[:, t], before[counted], 1)
        np.subtract.at(self._mean_sum[:, t], before[counted], self._added[t, rows[counted]])
        counts, means = self._row_means(t, rows)
        language = self._lang[rows]
        now = (counts > 0) & (language != _EMPTY)
        fixed = np.round(means * _FIXED).astype(np.int64)
        np.add.at(self._mean_count[:, t], language[now], 1)
        np.add.at(self._mean_sum[:, t], language[now], fixed[now])
        self._hub[t, rows] = np.where(counts > 0, means, np.nan)
        self._added[t, rows] = np.where(now, fixed, 0)
        self._added_by[t, rows] = np.where(now, language, _EMPTY)

    def _touch_all(self) -> None:
        everything = np.arange(len(self._id))
        for t in range(len(self.languages)):
            self._touch(t, everything)

    # --- writes ------------------------------------------------------------------------------

    def forget(self, ids: Iterable[str]) -> set[Owner]:
        """Drop documents; returns the remaining lists that named one of them, which lose
        those entries now (search them again with `refresh` once the index no longer holds
        the dropped ones)."""
        gone = [self._slot.pop(i) for i in dict.fromkeys(ids) if i in self._slot]
        if not gone:
            return set()
        dead = np.array(gone, np.int32)
        for slot in gone:
            self._id[slot] = None
            self._lang[slot] = _EMPTY
        self._nb[:, dead] = _EMPTY
        self._sc[:, dead] = -np.inf
        self._free.extend(gone)
        n = len(self._id)
        stale: set[Owner] = set()
        for t, toward in enumerate(self.languages):
            self._touch(t, dead)
            hit = np.isin(self._nb[t, :n], dead)
            rows = np.nonzero(hit.any(axis=1))[0]
            if len(rows):
                self._nb[t, rows] = np.where(hit[rows], _EMPTY, self._nb[t, rows])
                self._sc[t, rows] = np.where(hit[rows], -np.inf, self._sc[t, rows])
                self._sort_rows(t, rows)
                self._touch(t, rows)
                stale.update((self._id[r] or "", toward) for r in rows.tolist())
        return stale

    def add(
        self, languages: Mapping[str, Language], search: Search, dense: Dense | None = None
    ) -> None:
        """Take in new documents (id -> language), already in the index that `search` reads.
        With `dense` (every similarity of the new documents to a language, which the exact
        index can afford), every list is exact; else see the module doc."""
        if not languages:
            return
        for doc_id, language in languages.items():
            self._new_slot(doc_id, language)
        every_new = np.array([self._slot[i] for i in languages], np.int64)
        for language, ids in _by_language(languages).items():
            rows = np.array([self._slot[i] for i in ids], np.int64)
            for toward in self.languages:
                t = self._column[toward]
                block = dense(ids, toward) if dense is not None else None
                if block is not None:
                    self._add_dense(rows, language, t, *block, every_new)
                    continue
                found = search(ids, self.reverse + 1, toward)
                offers: list[tuple[int, int, float]] = []  # (owner row, new row, score)
                lists = []
                for row, doc_id, hits in zip(rows.tolist(), ids, found, strict=True):
                    others = [h for h in hits if h.id != doc_id][: self.reverse]
                    lists.append(others[: self.k])
                    for h in others:
                        if h.id not in languages and h.id in self._slot:
                            offers.append((self._slot[h.id], row, h.score))
                self._set_lists(t, rows, lists)
                if offers:
                    owner, cand, score = (np.array(x) for x in zip(*offers, strict=True))
                    self._merge_ragged(self._column[language], owner, cand, score)

    def _add_dense(
        self,
        rows: np.ndarray,
        language: Language,
        t: int,
        scores: np.ndarray,
        others: Sequence[str],
        every_new: np.ndarray,
    ) -> None:
        """`scores[i, j]`: similarity of the new document in `rows[i]` (of `language`) to
        others[j] (every document of language t, new ones included, sorted by id);
        `every_new`: the rows of all documents of this `add`, whose lists are computed whole."""
        if not len(others):
            return
        columns = np.fromiter((self._slot[i] for i in others), np.int64, len(others))
        scores = np.array(scores, dtype=np.float32)
        scores[rows[:, None] == columns[None, :]] = -np.inf  # never itself
        nb, sc = _top(scores, columns, self.k)
        self._nb[t, rows], self._sc[t, rows] = nb, sc
        self._touch(t, rows)
        # older documents of language t take new ones into their lists toward `language`
        older = ~np.isin(columns, every_new)
        if not older.any():
            return
        cand_nb, cand_sc = _top(scores[:, older].T, rows, self.k)
        self._merge(self._column[language], columns[older], cand_nb, cand_sc)

    def refresh(self, owners: Iterable[Owner], search: Search) -> None:
        """Search these lists again (lists of unknown documents are ignored)."""
        by_toward: dict[Language, list[str]] = {}
        for doc_id, toward in sorted(set(owners)):
            if doc_id in self._slot and toward in self._column:
                by_toward.setdefault(toward, []).append(doc_id)
        for toward, group in by_toward.items():
            found = search(group, self.k + 1, toward)
            lists = [
                [h for h in hits if h.id != doc_id][: self.k]
                for doc_id, hits in zip(group, found, strict=True)
            ]
            rows = np.array([self._slot[i] for i in group], np.int64)
            self._set_lists(self._column[toward], rows, lists)

    def state(self) -> tuple[tuple[Any, ...], dict[str, np.ndarray]]:
        """(plain values, arrays) of every list, for a snapshot; `restore_state` takes them."""
        if self._pending:
            raise RuntimeError("restored lists are still pending: call restored() first")
        n = len(self._id)
        arrays: dict[str, np.ndarray] = {
            "lang": self._lang[:n],
            "nb": self._nb[:, :n],
            "sc": self._sc[:, :n],
        }
        return (self.k, self.reverse, self.languages, self._id, self._free), arrays

    def restore_state(self, plain: tuple[Any, ...], arrays: Mapping[str, np.ndarray]) -> None:
        k, reverse, languages, ids, free = plain
        if (k, tuple(languages)) != (self.k, self.languages):
            raise ValueError(f"lists of k={k} over {languages}, not k={self.k}")
        self.reverse = int(reverse)
        self._id = list(ids)
        self._free = list(free)
        self._slot = {doc_id: slot for slot, doc_id in enumerate(self._id) if doc_id is not None}
        self._lang = np.array(arrays["lang"], np.int8)
        self._nb = np.array(arrays["nb"], np.int32)
        self._sc = np.array(arrays["sc"], np.float32)
        self._pending = []
        t, n = len(self.languages), len(self._id)
        self._hub = np.full((t, n), np.nan)
        self._added = np.zeros((t, n), np.int64)
        self._added_by = np.full((t, n), _EMPTY, np.int8)
        self._mean_count = np.zeros((t, t), np.int64)
        self._mean_sum = np.zeros((t, t), np.int64)
        self._touch_all()

    def restore(
        self, doc_id: str, language: Language, lists: Mapping[Language, Sequence[Hit]]
    ) -> None:
        """Put back saved lists; every document must be restored before any list names it
        (call `restored` once all are in)."""
        self._new_slot(doc_id, language)
        self._pending.append((doc_id, lists))

    def restored(self) -> None:
        """Resolve the lists given to `restore` (their neighbours are now all known)."""
        for doc_id, lists in self._pending:
            row = np.array([self._slot[doc_id]], np.int64)
            for toward, hits in lists.items():
                if toward in self._column:
                    self._set_lists(self._column[toward], row, [hits])
        self._pending = []

    # --- arrays ------------------------------------------------------------------------------

    def _new_slot(self, doc_id: str, language: Language) -> int:
        if doc_id in self._slot:
            slot = self._slot[doc_id]
        elif self._free:
            slot = self._free.pop()
            self._id[slot] = doc_id
        else:
            slot = len(self._id)
            self._id.append(doc_id)
            if slot >= self._lang.shape[0]:
                self._grow(max(64, 2 * slot))
        self._slot[doc_id] = slot
        self._lang[slot] = self._column[language]
        self._nb[:, slot] = _EMPTY
        self._sc[:, slot] = -np.inf
        # Only a slot whose old lists still count toward the means needs them taken out
        # (a fresh slot has none: this runs once per document of a load).
        for t in np.flatnonzero(self._added_by[:, slot] != _EMPTY).tolist():
            self._touch(t, np.array([slot]))
        return slot

    def _grow(self, capacity: int) -> None:
        extra = capacity - self._lang.shape[0]
        t = len(self.languages)
        self._lang = np.concatenate([self._lang, np.full(extra, _EMPTY, np.int8)])
        self._nb = np.concatenate([self._nb, np.full((t, extra, self.k), _EMPTY, np.int32)], 1)
        self._sc = np.concatenate([self._sc, np.full((t, extra, self.k), -np.inf, np.float32)], 1)
        self._hub = np.concatenate([self._hub, np.full((t, extra), np.nan)], 1)
        self._added = np.concatenate([self._added, np.zeros((t, extra), np.int64)], 1)
        self._added_by = np.concatenate([self._added_by, np.full((t, extra), _EMPTY, np.int8)], 1)

    def _set_lists(self, t: int, rows: np.ndarray, lists: Sequence[Sequence[Hit]]) -> None:
        nb = np.full((len(rows), self.k), _EMPTY, np.int32)
        sc = np.full((len(rows), self.k), -np.inf, np.float32)
        for i, hits in enumerate(lists):
            known = [h for h in hits if h.id in self._slot][: self.k]
            for j, h in enumerate(known):
                nb[i, j], sc[i, j] = self._slot[h.id], h.score
        self._nb[t, rows], self._sc[t, rows] = nb, sc
        self._touch(t, rows)

    def _merge(self, t: int, rows: np.ndarray, nb: np.ndarray, sc: np.ndarray) -> None:
        """Each row's list becomes the best k of itself and its candidates (ties: the entry
        already listed first, then candidates in the order given)."""
        all_nb = np.concatenate([self._nb[t, rows], nb], axis=1)
        all_sc = np.concatenate([self._sc[t, rows], sc], axis=1)
        order = np.argsort(-all_sc, axis=1, kind="stable")[:, : self.k]
        self._nb[t, rows] = np.take_along_axis(all_nb, order, axis=1)
        self._sc[t, rows] = np.take_along_axis(all_sc, order, axis=1)
        self._touch(t, rows)

    def _merge_ragged(self, t: int, owner: np.ndarray, cand: np.ndarray, score: np.ndarray) -> None:
        """`_merge` for (owner row, candidate row, score) triples, any number per owner."""
        order = np.lexsort((cand, -score, owner))
        owner, cand, score = owner[order], cand[order], score[order]
        rows, first = np.unique(owner, return_index=True)
        rank = np.arange(len(owner)) - np.repeat(first, np.diff(np.append(first, len(owner))))
        keep = rank < self.k
        nb = np.full((len(rows), self.k), _EMPTY, np.int32)
        sc = np.full((len(rows), self.k), -np.inf, np.float32)
        where = np.searchsorted(rows, owner[keep])
        nb[where, rank[keep]] = cand[keep]
        sc[where, rank[keep]] = score[keep]
        self._merge(t, rows, nb, sc)

    def _sort_rows(self, t: int, rows: np.ndarray) -> None:
        order = np.argsort(-self._sc[t, rows], axis=1, kind="stable")
        self._nb[t, rows] = np.take_along_axis(self._nb[t, rows], order, axis=1)
        self._sc[t, rows] = np.take_along_axis(self._sc[t, rows], order, axis=1)


def _top(scores: np.ndarray, columns: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best columns of each row of `scores` as (their `columns` values, their scores in
    the dtype of `scores`), best first, ties by column; -inf entries stay empty."""
    n, m = scores.shape
    take = min(k, m)
    nb = np.full((n, k), _EMPTY, np.int32)
    sc = np.full((n, k), -np.inf, scores.dtype)
    if take == 0:
        return nb, sc
    fetch = min(m, k + 8)  # a little extra so that ties at the cut go by column
    top = np.argpartition(-scores, fetch - 1, axis=1)[:, :fetch]
    values = np.take_along_axis(scores, top, axis=1)
    order = np.lexsort((top, -values), axis=-1)[:, :take]
    top = np.take_along_axis(top, order, axis=1)
    values = np.take_along_axis(values, order, axis=1)
    nb[:, :take] = np.where(np.isfinite(values), columns[top], _EMPTY)
    sc[:, :take] = values
    return nb, sc


def top_hits(scores: np.ndarray, ids: Sequence[str], k: int) -> list[list[Hit]]:
    """The k best columns of each row as hits, best first; `ids` (the columns) must be sorted,
    so that ties, broken by id, are broken by column."""
    nb, sc = _top(scores, np.arange(len(ids)), k)
    return [
        [Hit(ids[j], v) for j, v in zip(row, row_scores, strict=True) if j != _EMPTY]
        for row, row_scores in zip(nb.tolist(), sc.tolist(), strict=True)
    ]


def _by_language(languages: Mapping[str, Language]) -> dict[Language, list[str]]:
    out: dict[Language, list[str]] = {}
    for doc_id, language in languages.items():
        out.setdefault(language, []).append(doc_id)
    return out
