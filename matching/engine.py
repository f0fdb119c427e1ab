"""The engine: documents in, ranked explained matches out. The one thing the app calls.

Scoring, per candidate (docs/matching.md has the measurements behind each choice):

1. semantic: cosine of document vectors, then calibrated per language pair,
   (cos - offset[a, b]) / scale[a, b], so that 0 ≈ an unrelated pair and 1 ≈ a related pair
   whichever two languages are involved. Raw cosines favour same-language pairs (a related
   zh-zh pair scores ~0.67, the same relation zh-ru ~0.53); without this, a Russian request
   would see Russian offers first. Before calibration the candidate's cosine loses its hubness
   penalty (CSLS, matching/hubness.py): 0.5 × (its mean cosine to its 10 nearest documents in
   the query's language − that mean over the candidate's language), so a document near
   everything the query's language says stops outranking the real answer.
2. lexical: BM25 (normalised to 0..1) when both texts share a language, and cues that
   cross languages (numbers with units, codes, names), each with a modest weight.
3. quality: a logistic map of the fused score to 0..100 (50 at `midpoint`).

Ties are broken by document id, so equal inputs always give equal output.
"""

from __future__ import annotations

import hashlib
import io
import json
import marshal
import math
import re
import sys
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar

import numpy as np

from matching import storage
from matching.embedders import DEFAULT_MODEL, Embedder, get_embedder
from matching.hubness import Neighbourhoods, Owner, top_hits
from matching.index import DEFAULT_ANN_THRESHOLD, Hit, VectorIndex, check_model
from matching.lexical import BM25Index, BM25Scores, CueIndex, cue_kind, cue_score
from matching.text import (
    PASSAGE_MAX_CHARS,
    Mention,
    Term,
    analyze,
    detect_language,
    extract_codes,
    extract_names,
    extract_numbers,
    split_passages,
    tokenizer_for,
    unique,
)
from matching.types import (
    LANGUAGES,
    AlignedPassage,
    Document,
    Explanation,
    Filters,
    Language,
    Match,
)

FORMAT = "qiao-matching-engine/1"
SNAPSHOT_FORMAT = "qiao-matching-snapshot/3"
DocVector = Literal["text", "passages", "both"]
# The vector index's row label of each language, so that a search within one needs no filter.
_LABEL: Mapping[str, int] = {lang: n for n, lang in enumerate(LANGUAGES)}
# Documents an engine with a DetailLoader keeps after loading them (≈ 55 KB each with their
# passage vectors): decoding a result's stored state cost a search ≈ 0.15 ms per result.
RECENT_DETAILS = 512
# Query texts an engine keeps analysed (their vectors, keywords, cues): a next page, another
# filter or a refresh repeats a query, and analysing it again cost the request ≈ 14 ms of CPU.
RECENT_QUERIES = 256
NEIGHBOUR_EF = 128  # efSearch of the hubness neighbour searches (a query's: EF_SEARCH)
# (offset, scale) per unordered language pair, so that (cosine - offset) / scale ≈ graded
# similarity / 5 whichever two languages are involved: offset = the expected cosine of an
# unrelated pair (STS grade 0), scale = how much a grade-5 pair adds. Fitted by least squares
# of cosine on grade over the STS-B dev pairs in every language pair (0004-engine-scoring.md,
# `python -m matching fit-sts ../shared/benchmarks/sts/stsb-multi-mt`).
PAIR_CALIBRATION: Mapping[frozenset[str], tuple[float, float]] = {
    frozenset({"en"}): (0.225, 0.706),
    frozenset({"ru"}): (0.176, 0.693),
    frozenset({"zh"}): (0.235, 0.668),
    frozenset({"en", "ru"}): (0.189, 0.567),
    frozenset({"en", "zh"}): (0.204, 0.528),
    frozenset({"ru", "zh"}): (0.188, 0.488),
}
_UNKNOWN_PAIR = (0.194, 0.528)  # query language unknown: the cross-language average


@dataclass(frozen=True)
class Scoring:
    """Weights and mappings of the fused score; the defaults are what docs/matching.md measured."""

    bm25_weight: float = 0.15
    cue_weight: float = 0.15
    midpoint: float = 0.5  # calibrated score that maps to quality 50
    spread: float = 0.15  # logistic width of the quality map
    calibrate: bool = True
    # Hubness reduction, CSLS (matching/hubness.py): the cosine of a candidate loses
    # hub_weight × (its mean cosine to its hub_neighbours nearest documents in the query's
    # language − that mean over the candidate's language), once both languages have
    # hub_min_docs documents (docs/decisions/0007-csls-toward-the-query-language.md).
    hub_weight: float = 0.5
    hub_neighbours: int = 10
    hub_min_docs: int = 100
    doc_vector: DocVector = "both"
    candidates: int = 50  # per source (vectors, BM25, cues), at least 5·k
    # A longer query (a profile matched as a whole) is scored by BM25 on only this many of its
    # words, the most telling by tf·idf (Lucene's MoreLikeThis keeps 25): the rest are
    # common words whose long postings cost the most and say the least.
    bm25_query_terms: int | None = 32
    passages_shown: int = 3
    terms_shown: int = 10


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything derived from a document's text, computed once and stored with it, so an
    explanation never has to re-embed a candidate."""

    passages: tuple[str, ...]
    passage_vectors: np.ndarray  # one unit row per passage
    vector: np.ndarray  # the document vector (unit)
    tokens: tuple[str, ...]  # keyword keys for BM25
    # keyword key -> first surface form; a key written as itself may be missing (a restored
    # analysis keeps only the others), so read it with .get(key, key)
    surfaces: Mapping[str, str]
    cues: tuple[Mention, ...]  # numbers, codes, names (unique keys)

    def shared(self) -> Analysis:
        """The same analysis with one copy per process of each token string (sys.intern) and
        surfaces only where they differ from the key. Stored documents repeat the same words:
        a profile's ~250 tokens took 19 KB as strings of their own and 3.7 KB shared, and a
        snapshot (marshal) then writes each string once."""
        return replace(
            self,
            tokens=tuple(map(sys.intern, self.tokens)),
            surfaces={sys.intern(k): v for k, v in self.surfaces.items() if k != v},
        )


# ids -> each document and its whole analysis (passages included), for an engine that keeps
# in memory only what ranking reads (decision 0008, "Lean entries"): explanations, `get` and
# `analysis` load their documents through it. An id it no longer finds is left out.
DetailLoader = Callable[[Sequence[str]], Mapping[str, tuple[Document, Analysis]]]


class _Entry:
    """What ranking reads of an indexed document, apart from its vector (the vector index
    holds that: a second float32 copy was 2 KB a document). The document and its analysis
    (`details`) stay only in an engine without a DetailLoader: fields, keywords, surfaces
    and cues took ≈ 7 KB of a profile's ≈ 20 KB in memory, and only explanations read them."""

    __slots__ = ("attributes", "details", "digest", "language")

    def __init__(
        self,
        language: Language,
        attributes: tuple[tuple[str, str], ...],
        digest: bytes,
        details: tuple[Document, Analysis] | None,
    ) -> None:
        self.language = language
        self.attributes = attributes  # (name, value) pairs, for the facets
        self.digest = digest  # document_digest: `match` reuses the analysis of an equal document
        self.details = details


