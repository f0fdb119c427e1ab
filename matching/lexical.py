"""Keyword evidence: BM25 within one language, and cues that cross languages.

In the bm25s shape: scoring is pure functions over numpy arrays; the index only keeps
postings and calls them; tokenizers are injected (one per language).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

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


class BM25Index:
    """BM25 over the documents of one language, with incremental add and remove."""

    def __init__(self, tokenizer: Tokenizer, params: BM25Params | None = None) -> None:
        self.tokenizer = tokenizer
        self.params = params or BM25Params()
        self._postings: dict[str, dict[str, int]] = {}  # term -> doc id -> tf
        self._lengths: dict[str, int] = {}
        self._terms: dict[str, tuple[str, ...]] = {}  # doc id -> its distinct terms
        self._total_len = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._lengths

    def add(self, doc_id: str, tokens: Sequence[str]) -> None:
        """Index pre-tokenized text (replacing any previous version of the document)."""
        self.remove([doc_id])
        counts = Counter(tokens)
        for term, count in counts.items():
            self._postings.setdefault(term, {})[doc_id] = count
        self._terms[doc_id] = tuple(counts)
        self._lengths[doc_id] = len(tokens)
        self._total_len += len(tokens)

    def add_text(self, doc_id: str, text: str) -> None:
        self.add(doc_id, self.tokenizer(text))

    def state(self) -> tuple[Any, ...]:
        """Everything indexed, as plain dicts (marshal-able), for a snapshot."""
        return (self._postings, self._lengths, self._terms, self._total_len)

    def restore_state(self, state: tuple[Any, ...]) -> None:
        postings, lengths, terms, total = state
        self._postings = postings
        self._lengths = lengths
        self._terms = terms
        self._total_len = int(total)

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            length = self._lengths.pop(doc_id, None)
            if length is None:
                continue
            self._total_len -= length
            for term in self._terms.pop(doc_id):
                del self._postings[term][doc_id]
                if not self._postings[term]:
                    del self._postings[term]

    def idf(self, term: str) -> float:
        return float(idf(len(self._postings.get(term, ())), max(len(self), 1)))

    def score_tokens(
        self, tokens: Sequence[str], *, allowed: Iterable[str] | None = None
    ) -> dict[str, float]:
        """Normalised BM25 (0..1) of every document sharing a term with the query."""
        if not self._lengths:
            return {}
        terms = list(dict.fromkeys(tokens))  # a repeated query word counts once
        n = len(self._lengths)
        avg_len = self._total_len / n
        idfs = [float(idf(len(self._postings.get(t, ())), n)) for t in terms]
        bound = max_score(idfs, self.params)
        if bound <= 0:
            return {}
        allowed_set = set(allowed) if allowed is not None else None
        totals: dict[str, float] = {}
        for term, term_idf in zip(terms, idfs, strict=True):
            docs = self._postings.get(term)
            if not docs:
                continue
            ids = [d for d in docs if allowed_set is None or d in allowed_set]
            if not ids:
                continue
            tf = np.fromiter((docs[d] for d in ids), dtype=np.float64, count=len(ids))
            lengths = np.fromiter((self._lengths[d] for d in ids), np.float64, count=len(ids))
            for doc_id, s in zip(
                ids, term_scores(tf, lengths, avg_len, term_idf, self.params), strict=True
            ):
                totals[doc_id] = totals.get(doc_id, 0.0) + float(s)
        return {doc_id: s / bound for doc_id, s in totals.items()}

    def search(
        self, text: str, k: int, *, allowed: Iterable[str] | None = None
    ) -> list[LexicalHit]:
        scores = self.score_tokens(self.tokenizer(text), allowed=allowed)
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [LexicalHit(doc_id, s) for doc_id, s in best]


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
        self._docs: dict[str, set[str]] = {}  # key -> doc ids
        self._keys: dict[str, frozenset[str]] = {}  # doc id -> keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, doc_id: str, keys: Iterable[str]) -> None:
        self.remove([doc_id])
        frozen = frozenset(keys)
        self._keys[doc_id] = frozen
        for key in frozen:
            self._docs.setdefault(key, set()).add(doc_id)

    def remove(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            for key in self._keys.pop(doc_id, frozenset()):
                docs = self._docs[key]
                docs.discard(doc_id)
                if not docs:
                    del self._docs[key]

    def keys(self, doc_id: str) -> frozenset[str]:
        return self._keys.get(doc_id, frozenset())

    def state(self) -> tuple[Any, ...]:
        """Everything indexed, as plain dicts and sets (marshal-able), for a snapshot."""
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
        return {k: math.log1p(n / max(len(self._docs.get(k, ())), 1)) / top for k in keys}

    def candidates(self, keys: Iterable[str], *, limit: int = 200) -> list[str]:
        """Documents sharing the most (rarity-weighted) cues with `keys`."""
        keys = list(keys)
        weights = self.rarity(keys)
        totals: dict[str, float] = {}
        for key in keys:
            docs = self._docs.get(key, ())
            if len(docs) > limit:  # too common to point anywhere
                continue
            w = CUE_WEIGHTS[cue_kind(key)] * weights[key]
            for doc_id in docs:
                totals[doc_id] = totals.get(doc_id, 0.0) + w
        return [d for d, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
