"""Keyword evidence: BM25 within one language, and cues that cross languages.

In the bm25s shape: scoring is pure functions over numpy arrays; the index only keeps
postings and calls them; tokenizers are injected (one per language).
"""

from __future__ import annotations

import array
import math
import sys
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple

import numpy as np

from matching.index import rows_of
from matching.text import Tokenizer

# --- scoring (pure) ----------------------------------------------------------------------------


class BM25Params(NamedTuple):
    k1: float = 1.2
    b: float = 0.75


def idf(doc_freq: np.ndarray | float, n_docs: int) -> np.ndarray:
    """Lucene's BM25 idf, always positive: log(1 + (N - df + 0.5) / (df + 0.5))."""
    df = np.asarray(doc_freq, dtype=np.float64)
    return np.log1p((n_docs - df + 0.5) / (df + 0.5))


def term_scores(
    tf: np.ndarray, doc_len: np.ndarray, avg_len: float, term_idf: float, params: BM25Params
) -> np.ndarray:
    """BM25 contribution of one term to each document that contains it."""
    tf = np.asarray(tf, dtype=np.float64)
    norm = params.k1 * (1.0 - params.b + params.b * np.asarray(doc_len) / max(avg_len, 1e-9))
    return term_idf * tf * (params.k1 + 1.0) / (tf + norm)


def max_score(query_idfs: Sequence[float], params: BM25Params) -> float:
    """The bound BM25 approaches when every query term saturates: Σ idf·(k1+1). Dividing by it
    gives a 0..1 score whose meaning does not depend on the other documents."""
    return float(sum(query_idfs)) * (params.k1 + 1.0)


# --- index -------------------------------------------------------------------------------------


class LexicalHit(NamedTuple):
    id: str
    score: float  # BM25 / max_score, 0..1


class BM25Scores:
    """One query's normalised BM25 (0..1) over an index's rows, read by id or as a top list."""

    def __init__(
        self,
        ids: list[str | None],
        row_of: dict[str, int],
        totals: np.ndarray,
        idfs: Mapping[str, float] | None = None,
    ) -> None:
        self._ids = ids
        self._row_of = row_of
        self._totals = totals  # per row; 0 where the query shares no term
        self.idf: Mapping[str, float] = idfs or {}  # of each query term

    @classmethod
    def none(cls) -> BM25Scores:
        """Scores of nothing (a query without a language)."""
        return cls([], {}, np.zeros(0))

    def get(self, doc_id: str, default: float = 0.0) -> float:
        row = self._row_of.get(doc_id)
        if row is None or row >= len(self._totals):  # added after the query was scored
            return default
        return float(self._totals[row]) or default

    def as_dict(self, allowed: Iterable[str] | None = None) -> dict[str, float]:
        """Every document sharing a term with the query (and in `allowed`, if given)."""
        keep = None if allowed is None else set(allowed)
        out: dict[str, float] = {}
        for row in np.flatnonzero(self._totals).tolist():
            doc_id = self._ids[row]
            if doc_id is not None and (keep is None or doc_id in keep):
                out[doc_id] = float(self._totals[row])
        return out

    def best(self, k: int, allowed: Collection[str] | None = None) -> list[LexicalHit]:
        """The k best documents, ties by id (exactly, whatever the row order), among `allowed`
        if given: a small allowed set is looked up, a large one filters the ranked rows."""
        if k <= 0:
            return []
        totals = self._totals
        if allowed is not None and len(allowed) <= _LOOKUP_LIMIT:
            rows = rows_of(self._row_of, allowed)
            rows = rows[rows < len(totals)]
            return self._top(rows[totals[rows] > 0], k)
        rows = np.flatnonzero(totals)
        if allowed is None:
            return self._top(rows, k)
        want = k
        while True:  # rank in growing slices until k allowed ones are found
            ranked = self._top(rows, want)
            out = [h for h in ranked if h.id in allowed][:k]
            if len(out) >= k or len(ranked) < want:
                return out
            want *= 4

    def _top(self, rows: np.ndarray, k: int) -> list[LexicalHit]:
        """The k best of these rows: every row above the k-th score, then the ties at it by
        id, so the list does not depend on how rows are numbered."""
        if not len(rows):
            return []
        scores = self._totals[rows]
        if len(rows) > k:
            cut = np.partition(scores, len(scores) - k)[len(scores) - k]
            rows, scores = rows[scores >= cut], scores[scores >= cut]
        ids = self._ids
        hits = [
            LexicalHit(doc_id, s)
            for doc_id, s in zip((ids[r] for r in rows.tolist()), scores.tolist(), strict=True)
            if doc_id is not None
        ]
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:k]