def document_identity(document: Document) -> list[Any]:
    """Everything indexing reads from a document, as JSON-able values in a fixed order."""
    return [
        document.id,
        document.language,
        list(document.fields.items()),
        sorted((k, sorted(v)) for k, v in document.attributes.items()),
    ]


def document_digest(document: Document) -> bytes:
    """16 bytes, equal for equal documents (id, language, fields and attributes)."""
    body = json.dumps(document_identity(document), ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(body.encode("utf-8"), digest_size=16).digest()


def _attribute_pairs(document: Document) -> tuple[tuple[str, str], ...]:
    return tuple(
        (sys.intern(name), sys.intern(value))
        for name, values in document.attributes.items()
        for value in sorted(values)
    )


MAX_PASSAGES = 64
_INLINE_LEXICAL_CHARS = 1000  # less text than this is analysed without a second thread
# Each script's analysis paths: a person's and an organisation's name, a place, a Traditional
# character, a standard, a measure, a code.
_WARM_UP_TEXTS: dict[Language, str] = {
    "zh": "王建国教授与中国科学院在哈尔滨合作研发臺式5G传感器，符合GB/T 19001标准，精度0.5毫米。",
    "ru": "Профессор Иванов из Томского университета в Харбине: датчик 5G по ГОСТ Р 51321.1, "
    "точность 0,5 мм.",
    "en": "Professor Smith of Harbin Institute of Technology: a 5G sensor to ISO 9001, "
    "accuracy 0.5 mm.",
}
MAX_TEXT_CHARS = 8000  # for the whole-text embedding; passages cover the rest


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else v.astype(np.float32)


def document_passages(document: Document) -> list[str]:
    """Passages field by field (a title stays a passage of its own), at most MAX_PASSAGES."""
    out: list[str] = []
    for value in document.fields.values():
        if value and value.strip():
            out.extend(split_passages(value, document.language))
    return out[:MAX_PASSAGES] or [document.text.strip() or "-"]


_SPACES = re.compile(r"\s+")


def _embed_once(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """`embedder.embed(texts)`, embedding each distinct text once: a one-sentence document's
    only passage is its whole text, which would otherwise cost a second embedding."""
    keys = [_SPACES.sub(" ", t).strip() for t in texts]
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    if len(first) == len(texts):
        return embedder.embed(texts)
    unique_vectors = embedder.embed([texts[i] for i in first.values()])
    row = {key: j for j, key in enumerate(first)}
    return unique_vectors[[row[key] for key in keys]]


def _short(document: Document) -> bool:
    """Text that fits in one passage: the model reads it whole, and averaging in its
    sentences only adds noise (0004-engine-scoring.md)."""
    return len(document.text.strip()) <= PASSAGE_MAX_CHARS[document.language]


def _lexical(documents: Sequence[Document]) -> list[tuple[list[Term], tuple[Mention, ...]]]:
    """Keyword terms and cues of each document."""
    return [(analyze(d.text, d.language), _cues(d.text, d.language)) for d in documents]


def _cues(text: str, language: Language) -> tuple[Mention, ...]:
    mentions = extract_numbers(text, language) + extract_codes(text, language)
    return tuple(unique(mentions + extract_names(text, language)))


_K = TypeVar("_K")
_V = TypeVar("_V")


class _Recent(OrderedDict[_K, _V]):
    """A map that lets its least recently used keys go beyond `limit`; the caller locks."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def touch(self, key: _K) -> _V | None:
        """The value, now the most recently used; None when not kept."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def keep(self, key: _K, value: _V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


@dataclass
class _Candidate:
    doc_id: str
    semantic: float = 0.0
    calibrated: float = 0.0
    bm25: float = 0.0
    cue: float = 0.0
    shared_cues: tuple[str, ...] = ()
    fused: float = 0.0


class Engine:
    """Cross-lingual matching over an in-memory index that can be saved and loaded.

    Thread-safe: one lock guards the state; embedding happens outside it, so a long upsert
    does not block searches for the whole time it embeds. With `details`, the engine keeps in
    memory only what ranking reads and loads the rest (DetailLoader) for the documents it
    explains or returns."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        scoring: Scoring | None = None,
        details: DetailLoader | None = None,
    ) -> None:
        self.embedder = embedder
        self._load_details = details
        # the documents loaded last (a search's results repeat), dropped when they change
        self._recent: _Recent[str, tuple[Document, Analysis]] = _Recent(RECENT_DETAILS)
        self._queries: _Recent[tuple[Language, str], Analysis] = _Recent(RECENT_QUERIES)
        self._queries_lock = threading.Lock()  # not the engine's: a write may hold that one
        self.model_name = embedder.name
        self.scoring = scoring or Scoring()
        self._index = VectorIndex(embedder.dim, embedder.name, ann_threshold=ann_threshold)
        self._entries: dict[str, _Entry] = {}
        self._bm25 = _keyword_indexes()
        self._cues = CueIndex()
        self._facets: dict[str, dict[str, set[str]]] = {}  # attribute -> value -> ids
        self._by_language: dict[Language, set[str]] = {lang: set() for lang in LANGUAGES}
        self._hubs = Neighbourhoods(self.scoring.hub_neighbours)
        self._hub_new: dict[str, Language] = {}  # written since the last neighbourhood update
        self._hub_stale: set[Owner] = set()  # lists naming a document that left or changed
        # Searches and short writes take `_lock`. Writers also take `_write_lock`, one at a
        # time, so that the long part of a write (a vector index rebuild, a keyword index
        # compaction) can read the current state without `_lock` while searches go on.
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()

    @classmethod
    def open(
        cls,
        path: Path | None,
        model: str = DEFAULT_MODEL,
        *,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        scoring: Scoring | None = None,
    ) -> Engine:
        """The engine saved at `path`, or an empty one when nothing is saved there.
        Refuses (IndexMismatchError) an index built with another model."""
        if path is not None:
            manifest = storage.read_manifest(path)
            if manifest is not None:
                check_model(str(manifest.get("model")), model, where=f"the index at {path}")
        engine = cls(get_embedder(model), ann_threshold=ann_threshold, scoring=scoring)
        if path is not None and storage.read_manifest(path) is not None:
            storage.load(path, engine._read)
        return engine

    # --- contents ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._entries

    def get(self, doc_id: str) -> Document | None:
        details = self._details([doc_id]).get(doc_id)
        return details[0] if details else None

    def analysis(self, doc_id: str) -> Analysis | None:
        """What `analyze` derived from an indexed document when it was written."""
        details = self._details([doc_id]).get(doc_id)
        return details[1] if details else None

    def _details(
        self, ids: Sequence[str], *, indexed: bool = False
    ) -> dict[str, tuple[Document, Analysis]]:
        """These indexed documents with their analyses: kept, recently loaded, or loaded now
        (outside the lock: the loader may read a store). Ids not indexed, or not found, are
        left out; with `indexed`, so is a loaded version the engine did not index (the store
        may be a change ahead)."""
        found: dict[str, tuple[Document, Analysis]] = {}
        missing: list[str] = []
        with self._lock:
            for doc_id in ids:
                entry = self._entries.get(doc_id)
                if entry is None:
                    continue
                details = entry.details or self._recent.touch(doc_id)
                if details is None:
                    missing.append(doc_id)
                    continue
                found[doc_id] = details
        if not missing or self._load_details is None:
            return found
        loaded = self._load_details(missing)
        digests = {i: document_digest(loaded[i][0]) for i in missing if i in loaded}
        with self._lock:
            for doc_id, digest in digests.items():
                entry = self._entries.get(doc_id)
                if entry is not None and entry.digest == digest:  # kept: the version indexed
                    self._recent.keep(doc_id, loaded[doc_id])
                elif indexed:
                    continue
                found[doc_id] = loaded[doc_id]
        return found

    def ids(self) -> list[str]:
        with self._lock:
            return sorted(self._entries)

    @property
    def index_kind(self) -> str:
        return self._index.kind

    # --- analysis ----------------------------------------------------------------------------

    def analyze(self, documents: Sequence[Document]) -> list[Analysis]:
        """Passages, vectors, keywords and cues of each document (embeds in batches)."""
        passages = [document_passages(d) for d in documents]
        texts = [t for p in passages for t in p]
        mode = self.scoring.doc_vector
        whole = [d.text[:MAX_TEXT_CHARS] or "-" for d in documents] if mode != "passages" else []
        # Keywords and cues are pure Python; the model releases the GIL while it runs, so they
        # are computed in a second thread meanwhile (0004-engine-scoring.md, "Throughput"),
        # unless the text is short (a query): starting that thread took longer than they do.
        if sum(len(t) for t in texts) < _INLINE_LEXICAL_CHARS:
            terms_and_cues = _lexical(documents)
            vectors = _embed_once(self.embedder, texts + whole)
        else:
            with ThreadPoolExecutor(max_workers=1) as pool:
                lexical = pool.submit(_lexical, documents)
                vectors = _embed_once(self.embedder, texts + whole)
                terms_and_cues = lexical.result()
        passage_vectors, text_vectors = vectors[: len(texts)], vectors[len(texts) :]
        out = []
        start = 0
        for i, (document, parts, (terms, cues)) in enumerate(
            zip(documents, passages, terms_and_cues, strict=True)
        ):
            pv = passage_vectors[start : start + len(parts)]
            start += len(parts)
            if mode == "text" or (mode == "both" and _short(document)):
                vector = text_vectors[i]
            elif mode == "passages":
                vector = _unit(pv.mean(axis=0))
            else:
                vector = _unit(text_vectors[i] + _unit(pv.mean(axis=0)))
            surfaces: dict[str, str] = {}
            for term in terms:
                surfaces.setdefault(term.key, term.surface)
            out.append(
                Analysis(
                    passages=tuple(parts),
                    passage_vectors=np.ascontiguousarray(pv, dtype=np.float32),
                    vector=np.ascontiguousarray(vector, dtype=np.float32),
                    tokens=tuple(t.key for t in terms),
                    surfaces=surfaces,
                    cues=cues,
                )
            )
        return out

    @staticmethod
    def warm_up() -> None:
        """Load now what keyword and cue analysis loads on first use: the segmenter's
        dictionaries, the transliteration tables, the stemmers (the model is not run). A
        process can then freeze them with its other long-lived state (gc.freeze): left for the
        first search, pypinyin's tables alone added 200,000 objects that every full collection
        walked, with all threads stopped (50–130 ms a time at 100k)."""
        _lexical(
            [
                Document(id="", language=language, fields={"text": text})
                for language, text in _WARM_UP_TEXTS.items()
            ]
        )

    # --- writes ------------------------------------------------------------------------------

    def upsert(self, docs: Sequence[Document]) -> None:
        """Add documents, replacing any with the same id (the last one wins in a batch)."""
        latest = {d.id: d for d in docs}
        documents = list(latest.values())
        if not documents:
            return
        self.put(documents, self.analyze(documents))  # analyse outside the lock: it embeds

    def put(self, documents: Sequence[Document], analyses: Sequence[Analysis]) -> None:
        """Add documents analysed beforehand (by `analyze`, or decoded from a store by
        matching.state), replacing any with the same id: no embedding, so a process can
        take in what another one analysed."""
        if len(documents) != len(analyses):
            raise ValueError(f"{len(documents)} documents but {len(analyses)} analyses")
        if not documents:
            return
        if len({d.id for d in documents}) != len(documents):
            raise ValueError("put: a document id occurs twice")
        # Prepared outside the lock, so that searches wait only for the index's own changes.
        ids = [d.id for d in documents]
        vectors = np.vstack([a.vector for a in analyses])
        labels = [_LABEL[d.language] for d in documents]
        entries = [self._entry(d, a) for d, a in zip(documents, analyses, strict=True)]
        with self._write_lock:
            # The vector index first, under its own lock (a rebuild there must not stop the
            # searches); until the rest is written, ranking skips these ids (no entries) or
            # scores a replaced one's new vector with its old keywords.
            self._index.add(ids, vectors, model=self.model_name, labels=labels)
            with self._lock:
                self._forget(ids)
                for document, analysis, entry in zip(documents, analyses, entries, strict=True):
                    self._remember(document, analysis, entry)
                if self.scoring.hub_weight:
                    self._hub_stale |= self._hubs.forget(ids)
                    self._hub_new.update((d.id, d.language) for d in documents)
            self._compact_keywords()

    def remove(self, ids: Iterable[str]) -> None:
        """Forget documents; unknown ids are ignored."""
        ids = [i for i in ids if i in self._entries]
        with self._write_lock:
            with self._lock:
                self._forget(ids)
                if self.scoring.hub_weight:
                    self._hub_stale |= self._hubs.forget(ids)
                    for doc_id in ids:
                        self._hub_new.pop(doc_id, None)
            self._index.remove(ids)  # after the entries: ranking never asks for a removed id
            self._compact_keywords()

    def _compact_keywords(self) -> None:
        """Compact a keyword index that is due (seconds at several 100k documents), computed
        outside the lock searches take: the caller holds `_write_lock`, so nothing else
        changes the index meanwhile."""
        for index in self._bm25.values():
            if index.compaction_due():
                compacted = index.compaction()
                with self._lock:
                    index.adopt(compacted)

    def update_neighbourhoods(self) -> int:
        """Bring the hubness neighbour lists up to date with the writes since the last update
        (matching/hubness.py); returns how many documents that took. Every read that scores
        calls it first, so it only needs calling to take the work off the next read: the
        background step after a batch of writes."""
        with self._lock:
            if not self._hub_new and not self._hub_stale:
                return 0
            new = self._hub_new
            stale = {owner for owner in self._hub_stale if owner[0] not in new}
            self._hub_new, self._hub_stale = {}, set()
            matrices: dict[Language, tuple[list[str], np.ndarray]] = {}  # for this update

            def search(ids: Sequence[str], k: int, language: Language) -> list[list[Hit]]:
                return self._neighbour_search(ids, k, language, matrices)

            def dense(
                ids: Sequence[str], language: Language
            ) -> tuple[np.ndarray, list[str]] | None:
                return self._language_similarities(ids, language, matrices)

            self._hubs.add(new, search, dense)
            self._hubs.refresh(stale, search)
            return len(new) + len(stale)

    def _neighbour_search(
        self,
        ids: Sequence[str],
        k: int,
        language: Language,
        matrices: dict[Language, tuple[list[str], np.ndarray]],
    ) -> list[list[Hit]]:
        """The k nearest indexed documents of `language` to each of these indexed documents
        (of any language)."""
        block = self._language_similarities(ids, language, matrices)
        if block is not None:
            return top_hits(block[0], block[1], k)
        vectors = self._index.vectors(ids)
        # The lists feed a mean: a rougher graph search than a query's is enough.
        return self._index.search(vectors, k, label=_LABEL[language], ef=NEIGHBOUR_EF)

    def _language_similarities(
        self,
        ids: Sequence[str],
        language: Language,
        matrices: dict[Language, tuple[list[str], np.ndarray]],
    ) -> tuple[np.ndarray, list[str]] | None:
        """Cosines of these documents to every document of `language`, while the index is
        exact (one matrix product; beyond, the graph search answers instead). `matrices`
        keeps each language's rows for the rest of one update (nothing is written meanwhile)."""
        if self._index.kind != "exact":
            return None
        if language not in matrices:
            others = sorted(self._by_language[language])
            matrices[language] = (others, self._index.vectors(others))
        others, matrix = matrices[language]
        if not others:
            return np.zeros((len(ids), 0), np.float32), others
        queries = self._index.vectors(ids)
        # One BLAS thread: with two, on two cores shared with the model's threads, the product
        # took twice the wall time and CPU (0005-embedding-and-hubness.md).
        with _blas_limit():
            return queries @ matrix.T, others

    def _entry(self, document: Document, analysis: Analysis) -> _Entry:
        details = None if self._load_details else (document, analysis.shared())
        return _Entry(
            document.language, _attribute_pairs(document), document_digest(document), details
        )

    def _remember(self, document: Document, analysis: Analysis, entry: _Entry) -> None:
        self._entries[document.id] = entry
        self._by_language[document.language].add(document.id)
        self._bm25[document.language].add(document.id, analysis.tokens)
        self._cues.add(document.id, (m.key for m in analysis.cues))
        for name, value in entry.attributes:
            self._facets.setdefault(name, {}).setdefault(value, set()).add(document.id)

    def _forget(self, ids: Iterable[str]) -> None:
        for doc_id in ids:
            entry = self._entries.pop(doc_id, None)
            if entry is None:
                continue
            self._recent.pop(doc_id, None)
            self._by_language[entry.language].discard(doc_id)
            self._bm25[entry.language].remove([doc_id])
            self._cues.remove([doc_id])
            for name, value in entry.attributes:
                self._facets.get(name, {}).get(value, set()).discard(doc_id)

    # --- reads -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        language: Language | None = None,
        filters: Filters | None = None,
        k: int = 10,
    ) -> list[Match]:
        """Documents in any language that match a query written in any of zh, ru, en."""
        if not query.strip() or k <= 0:
            return []
        lang = language or detect_language(query)
        return self._rank(self._analyze_query(query, lang or "en"), lang, filters, k, exclude=None)

    def _analyze_query(self, query: str, language: Language) -> Analysis:
        """The query's analysis, kept for the next RECENT_QUERIES distinct queries: it depends
        only on the text, its language and the model, never on what is indexed."""
        key = (language, query)
        with self._queries_lock:
            analysis = self._queries.touch(key)
        if analysis is None:
            probe = Document(id="", language=language, fields={"query": query})
            analysis = self.analyze([probe])[0]
            with self._queries_lock:
                self._queries.keep(key, analysis)
        return analysis

    def match(
        self, document: Document, *, filters: Filters | None = None, k: int = 10
    ) -> list[Match]:
        """The best matches for a document, which need not be indexed; never itself."""
        if k <= 0:
            return []
        digest = document_digest(document)
        with self._lock:
            stored = self._entries.get(document.id)
        details = None
        if stored is not None and stored.digest == digest:
            details = self._details([document.id], indexed=True).get(document.id)
        analysis = details[1] if details else self.analyze([document])[0]
        return self._rank(analysis, document.language, filters, k, exclude=document.id)

    def match_analyzed(
        self,
        analysis: Analysis,
        language: Language | None,
        *,
        filters: Filters | None = None,
        k: int = 10,
        exclude: str | None = None,
    ) -> list[Match]:
        """`match` for a text analysed beforehand with `analyze` (many queries can then be
        embedded in one batch); `exclude` is an id never to return."""
        if k <= 0:
            return []
        return self._rank(analysis, language, filters, k, exclude=exclude)

    def scores(
        self,
        query: Analysis,
        language: Language | None,
        among: Collection[str] | None = None,
    ) -> dict[str, float]:
        """The fused score of every indexed document (or of those `among` these ids) for an
        analysed query, without candidate selection or explanations: for evaluation and
        tuning."""
        with self._lock:
            self.update_neighbourhoods()
            allowed = None if among is None else [d for d in among if d in self._entries]
            bm25 = (
                self._bm25[language].score_tokens(
                    query.tokens, allowed=allowed, max_terms=self.scoring.bm25_query_terms
                )
                if language
                else {}
            )
            query_keys = frozenset(m.key for m in query.cues)
            rarity = self._cues.rarity(query_keys)
            ids = list(self._entries if allowed is None else allowed)
            return {
                doc_id: self._score(
                    query, language, doc_id, cosine, bm25.get(doc_id, 0.0), query_keys, rarity
                ).fused
                for doc_id, cosine in zip(ids, self._cosines(query.vector, ids), strict=True)
            }

    def _cosines(self, vector: np.ndarray, ids: Sequence[str]) -> list[float]:
        """The cosine of a unit query vector to each of these indexed documents. Row by row
        (a product and a sum per row, not one matrix product, whose rounding depends on how
        many rows it is given): a document's score never depends on the other candidates."""
        cosines: list[float] = []
        for start in range(0, len(ids), _COSINE_BLOCK):
            rows = self._index.vectors(ids[start : start + _COSINE_BLOCK])
            cosines.extend((rows * vector).sum(axis=1, dtype=np.float32).tolist())
        return cosines

    def _allowed(self, filters: Filters | None) -> AbstractSet[str] | None:
        """The ids the filters let through; read-only: a single facet value's own set, not a
        copy (copying half the index, e.g. one kind of profile, cost ≈ 2 ms at 100k)."""
        if not filters:
            return None
        allowed: AbstractSet[str] | None = None
        for name, values in filters.items():
            facet = self._facets.get(name, {})
            sets = [facet.get(value, _NOTHING) for value in values]
            ids = sets[0] if len(sets) == 1 else frozenset().union(*sets)
            allowed = ids if allowed is None else allowed & ids
        return allowed

    def _rank(
        self,
        query: Analysis,
        language: Language | None,
        filters: Filters | None,
        k: int,
        *,
        exclude: str | None,
    ) -> list[Match]:
        cfg = self.scoring
        with self._lock:
            self.update_neighbourhoods()
            allowed = self._allowed(filters)
            if allowed is not None and (not allowed or allowed == {exclude}):
                return []
            fetch = max(cfg.candidates, 5 * k) + (1 if exclude else 0)
            pool: set[str] = {h.id for h in self._index.search(query.vector, fetch, allowed)[0]}
            # A query of unknown language shares no index with anything: no keyword scores.
            bm25 = (
                self._bm25[language].scores(query.tokens, max_terms=cfg.bm25_query_terms)
                if language
                else BM25Scores.none()
            )
            pool.update(h.id for h in bm25.best(fetch, allowed))
            query_keys = frozenset(m.key for m in query.cues)
            rarity = self._cues.rarity(query_keys)
            for doc_id in self._cues.candidates(query_keys, limit=fetch):
                if allowed is None or doc_id in allowed:
                    pool.add(doc_id)
            pool.discard(exclude or "")
            pool.discard("")
            ids = [d for d in pool if d in self._entries]
            scored = [
                self._score(query, language, d, cosine, bm25.get(d), query_keys, rarity)
                for d, cosine in zip(ids, self._cosines(query.vector, ids), strict=True)
            ]
            scored.sort(key=lambda c: (-c.fused, c.doc_id))
            top = scored[:k]
            corpus = len(self._bm25[language]) if language else 0
        # Explained outside the lock: they read only the loaded details, not the index.
        details = self._details([c.doc_id for c in top])
        return [
            self._explain(query, language, c, *details[c.doc_id], bm25.idf, corpus)
            for c in top
            if c.doc_id in details  # not removed meanwhile
        ]

    def _score(
        self,
        query: Analysis,
        language: Language | None,
        doc_id: str,
        cosine: float,
        bm25: float,
        query_keys: frozenset[str],
        rarity: Mapping[str, float],
    ) -> _Candidate:
        cfg = self.scoring
        other = self._entries[doc_id].language
        adjusted = cosine - self._hub_penalty(doc_id, other, language or other)
        calibrated = calibrate(adjusted, language, other) if cfg.calibrate else adjusted
        shared = tuple(sorted(query_keys.intersection(self._cues.keys(doc_id))))
        cue = cue_score(shared, rarity=rarity)
        fused = calibrated + cfg.bm25_weight * bm25 + cfg.cue_weight * cue
        return _Candidate(doc_id, cosine, calibrated, bm25, cue, shared, fused)

    def _hub_penalty(self, doc_id: str, language: Language, toward: Language) -> float:
        """hub_weight × (the document's hubness toward the query's language `toward` − the
        mean of that over its own `language`); 0 while either language has fewer than
        hub_min_docs documents. A query of unknown language counts as the document's own."""
        cfg = self.scoring
        hub = self._hubs.hubness(doc_id, toward)
        if not cfg.hub_weight or hub is None:
            return 0.0
        if len(self._by_language[toward]) < cfg.hub_min_docs:
            return 0.0
        count, mean = self._hubs.language_mean(language, toward)
        return cfg.hub_weight * (hub - mean) if count >= cfg.hub_min_docs else 0.0

    def hub_penalties(self) -> dict[str, tuple[float, ...]]:
        """What `_score` subtracts from each indexed document's cosine, for a query in each
        language of LANGUAGES (in that order; 0: no penalty)."""
        with self._lock:
            self.update_neighbourhoods()
            return {
                doc_id: tuple(
                    self._hub_penalty(doc_id, entry.language, toward) for toward in LANGUAGES
                )
                for doc_id, entry in self._entries.items()
            }

    def hubness(self, doc_id: str, toward: Language | None = None) -> float | None:
        """Mean cosine of an indexed document to its nearest documents of `toward` (default:
        its own language)."""
        with self._lock:
            self.update_neighbourhoods()
            entry = self._entries.get(doc_id)
            if entry is None:
                return None
            return self._hubs.hubness(doc_id, toward or entry.language)

    def _explain(
        self,
        query: Analysis,
        language: Language | None,
        c: _Candidate,
        document: Document,
        target: Analysis,
        idfs: Mapping[str, float],
        corpus: int,
    ) -> Match:
        cfg = self.scoring
        passages = aligned_passages(
            query.passages,
            query.passage_vectors,
            target.passages,
            target.passage_vectors,
            limit=cfg.passages_shown,
        )
        terms: tuple[str, ...] = ()
        if language is not None and language == document.language:
            terms = self._shared_terms(query, target, language, idfs, corpus)
        mine = {m.key: m.surface for m in query.cues}
        theirs = {m.key: m.surface for m in target.cues}
        numbers = tuple(
            _pair(mine[k], theirs[k]) for k in c.shared_cues if cue_kind(k) in ("number", "measure")
        )
        names = tuple(
            _pair(mine[k], theirs[k]) for k in c.shared_cues if cue_kind(k) in ("code", "name")
        )
        lexical = 1.0 - (1.0 - c.bm25) * (1.0 - c.cue)
        explanation = Explanation(
            semantic=c.semantic,
            lexical=lexical,
            passages=passages,
            shared_terms=terms,
            shared_numbers=numbers,
            shared_names=names,
        )
        return Match(c.doc_id, quality(c.fused, cfg), explanation)

    def _shared_terms(
        self,
        query: Analysis,
        target: Analysis,
        language: Language,
        idfs: Mapping[str, float],
        corpus: int,
    ) -> tuple[str, ...]:
        """The query's rarer words the target also holds; `idfs`: of every query word,
        `corpus`: how many documents of `language` the keyword index held."""
        shared = set(query.tokens) & set(target.tokens)
        n = max(corpus, 1)
        useful = [
            t
            for t in shared
            if len(query.surfaces.get(t, t)) >= (2 if language == "zh" else 3)
            and not t.isdigit()
            and (n < 4 or idfs[t] > math.log1p(1.0))  # skip words in half the corpus
        ]
        useful.sort(key=lambda t: (-idfs[t], t))
        return tuple(query.surfaces.get(t, t) for t in useful[: self.scoring.terms_shown])

    # --- snapshots ---------------------------------------------------------------------------

    def dump(self, fh: BinaryIO) -> int:
        """Write everything this engine holds, except passages, as one zip file: a snapshot
        that `restore` loads without embedding or rebuilding anything (no graph, no
        neighbour lists, no keyword index to compute), for processes that start from a store
        (docs/decisions/0008-search-state-in-db.md). Returns how many documents it holds."""
        with self._write_lock, self._lock:  # state() compacts: no writer may be midway
            self.update_neighbourhoods()
            ids = sorted(self._entries)
            entries = [self._entries[i] for i in ids]
            plain = {
                "documents": [
                    (doc_id, e.language, e.attributes, e.digest, _plain_details(e.details))
                    for doc_id, e in zip(ids, entries, strict=True)
                ],
                "cues": self._cues.state(),
                "facets": self._facets,
            }
            hubs_plain, arrays = self._hubs.state()
            plain["hubs"] = hubs_plain
            arrays = {f"hubs-{name}": array for name, array in arrays.items()}
            bm25: dict[str, tuple[Any, ...]] = {}
            for lang, index in self._bm25.items():
                bm25[lang], bm25_arrays = index.state()
                arrays.update((f"bm25-{lang}-{n}", a) for n, a in bm25_arrays.items())
            plain["bm25"] = bm25
            plain["arrays"] = sorted(arrays)
            header = {
                "format": SNAPSHOT_FORMAT,
                "model": self.model_name,
                "dim": self.embedder.dim,
                "doc_vector": self.scoring.doc_vector,
                "count": len(ids),
            }
            with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
                z.writestr("header.json", json.dumps(header))
                z.writestr("state.marshal", marshal.dumps(plain))
                for name, array in arrays.items():
                    _write_array(z, f"{name}.npy", array)
                with tempfile.TemporaryDirectory() as tmp:
                    manifest = self._index.write_to(Path(tmp))
                    z.writestr("index/manifest.json", json.dumps(manifest, ensure_ascii=False))
                    for file in sorted(Path(tmp).iterdir()):
                        z.write(file, f"index/{file.name}")
            return len(ids)

    def restore(self, fh: BinaryIO) -> int:
        """Load what `dump` wrote into this engine, which must be empty and use the same
        model; returns how many documents it holds. Raises storage.StorageError for a
        snapshot this engine cannot take (another model or format)."""
        with zipfile.ZipFile(fh) as z:
            header = json.loads(z.read("header.json"))
            if header.get("format") != SNAPSHOT_FORMAT:
                raise storage.StorageError(f"not an engine snapshot ({header.get('format')})")
            check_model(str(header["model"]), self.model_name, where="this snapshot")
            if header.get("doc_vector") != self.scoring.doc_vector:
                raise storage.StorageError("snapshot made with other document vectors")
            plain = marshal.loads(z.read("state.marshal"))
            arrays = {name: _read_array(z, f"{name}.npy") for name in plain["arrays"]}
            with tempfile.TemporaryDirectory(dir=self._index.spill_dir) as tmp:
                for name in z.namelist():
                    if name.startswith("index/") and name != "index/manifest.json":
                        (Path(tmp) / name.removeprefix("index/")).write_bytes(z.read(name))
                # A row file stays open after its directory is gone (POSIX).
                index_manifest = json.loads(z.read("index/manifest.json"))
                index = VectorIndex.read_from(
                    index_manifest,
                    Path(tmp),
                    model=self.model_name,
                    ann_threshold=self._index.ann_threshold,
                )
        no_passages = np.zeros((0, self.embedder.dim), np.float32)
        documents = plain["documents"]
        # an engine that keeps its documents' analyses also keeps their vectors in them
        vectors = index.vectors([d[0] for d in documents]) if self._load_details is None else None
        entries: dict[str, _Entry] = {}
        by_language: dict[Language, set[str]] = {lang: set() for lang in LANGUAGES}
        for row, (doc_id, language, attributes, digest, details) in enumerate(documents):
            if details is not None and vectors is not None:
                fields, tokens, surfaces, cues = details
                document = Document(doc_id, language, fields, _attribute_dict(attributes))
                analysis = Analysis(
                    passages=(),
                    passage_vectors=no_passages,
                    vector=vectors[row],
                    tokens=tokens,
                    surfaces=surfaces,  # sparse: read with .get(key, key)
                    cues=tuple(_new_tuple(Mention, cue) for cue in cues),
                ).shared()
                kept: tuple[Document, Analysis] | None = (document, analysis)
            elif self._load_details is None:
                raise storage.StorageError("a snapshot without documents needs a DetailLoader")
            else:
                kept = None
            entries[doc_id] = _Entry(language, attributes, digest, kept)
            by_language[language].add(doc_id)
        if "labels" not in index_manifest:  # written before the index kept languages
            index.relabel(list(entries), [_LABEL[e.language] for e in entries.values()])
        with self._write_lock, self._lock:
            if self._entries:
                raise RuntimeError("restore: the engine already holds documents")
            self._index = index
            self._entries = entries
            self._by_language = by_language
            for lang, state in plain["bm25"].items():
                self._bm25[lang].restore_state(state, _prefixed(arrays, f"bm25-{lang}-"))
            self._cues.restore_state(plain["cues"])
            self._facets = plain["facets"]
            self._hubs.restore_state(plain["hubs"], _prefixed(arrays, "hubs-"))
            self._hub_new, self._hub_stale = {}, set()
        return len(entries)

    # --- persistence -------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Atomically publish the engine at `path` (manifest.json + one generation directory)."""
        with self._write_lock, self._lock:
            self.update_neighbourhoods()
            ids = sorted(self._entries)
            manifest = {
                "format": FORMAT,
                "model": self.model_name,
                "dim": self.embedder.dim,
                "doc_vector": self.scoring.doc_vector,
                "count": len(ids),
                "ids": ids,
            }
            storage.publish(path, manifest, lambda d: self._write(d, ids))

    def _write(self, directory: Path, ids: list[str]) -> None:
        (directory / "index").mkdir()
        self._index.write_to(directory / "index")
        (directory / "index" / "manifest.json").write_text(
            json.dumps(self._index.manifest(), ensure_ascii=False), encoding="utf-8"
        )
        details = self._details(ids)
        rows = [details[i] for i in ids]
        passage_vectors = (
            np.vstack([a.passage_vectors for _, a in rows])
            if rows
            else np.zeros((0, self.embedder.dim), np.float32)
        )
        np.save(directory / "passages.npy", passage_vectors, allow_pickle=False)
        with open(directory / "documents.jsonl", "w", encoding="utf-8") as fh:
            for d, a in rows:
                record = {
                    "id": d.id,
                    "language": d.language,
                    "fields": dict(d.fields),
                    "attributes": {k: sorted(v) for k, v in d.attributes.items()},
                    "passages": list(a.passages),
                    "tokens": list(a.tokens),
                    "surfaces": {k: v for k, v in a.surfaces.items() if k != v},
                    "cues": [[m.key, m.surface] for m in a.cues],
                    "neighbours": {
                        toward: [[h.id, h.score] for h in self._hubs.neighbours(d.id, toward)]
                        for toward in LANGUAGES
                    },
                }
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _read(self, manifest: dict[str, Any], directory: Path) -> None:
        if manifest.get("format") != FORMAT:
            raise storage.StorageError(
                f"{directory}: not a matching engine ({manifest.get('format')})"
            )
        check_model(
            str(manifest["model"]), self.model_name, where=f"the index at {directory.parent}"
        )
        index_manifest = json.loads((directory / "index" / "manifest.json").read_text("utf-8"))
        index = VectorIndex.read_from(
            index_manifest,
            directory / "index",
            model=self.model_name,
            ann_threshold=self._index.ann_threshold,
        )
        passage_vectors = np.load(directory / "passages.npy", allow_pickle=False)
        entries: list[tuple[Document, Analysis]] = []
        neighbours: dict[str, dict[Language, list[Hit]]] = {}
        start = 0
        with open(directory / "documents.jsonl", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                document = Document(
                    id=r["id"],
                    language=r["language"],
                    fields=dict(r["fields"]),
                    attributes={k: frozenset(v) for k, v in r["attributes"].items()},
                )
                count = len(r["passages"])
                tokens = tuple(r["tokens"])
                surfaces = {t: t for t in tokens}
                surfaces.update(r["surfaces"])
                analysis = Analysis(
                    passages=tuple(r["passages"]),
                    passage_vectors=passage_vectors[start : start + count],
                    vector=index.vector(document.id),
                    tokens=tokens,
                    surfaces=surfaces,
                    cues=tuple(Mention(k, s) for k, s in r["cues"]),
                )
                start += count
                entries.append((document, analysis))
                if isinstance(r.get("neighbours"), dict):  # lists per language (0007)
                    neighbours[document.id] = {
                        toward: [Hit(i, float(score)) for i, score in hits]
                        for toward, hits in r["neighbours"].items()
                    }
        if "labels" not in index_manifest:  # saved before the index kept languages
            index.relabel([d.id for d, _ in entries], [_LABEL[d.language] for d, _ in entries])
        with self._write_lock, self._lock:
            self._index = index
            self._entries.clear()
            self._bm25 = _keyword_indexes()
            self._cues = CueIndex()
            self._facets = {}
            self._by_language = {lang: set() for lang in LANGUAGES}
            self._hubs = Neighbourhoods(self.scoring.hub_neighbours)
            self._hub_new, self._hub_stale = {}, set()
            for document, analysis in entries:
                self._remember(document, analysis, self._entry(document, analysis))
            if self.scoring.hub_weight:
                for document, _ in entries:
                    if document.id in neighbours:
                        self._hubs.restore(document.id, document.language, neighbours[document.id])
                    else:  # saved before CSLS (0007): computed on the first read
                        self._hub_new[document.id] = document.language
                self._hubs.restored()


# --- pure helpers ------------------------------------------------------------------------------


_NOTHING: frozenset[str] = frozenset()
_COSINE_BLOCK = 4096  # rows of vectors read at once to score candidates


def _keyword_indexes() -> dict[Language, BM25Index]:
    """One per language; the engine compacts them itself (Engine._compact_keywords)."""
    return {lang: BM25Index(tokenizer_for(lang), auto_compact=False) for lang in LANGUAGES}


def _plain_details(details: tuple[Document, Analysis] | None) -> tuple[Any, ...] | None:
    """A kept document and analysis as marshal-able values (no passages, no vector)."""
    if details is None:
        return None
    document, analysis = details
    return (
        dict(document.fields),
        analysis.tokens,
        {k: v for k, v in analysis.surfaces.items() if k != v},
        tuple((m.key, m.surface) for m in analysis.cues),
    )


def _attribute_dict(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    values: dict[str, set[str]] = {}
    for name, value in pairs:
        values.setdefault(name, set()).add(value)
    return {name: frozenset(v) for name, v in values.items()}


_new_tuple = tuple.__new__  # a NamedTuple without its Python-level __new__: restores faster


def _write_array(z: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with z.open(name, "w", force_zip64=True) as fh:
        np.save(fh, np.ascontiguousarray(array), allow_pickle=False)


def _read_array(z: zipfile.ZipFile, name: str) -> np.ndarray:
    with z.open(name) as fh:
        array: np.ndarray = np.load(io.BytesIO(fh.read()), allow_pickle=False)
        return array


_controller: Any = None


def _prefixed(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)}


def _blas_limit() -> Any:
    """A context in which numpy's BLAS runs on one thread."""
    global _controller
    if _controller is None:
        from threadpoolctl import ThreadpoolController

        _controller = ThreadpoolController()
    return _controller.limit(limits=1, user_api="blas")


def calibrate(cosine: float, a: Language | None, b: Language | None) -> float:
    """Cosine → language-pair-neutral relatedness: 0 ≈ unrelated, 1 ≈ related (see module doc)."""
    offset, scale = (
        PAIR_CALIBRATION[frozenset({a, b})] if a is not None and b is not None else _UNKNOWN_PAIR
    )
    return (cosine - offset) / scale


def quality(fused: float, scoring: Scoring) -> float:
    """Monotone map of the fused score to 0..100: logistic, 50 at `scoring.midpoint`."""
    z = (fused - scoring.midpoint) / scoring.spread
    return float(100.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0))))


def aligned_passages(
    query_passages: Sequence[str],
    query_vectors: np.ndarray,
    passages: Sequence[str],
    vectors: np.ndarray,
    *,
    limit: int = 3,
) -> tuple[AlignedPassage, ...]:
    """The best one-to-one passage pairs, greedily by cosine, best first."""
    if not len(query_passages) or not len(passages):
        return ()
    sims = np.asarray(query_vectors, np.float32) @ np.asarray(vectors, np.float32).T
    out: list[AlignedPassage] = []
    used_q: set[int] = set()
    used_c: set[int] = set()
    order = np.argsort(-sims, axis=None, kind="stable")
    for flat in order.tolist():
        i, j = divmod(flat, sims.shape[1])
        if i in used_q or j in used_c:
            continue
        used_q.add(i)
        used_c.add(j)
        out.append(AlignedPassage(query_passages[i], passages[j], float(sims[i, j])))
        if len(out) >= limit:
            break
    return tuple(out)


def _pair(mine: str, theirs: str) -> str:
    return mine if mine == theirs else f"{mine} ↔ {theirs}"