# Up to this many allowed ids are looked up one by one; a larger set filters ranked rows.
_LOOKUP_LIMIT = 5000


class Compaction(NamedTuple):
    """A BM25Index's arrays after a compaction, made by `compaction()` and put in place by
    `adopt()`."""

    offsets: np.ndarray
    rows: np.ndarray
    tf: np.ndarray
    row_terms: list[bytes]
    ids: list[str | None]
    row_of: dict[str, int]
    length: np.ndarray


class BM25Index:
    """BM25 over the documents of one language, with incremental add and remove.

    Postings are arrays, so that scoring a term is a few vector operations and a snapshot is
    a few buffers: a compacted segment (each term's rows and term frequencies, contiguous,
    ordered by term id) plus a small delta of the documents added since (int32 arrays per
    term). A removal only clears the row's live flag; a compaction, once the delta or the dead
    rows reach a share of the segment, folds the delta in and renumbers the rows, so its cost
    is linear in the index but paid once per that share of writes (decision 0008)."""

    def __init__(
        self,
        tokenizer: Tokenizer,
        params: BM25Params | None = None,
        *,
        delta_share: float = 0.25,
        min_delta: int = 20_000,
        auto_compact: bool = True,
    ) -> None:
        self.tokenizer = tokenizer
        self.params = params or BM25Params()
        # Compact when the delta's postings pass this share of the segment's (and min_delta),
        # or the removed rows four times this share of the rows.
        self.delta_share = delta_share
        self.min_delta = min_delta
        # False: the owner calls compaction() and adopt() when compaction_due(), e.g. to
        # compute it outside the lock its searches take (matching.engine).
        self.auto_compact = auto_compact
        self._term_id: dict[str, int] = {}
        self._df = np.zeros(0, np.int32)  # per term id: how many live documents hold it
        self._row_of: dict[str, int] = {}
        self._ids: list[str | None] = []  # per row; None: removed
        # per row: its distinct term ids (int32 bytes, ≈ 0.6 KB a profile where a tuple of its
        # tokens took 2 KB), so that a removal can lower its terms' document frequencies
        self._row_terms: list[bytes] = []
        self._length = np.zeros(0, np.float32)  # per row
        self._live = np.zeros(0, bool)  # per row
        self._total_len = 0
        # segment: term t's postings are [_offsets[t], _offsets[t + 1]) of _rows/_tf
        self._offsets = np.zeros(1, np.int64)
        self._rows = np.zeros(0, np.int32)
        self._tf = np.zeros(0, np.float32)
        # term id -> (rows, tfs), as int32 arrays numpy can read without a copy
        self._delta: dict[int, tuple[array.array[int], array.array[int]]] = {}
        self._delta_postings = 0

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row_of

    def add(self, doc_id: str, tokens: Sequence[str]) -> None:
        """Index pre-tokenized text (replacing any previous version of the document)."""
        self.remove([doc_id])
        row = len(self._ids)
        if row >= len(self._live):
            capacity = max(64, 2 * row)
            self._length = np.resize(self._length, capacity)
            self._live = np.concatenate([self._live, np.zeros(capacity - len(self._live), bool)])
        self._ids.append(doc_id)
        self._row_of[doc_id] = row
        self._length[row] = len(tokens)
        self._live[row] = True
        self._total_len += len(tokens)
        counts = Counter(tokens)
        term_ids = [self._term_id.setdefault(term, len(self._term_id)) for term in counts]
        if len(self._term_id) > len(self._df):
            self._df = np.concatenate([self._df, np.zeros(max(1024, len(self._term_id)), np.int32)])
        self._df[term_ids] += 1  # distinct ids
        self._row_terms.append(np.array(term_ids, np.int32).tobytes())
        for term_id, count in zip(term_ids, counts.values(), strict=True):
            if term_id not in self._delta:
                self._delta[term_id] = (array.array("i"), array.array("i"))
            rows, tfs = self._delta[term_id]
            rows.append(row)
            tfs.append(count)
            self._delta_postings += 1
        if self.auto_compact and self.compaction_due():
            self.compact()

    def add_text(self, doc_id: str, text: str) -> None:
        self.add(doc_id, self.tokenizer(text))

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            row = self._row_of.pop(doc_id, None)
            if row is None:
                continue
            self._ids[row] = None
            self._live[row] = False
            self._total_len -= int(self._length[row])
            self._df[np.frombuffer(self._row_terms[row], np.int32)] -= 1
            self._row_terms[row] = b""
        if self.auto_compact and self.compaction_due():
            self.compact()

    def compaction_due(self) -> bool:
        dead = len(self._ids) - len(self._row_of)
        return self._delta_postings > max(
            self.min_delta, self.delta_share * len(self._rows)
        ) or dead > max(self.min_delta / 100, 4 * self.delta_share * len(self._ids))

    def compact(self) -> None:
        """Fold the delta into the segment and drop removed rows (renumbering the rest)."""
        self.adopt(self.compaction())

    def compaction(self) -> Compaction:
        """What `compact` makes, computed without changing the index: searches may read it
        meanwhile, but no write may come between this and `adopt`."""
        n = len(self._ids)
        live = self._live[:n]
        new_row = np.cumsum(live, dtype=np.int64) - 1
        terms = np.repeat(np.arange(len(self._offsets) - 1, dtype=np.int32), np.diff(self._offsets))
        rows, tf = self._rows, self._tf
        if self._delta:
            order = sorted(self._delta)
            lists = [self._delta[t] for t in order]
            d_terms = np.repeat(np.array(order, np.int32), [len(rows) for rows, _ in lists])
            d_rows = np.frombuffer(b"".join(rows.tobytes() for rows, _ in lists), np.int32)
            d_tf = np.frombuffer(b"".join(tf.tobytes() for _, tf in lists), np.int32)
            # each delta posting goes after its term's segment postings (rows stay ascending)
            at = np.searchsorted(terms, d_terms, side="right")
            terms = np.insert(terms, at, d_terms)
            rows = np.insert(rows, at, d_rows)
            tf = np.insert(tf, at, d_tf.astype(np.float32))
        keep = live[rows]
        terms, rows, tf = terms[keep], new_row[rows[keep]].astype(np.int32), tf[keep]
        counts = np.bincount(terms, minlength=len(self._term_id))
        ids: list[str | None] = [i for i in self._ids if i is not None]
        return Compaction(
            offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            rows=rows,
            tf=tf,
            row_terms=[t for t, i in zip(self._row_terms, self._ids, strict=True) if i is not None],
            ids=ids,
            row_of={doc_id: row for row, doc_id in enumerate(ids) if doc_id is not None},
            length=self._length[:n][live].copy(),
        )

    def adopt(self, c: Compaction) -> None:
        """Take in a `compaction()` of this index as it still is."""
        self._offsets, self._rows, self._tf = c.offsets, c.rows, c.tf
        self._delta, self._delta_postings = {}, 0
        self._row_terms, self._ids, self._row_of = c.row_terms, c.ids, c.row_of
        self._length = c.length
        self._live = np.ones(len(c.ids), bool)

    def state(self) -> tuple[tuple[Any, ...], dict[str, np.ndarray]]:
        """(plain values, arrays) of everything indexed, for a snapshot (compacted first)."""
        self.compact()
        terms = sorted(self._term_id, key=self._term_id.__getitem__)
        arrays: dict[str, np.ndarray] = {
            "length": self._length,
            "offsets": self._offsets,
            "rows": self._rows,
            "tf": self._tf,
        }
        return (terms, self._ids, self._total_len), arrays

    def restore_state(self, plain: tuple[Any, ...], arrays: Mapping[str, np.ndarray]) -> None:
        """Load what `state` gave."""
        terms, ids, total = plain
        self._term_id = {term: i for i, term in enumerate(terms)}
        self._ids = list(ids)
        self._row_of = {doc_id: row for row, doc_id in enumerate(self._ids) if doc_id is not None}
        self._total_len = int(total)
        self._length = np.array(arrays["length"], np.float32)
        self._live = np.ones(len(self._ids), bool)
        self._offsets = np.array(arrays["offsets"], np.int64)
        self._rows = np.array(arrays["rows"], np.int32)
        self._tf = np.array(arrays["tf"], np.float32)
        self._delta, self._delta_postings = {}, 0
        self._df = np.diff(self._offsets).astype(np.int32)  # a state is compacted: all live
        # each row's distinct terms, read off the postings (grouped by row)
        term_of = np.repeat(np.arange(len(terms), dtype=np.int32), np.diff(self._offsets))
        order = np.argsort(self._rows, kind="stable")
        bounds = np.cumsum(np.bincount(self._rows, minlength=len(self._ids)))[:-1]
        parts = np.split(term_of[order], bounds) if self._ids else []
        self._row_terms = [part.tobytes() for part in parts]

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(live rows, term frequencies) of the documents holding `term`."""
        term_id = self._term_id.get(term)
        if term_id is None or not self._df[term_id]:
            return _NO_ROWS, _NO_TF
        if term_id + 1 < len(self._offsets):
            start, stop = self._offsets[term_id], self._offsets[term_id + 1]
            rows, tf = self._rows[start:stop], self._tf[start:stop]
        else:
            rows, tf = _NO_ROWS, _NO_TF
        if term_id in self._delta:
            d_rows, d_tf = self._delta[term_id]
            rows = np.concatenate([rows, np.frombuffer(d_rows, np.int32)])
            tf = np.concatenate([tf, np.frombuffer(d_tf, np.int32).astype(np.float32)])
        if len(rows) == self._df[term_id]:  # none removed since the last compaction
            return rows, tf
        live = self._live[rows]
        return rows[live], tf[live]

    def doc_freq(self, term: str) -> int:
        term_id = self._term_id.get(term)
        return 0 if term_id is None else int(self._df[term_id])

    def idf(self, term: str) -> float:
        return float(idf(self.doc_freq(term), max(len(self), 1)))

    def scores(self, tokens: Sequence[str], *, max_terms: int | None = None) -> BM25Scores:
        """Normalised BM25 (0..1) of every document for these query tokens. With `max_terms`,
        a longer query (a whole document used as one) is scored on only its `max_terms` most
        telling words, by tf·idf as Lucene's MoreLikeThis does: the common words it drops
        have the longest postings and add least (decision 0008, "Re-matching")."""
        totals = np.zeros(len(self._ids), np.float64)
        n = len(self._row_of)
        if not n:
            return BM25Scores(self._ids, self._row_of, totals)
        avg_len = self._total_len / n
        counts = Counter(tokens)  # a repeated word counts once in the score
        terms = list(counts)
        freqs = np.array([self.doc_freq(t) for t in terms], np.float64)
        idfs = dict(zip(terms, idf(freqs, n).tolist(), strict=True))
        if max_terms is not None and len(terms) > max_terms:
            known = [t for t in terms if self.doc_freq(t)]  # as MoreLikeThis: none unseen
            terms = sorted(known, key=lambda t: (-counts[t] * idfs[t], t))[:max_terms]
        bound = max_score([idfs[t] for t in terms], self.params)
        if bound <= 0:
            return BM25Scores(self._ids, self._row_of, totals)
        for term in terms:
            rows, tf = self._postings(term)
            if len(rows):  # rows are distinct within a term
                totals[rows] += term_scores(
                    tf, self._length[rows], avg_len, idfs[term], self.params
                )
        return BM25Scores(self._ids, self._row_of, totals / bound, idfs)

    def score_tokens(
        self,
        tokens: Sequence[str],
        *,
        allowed: Iterable[str] | None = None,
        max_terms: int | None = None,
    ) -> dict[str, float]:
        """Normalised BM25 (0..1) of every document sharing a term with the query."""
        return self.scores(tokens, max_terms=max_terms).as_dict(allowed)

    def search(
        self, text: str, k: int, *, allowed: Iterable[str] | None = None
    ) -> list[LexicalHit]:
        allowed_set = None if allowed is None else set(allowed)
        return self.scores(self.tokenizer(text)).best(k, allowed_set)


_NO_ROWS = np.zeros(0, np.int32)
_NO_TF = np.zeros(0, np.float32)


# --- cross-language cues -------------------------------------------------------------------------

# How much one shared cue says, by kind. A measure with its unit or a standard number is
# nearly unique to a technology; a bare number or a common Latin word much less so.
CUE_WEIGHTS: Mapping[str, float] = {
    "measure": 1.0,
    "number": 0.35,
    "code": 0.8,
    "name": 0.6,
}


def cue_kind(key: str) -> str:
    """The kind of a cue key made by matching.text: "name:…"/"place:…", measures, codes."""
    if key.startswith(("name:", "place:")):
        return "name"
    if key.endswith("%"):
        return "measure"
    head, _, unit = key.partition(" ")
    if head.replace(".", "", 1).isdigit():
        return "measure" if unit else "number"
    return "code"


def cue_score(shared: Iterable[str], *, rarity: Mapping[str, float] | None = None) -> float:
    """0..1 from the cues two documents share: 1 - exp(-Σ weight), each cue's weight scaled by
    its rarity in the corpus (1 when unknown), so a few strong cues saturate it."""
    total = 0.0
    for key in shared:
        total += CUE_WEIGHTS[cue_kind(key)] * (rarity.get(key, 1.0) if rarity else 1.0)
    return 1.0 - math.exp(-total)


class CueIndex:
    """Which documents carry which cue keys; gives rarity weights and cue-based candidates."""

    def __init__(self) -> None:
        # key -> its documents: the id itself while only one has it (most cues are rare, and
        # a set of one took 216 bytes), a set from the second on
        self._docs: dict[str, str | set[str]] = {}
        self._keys: dict[str, tuple[str, ...]] = {}  # doc id -> its keys (a tuple: 1/5 the bytes)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, doc_id: str, keys: Iterable[str]) -> None:
        self.remove([doc_id])
        unique = tuple(sorted(set(map(sys.intern, keys))))  # one string per key in the process
        self._keys[doc_id] = unique
        for key in unique:
            docs = self._docs.get(key)
            if docs is None:
                self._docs[key] = doc_id
            elif isinstance(docs, str):
                self._docs[key] = {docs, doc_id}
            else:
                docs.add(doc_id)

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            for key in self._keys.pop(doc_id, ()):
                docs = self._docs[key]
                if isinstance(docs, str):
                    del self._docs[key]
                    continue
                docs.discard(doc_id)
                if len(docs) == 1:
                    self._docs[key] = next(iter(docs))

    def keys(self, doc_id: str) -> tuple[str, ...]:
        return self._keys.get(doc_id, ())

    def _documents(self, key: str) -> AbstractSet[str] | tuple[str, ...]:
        docs = self._docs.get(key, ())
        return (docs,) if isinstance(docs, str) else docs

    def state(self) -> tuple[Any, ...]:
        """Everything indexed, as plain dicts, sets and tuples (marshal-able), for a snapshot."""
        return (self._docs, self._keys)

    def restore_state(self, state: tuple[Any, ...]) -> None:
        docs, keys = state
        self._docs = docs
        self._keys = keys

    def rarity(self, keys: Iterable[str]) -> dict[str, float]:
        """1 for a cue in at most one document, falling with its document frequency
        (idf relative to the maximum), so "2024" in half the corpus counts for little."""
        n = max(len(self._keys), 2)
        top = math.log1p(n)
        return {k: math.log1p(n / max(len(self._documents(k)), 1)) / top for k in keys}

    def candidates(self, keys: Iterable[str], *, limit: int = 200) -> list[str]:
        """Documents sharing the most (rarity-weighted) cues with `keys`."""
        keys = list(keys)
        weights = self.rarity(keys)
        totals: dict[str, float] = {}
        for key in keys:
            docs = self._documents(key)
            if len(docs) > limit:  # too common to point anywhere
                continue
            w = CUE_WEIGHTS[cue_kind(key)] * weights[key]
            for doc_id in docs:
                totals[doc_id] = totals.get(doc_id, 0.0) + w
        return [d for d, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
