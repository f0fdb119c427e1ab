"""Indexing and all-pairs matching, in this process or as Ray Data jobs on a Ray cluster.

    engine, corpus = build_index(documents, model=..., runner=LocalRunner())
    neighbours = runner.topk(corpus, k=10)          # each document's k nearest others

Both runners execute the same pure steps; a runner only decides where they run, and the
driver assembles the result in input order, so a Ray run is identical to a local one:

1. `index_chunks` cuts the documents into chunks of INDEX_CHUNK in input order. A chunk, not a
   document, is the unit of work: an embedding depends on the other texts in its batch
   (padding), so every chunk must be embedded exactly as a local run embeds it.
2. `Engine.analyze(chunk)` computes passages, vectors, keywords and cues: locally, or in a Ray
   Data actor that loads the model once.
3. `add_analyzed` stores each chunk through `Engine.upsert`, in input order, on the driver.
4. `corpus_topk` scores fixed-size blocks of documents against fixed-size blocks of the
   corpus with the engine's semantic score (`semantic_scores`: cosine less the candidate's
   hubness penalty, calibrated per language pair) and merges per-block top-k (`merge_topk`,
   ties broken by id). Ray shards the queries along block boundaries, with the corpus vectors
   in the object store, so every block product has the same shape, and therefore the same
   floating-point result, as in a local run.
   (Lexical evidence and explanations stay with `Engine.match`, which needs the whole engine.)

Ray is optional (`pip install 'qiao[ray]'`): nothing here imports it until a RayRunner connects.
docs/ray.md shows how to run on a cluster.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np

from matching import storage
from matching.embedders import get_embedder
from matching.engine import PAIR_CALIBRATION, Analysis, Engine, Scoring
from matching.index import DEFAULT_ANN_THRESHOLD
from matching.types import LANGUAGES, Document, Language

INDEX_CHUNK = 256  # documents per Engine.upsert (and per Ray task): fixes the embedding batches
QUERY_BLOCK = 256  # query rows per score block
CORPUS_BLOCK = 8192  # corpus rows per score block

Progress = Callable[[int, int], None]


class RayUnavailableError(RuntimeError):
    """--ray was asked for, but Ray is not installed here."""


# --- step 1 and 3: chunks in, one engine out --------------------------------------------------


def index_chunks(documents: Sequence[Document], size: int = INDEX_CHUNK) -> list[list[Document]]:
    """Consecutive chunks in input order; within a chunk the last document with an id wins, in
    the position of its first occurrence (as Engine.upsert resolves duplicates)."""
    return [
        list({d.id: d for d in documents[start : start + size]}.values())
        for start in range(0, len(documents), size)
    ]


def add_analyzed(engine: Engine, documents: Sequence[Document], analyses: list[Analysis]) -> None:
    """`engine.upsert(documents)` with the analyses computed elsewhere (by `Engine.analyze` on
    the same documents, e.g. on a Ray worker). It runs the engine's own upsert, so a document is
    stored exactly as a local upsert stores it; only the analysis step is supplied."""
    ids = [d.id for d in documents]
    if len(set(ids)) != len(ids) or len(analyses) != len(ids):
        raise ValueError("add_analyzed needs unique documents and one analysis per document")

    def supplied(docs: Sequence[Document]) -> list[Analysis]:
        if [d.id for d in docs] != ids:  # pragma: no cover - upsert passes them through
            raise AssertionError("Engine.upsert reordered the documents")
        return analyses

    engine.analyze = supplied  # type: ignore[method-assign,assignment]
    try:
        engine.upsert(documents)
    finally:
        del engine.analyze


class Corpus(NamedTuple):
    """Document vectors for all-pairs matching. Rows are sorted by id, so a row number breaks
    ties exactly as the id does."""

    ids: tuple[str, ...]
    languages: np.ndarray  # int8: position in LANGUAGES
    vectors: np.ndarray  # float32, one unit row per id
    # float64 hubness penalty per row and query language (columns: LANGUAGES), as
    # Engine.hub_penalties gives it
    penalties: np.ndarray | None = None


def corpus_of(
    vectors: Mapping[str, tuple[Language, np.ndarray]],
    dim: int,
    penalties: Mapping[str, Sequence[float]] | None = None,
) -> Corpus:
    """The corpus of `vectors` (id -> (language, unit vector)), with each id's hubness
    penalties toward each language of LANGUAGES when `penalties` is given (missing ids: 0)."""
    ids = tuple(sorted(vectors))
    languages = np.array([LANGUAGES.index(vectors[i][0]) for i in ids], dtype=np.int8)
    matrix = np.zeros((len(ids), dim), np.float32)
    for row, doc_id in enumerate(ids):
        matrix[row] = vectors[doc_id][1]
    rows = None
    if penalties is not None:
        none = (0.0,) * len(LANGUAGES)
        rows = np.array([penalties.get(i, none) for i in ids], dtype=np.float64)
        rows = rows.reshape(len(ids), len(LANGUAGES))
    return Corpus(ids, languages, matrix, rows)


def build_index(
    documents: Sequence[Document],
    *,
    model: str,
    runner: Runner,
    ann_threshold: int = DEFAULT_ANN_THRESHOLD,
    chunk_size: int = INDEX_CHUNK,
    progress: Progress | None = None,
) -> tuple[Engine, Corpus]:
    """An engine holding `documents` (later duplicates replace earlier ones), and the corpus of
    their vectors. The runner analyses the chunks; the driver stores them in input order."""
    engine = Engine.open(None, model, ann_threshold=ann_threshold)
    chunks = index_chunks(documents, chunk_size)
    latest: dict[str, tuple[Language, np.ndarray]] = {}
    done = 0
    for chunk, analyses in zip(chunks, runner.analyze(engine, chunks), strict=True):
        add_analyzed(engine, chunk, analyses)
        for document, analysis in zip(chunk, analyses, strict=True):
            latest[document.id] = (document.language, analysis.vector)
        done = min(done + chunk_size, len(documents))
        if progress is not None:
            progress(done, len(documents))
    return engine, corpus_of(latest, engine.embedder.dim, engine.hub_penalties())


# --- step 4: all-pairs top-k -------------------------------------------------------------------


class Neighbours(NamedTuple):
    """Per query, the k best corpus rows, best first, and their scores. A query with fewer than
    k candidates is padded with row -1 and score -inf."""

    rows: np.ndarray  # (queries, k) int64
    scores: np.ndarray  # (queries, k) float64


def _calibration_tables(
    table: Mapping[frozenset[str], tuple[float, float]],
) -> tuple[np.ndarray, np.ndarray]:
    """(offset, scale) of engine.calibrate as two LANGUAGES × LANGUAGES matrices."""
    offsets = np.zeros((len(LANGUAGES), len(LANGUAGES)))
    scales = np.ones((len(LANGUAGES), len(LANGUAGES)))
    for i, a in enumerate(LANGUAGES):
        for j, b in enumerate(LANGUAGES):
            offsets[i, j], scales[i, j] = table[frozenset({a, b})]
    return offsets, scales


_PAIR = _calibration_tables(PAIR_CALIBRATION)


def empty_neighbours(queries: int, k: int) -> Neighbours:
    return Neighbours(
        np.full((queries, max(k, 0)), -1, np.int64), np.full((queries, max(k, 0)), -np.inf)
    )


def _best_first(rows: np.ndarray, scores: np.ndarray, k: int) -> Neighbours:
    """Each query's candidates ordered by (-score, row), cut or padded to k."""
    scores = np.where(rows < 0, -np.inf, scores)
    rows = np.where(np.isneginf(scores), -1, rows)
    ties = np.where(rows < 0, np.iinfo(np.int64).max, rows)
    order = np.lexsort((ties, -scores), axis=-1)[:, :k]
    best = Neighbours(np.take_along_axis(rows, order, 1), np.take_along_axis(scores, order, 1))
    if best.rows.shape[1] == k:
        return best
    pad = empty_neighbours(len(rows), k - best.rows.shape[1])
    return Neighbours(np.hstack([best.rows, pad.rows]), np.hstack([best.scores, pad.scores]))


def topk_of_block(scores: np.ndarray, k: int, *, first_row: int = 0) -> Neighbours:
    """The k best columns of each row of a score block (column j is corpus row first_row + j),
    exactly: ties at the cut go to the lower row. -inf marks a pair that must not match."""
    queries, columns = scores.shape
    kk = min(k, columns)
    if kk <= 0 or queries == 0:
        return empty_neighbours(queries, k)
    cols = np.argpartition(-scores, kk - 1, axis=1)[:, :kk]
    picked = np.take_along_axis(scores, cols, 1)
    cut = picked.min(axis=1)
    crowded = (scores >= cut[:, None]).sum(axis=1) > kk  # more ties at the cut than places
    for r in np.flatnonzero(crowded).tolist():
        above = np.flatnonzero(scores[r] > cut[r])
        tied = np.flatnonzero(scores[r] == cut[r])[: kk - len(above)]
        cols[r] = np.concatenate([above, tied])
        picked[r] = scores[r, cols[r]]
    return _best_first(cols.astype(np.int64) + first_row, picked.astype(np.float64), k)


def merge_topk(parts: Sequence[Neighbours], k: int) -> Neighbours:
    """Merge the top-k of disjoint corpus shards into the top-k of their union: equal to the
    top-k over the whole corpus, ties included, because rows are ordered as the ids are."""
    if not parts:
        raise ValueError("merge_topk needs at least one part")
    rows = np.hstack([p.rows for p in parts])
    scores = np.hstack([p.scores for p in parts])
    return _best_first(rows, scores, k)


BlockScores = Callable[[slice, slice], np.ndarray]  # (query rows, corpus rows) -> float64 block


def blockwise_topk(
    queries: int,
    corpus: int,
    k: int,
    scores: BlockScores,
    *,
    exclude: np.ndarray | None = None,
    query_block: int = QUERY_BLOCK,
    corpus_block: int = CORPUS_BLOCK,
) -> Neighbours:
    """For each of `queries` rows, the k best of `corpus` rows under `scores`, ties broken by
    row; `exclude[i]` is a corpus row that query i must not match (itself), or -1. Works in
    fixed blocks, so a slice of queries that starts on a block boundary gets bit for bit the
    rows and scores it gets in a whole run."""
    parts = []
    for qs in range(0, queries, query_block):
        qe = min(qs + query_block, queries)
        best = empty_neighbours(qe - qs, k)
        for cs in range(0, corpus, corpus_block):
            ce = min(cs + corpus_block, corpus)
            block = np.array(scores(slice(qs, qe), slice(cs, ce)), dtype=np.float64)
            if exclude is not None:
                skip = np.asarray(exclude[qs:qe], dtype=np.int64)
                inside = np.flatnonzero((skip >= cs) & (skip < ce))
                block[inside, skip[inside] - cs] = -np.inf
            best = merge_topk([best, topk_of_block(block, k, first_row=cs)], k)
        parts.append(best)
    if not parts:
        return empty_neighbours(0, k)
    return Neighbours(np.vstack([p.rows for p in parts]), np.vstack([p.scores for p in parts]))


def all_pairs_topk(
    queries: np.ndarray,
    corpus: np.ndarray,
    k: int,
    *,
    exclude: np.ndarray | None = None,
    query_block: int = QUERY_BLOCK,
    corpus_block: int = CORPUS_BLOCK,
) -> Neighbours:
    """For each query row, the k best corpus rows by inner product, ties broken by row."""
    q = np.ascontiguousarray(queries, dtype=np.float32)
    c = np.ascontiguousarray(corpus, dtype=np.float32)
    return blockwise_topk(
        len(q),
        len(c),
        k,
        lambda qs, cs: q[qs] @ c[cs].T,
        exclude=exclude,
        query_block=query_block,
        corpus_block=corpus_block,
    )


def semantic_scores(corpus: Corpus, qs: slice, cs: slice, *, calibrate: bool = True) -> np.ndarray:
    """The engine's semantic score of every pair in a block of the corpus: the cosine less
    the candidate's hubness penalty toward the query's language, calibrated per language pair
    (engine.calibrate), as float64 (`calibrate=False`: not calibrated, as in the engine)."""
    q_lang = corpus.languages[qs].astype(np.intp)[:, None]
    c_lang = corpus.languages[cs].astype(np.intp)[None, :]
    scores: np.ndarray = (corpus.vectors[qs] @ corpus.vectors[cs].T).astype(np.float64)
    if corpus.penalties is not None:
        scores -= corpus.penalties[cs].T[q_lang[:, 0]]
    if calibrate:
        scores = (scores - _PAIR[0][q_lang, c_lang]) / _PAIR[1][q_lang, c_lang]
    return scores


def corpus_topk(
    corpus: Corpus,
    k: int,
    *,
    calibrate: bool = True,
    start: int = 0,
    stop: int | None = None,
    query_block: int = QUERY_BLOCK,
    corpus_block: int = CORPUS_BLOCK,
) -> Neighbours:
    """Every document of corpus[start:stop] against the whole corpus by semantic score, never
    itself. `start` must lie on a query block boundary for the result to equal that slice of a
    whole run."""
    if start % query_block:
        raise ValueError(f"start {start} is not a multiple of the query block {query_block}")
    stop = len(corpus.vectors) if stop is None else stop

    def scores(qs: slice, cs: slice) -> np.ndarray:
        return semantic_scores(
            corpus, slice(start + qs.start, start + qs.stop), cs, calibrate=calibrate
        )

    return blockwise_topk(
        stop - start,
        len(corpus.vectors),
        k,
        scores,
        exclude=np.arange(start, stop, dtype=np.int64),
        query_block=query_block,
        corpus_block=corpus_block,
    )


def write_neighbours(path: Path, corpus: Corpus, neighbours: Neighbours) -> None:
    """One JSON line per document, in id order: {"id", "matches": [{"id", "score"}, ...]}."""
    with open(path, "w", encoding="utf-8") as fh:
        for i, doc_id in enumerate(corpus.ids):
            matches = [
                {"id": corpus.ids[row], "score": round(score, 6)}
                for row, score in zip(
                    neighbours.rows[i].tolist(), neighbours.scores[i].tolist(), strict=True
                )
                if row >= 0
            ]
            fh.write(json.dumps({"id": doc_id, "matches": matches}, ensure_ascii=False) + "\n")


def index_digest(path: Path) -> str:
    """sha256 over a saved engine's data files and manifest (minus its generation name): equal
    digests mean identical vectors, passages, analyses and ids."""
    manifest = storage.read_manifest(path)
    if manifest is None:
        raise storage.StorageError(f"{path}: nothing saved here")
    generation = Path(path) / str(manifest.pop("generation"))
    digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode())
    for file in sorted(p for p in generation.rglob("*") if p.is_file()):
        digest.update(file.relative_to(generation).as_posix().encode() + b"\0")
        digest.update(file.read_bytes())
    return digest.hexdigest()


# --- runners -----------------------------------------------------------------------------------


class Runner(Protocol):
    def analyze(self, engine: Engine, chunks: Sequence[list[Document]]) -> Iterable[list[Analysis]]:
        """`engine.analyze(chunk)` for every chunk, in order."""
        ...

    def topk(self, corpus: Corpus, k: int, *, calibrate: bool = True) -> Neighbours:
        """`corpus_topk(corpus, k)`."""
        ...


class LocalRunner:
    """Everything in this process."""

    def __init__(self, *, query_block: int = QUERY_BLOCK, corpus_block: int = CORPUS_BLOCK) -> None:
        self.query_block = query_block
        self.corpus_block = corpus_block

    def analyze(self, engine: Engine, chunks: Sequence[list[Document]]) -> Iterator[list[Analysis]]:
        return (engine.analyze(chunk) for chunk in chunks)

    def topk(self, corpus: Corpus, k: int, *, calibrate: bool = True) -> Neighbours:
        return corpus_topk(
            corpus,
            k,
            calibrate=calibrate,
            query_block=self.query_block,
            corpus_block=self.corpus_block,
        )


def import_ray() -> Any:
    """The ray module (typed as Any: Ray is optional and its stubs are partial)."""
    try:
        ray = importlib.import_module("ray")
        importlib.import_module("ray.data")
    except ImportError as exc:
        raise RayUnavailableError(
            "--ray needs Ray on this machine and on every node of the cluster: "
            "pip install 'qiao[ray]'"
        ) from exc
    return ray


class RayRunner:
    """Analyses chunks and matches query shards as Ray Data jobs on the connected cluster.

    One actor per `cpus_per_actor` CPUs of the cluster (or `actors`); each loads the model once.
    The onnxruntime embedder uses min(cores, 8) threads per actor, so on large nodes reserve
    that many CPUs per actor rather than starting one actor per core."""

    def __init__(
        self,
        *,
        cpus_per_actor: float = 1.0,
        actors: int | None = None,
        query_block: int = QUERY_BLOCK,
        corpus_block: int = CORPUS_BLOCK,
    ) -> None:
        self.ray = import_ray()
        if not self.ray.is_initialized():
            raise RuntimeError("connect to a cluster first (RayRunner.connect or ray.init)")
        self.cpus_per_actor = cpus_per_actor
        cpus = float(self.ray.cluster_resources().get("CPU", 1.0))
        self.actors = actors or max(1, int(cpus // cpus_per_actor))
        self.query_block = query_block
        self.corpus_block = corpus_block
        self.nodes: dict[str, set[str]] = {"analyze": set(), "topk": set()}

    @classmethod
    def connect(cls, address: str, **options: Any) -> RayRunner:
        """Join the running cluster at `address` ("host:port" of the head, or "auto")."""
        ray = import_ray()
        if not ray.is_initialized():
            ray.init(address=address)
        return cls(**options)

    def summary(self) -> str:
        alive = [n for n in self.ray.nodes() if n.get("Alive")]
        return (
            f"Ray: {len(alive)} nodes, {self.actors} actors × {self.cpus_per_actor:g} CPU; "
            f"embedded on {len(self.nodes['analyze'])} nodes, "
            f"matched on {len(self.nodes['topk'])} nodes"
        )

    def analyze(self, engine: Engine, chunks: Sequence[list[Document]]) -> Iterator[list[Analysis]]:
        if not chunks:
            return
        rows = [
            {"chunk": i, "documents": pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)}
            for i, chunk in enumerate(chunks)
        ]
        dataset = self.ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            AnalyzeChunks,
            fn_constructor_kwargs={"model": engine.model_name, "scoring": engine.scoring},
            batch_size=1,
            batch_format="numpy",
            compute=self.ray.data.ActorPoolStrategy(size=min(self.actors, len(rows))),
            num_cpus=self.cpus_per_actor,
        )
        # Results arrive in any order; hand them on in chunk order as soon as possible.
        pending: dict[int, list[Analysis]] = {}
        wanted = 0
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            for i, payload, node in zip(
                batch["chunk"].tolist(), batch["analyses"], batch["node"].tolist(), strict=True
            ):
                analyses: list[Analysis] = pickle.loads(payload)
                pending[int(i)] = analyses
                self.nodes["analyze"].add(str(node))
            while wanted in pending:
                yield pending.pop(wanted)
                wanted += 1
        if wanted != len(chunks):  # pragma: no cover - Ray lost or duplicated a chunk
            raise RuntimeError(f"Ray returned {wanted} of {len(chunks)} chunks in order")

    def topk(self, corpus: Corpus, k: int, *, calibrate: bool = True) -> Neighbours:
        n = len(corpus.ids)
        if n == 0 or k <= 0:
            return empty_neighbours(n, k)
        # Shards of whole query blocks, a few per actor so a slow node does not hold the rest.
        blocks = math.ceil(n / self.query_block)
        per_shard = max(1, math.ceil(blocks / (4 * self.actors)))
        step = per_shard * self.query_block
        shards = [{"start": s, "stop": min(s + step, n)} for s in range(0, n, step)]
        vectors = self.ray.put(corpus._replace(ids=()))
        dataset = self.ray.data.from_items(shards, override_num_blocks=len(shards)).map_batches(
            TopKShards,
            fn_constructor_kwargs={
                "corpus": [vectors],
                "k": k,
                "calibrate": calibrate,
                "blocks": (self.query_block, self.corpus_block),
            },
            batch_size=1,
            batch_format="numpy",
            compute=self.ray.data.ActorPoolStrategy(size=min(self.actors, len(shards))),
            num_cpus=self.cpus_per_actor,
        )
        result = empty_neighbours(n, k)
        filled = np.zeros(n, dtype=bool)
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            rows = batch["query"].astype(np.int64)
            result.rows[rows] = batch["rows"]
            result.scores[rows] = batch["scores"]
            filled[rows] = True
            self.nodes["topk"].update(str(x) for x in set(batch["node"].tolist()))
        if not filled.all():  # pragma: no cover - Ray lost a shard
            raise RuntimeError(f"Ray returned neighbours for {int(filled.sum())} of {n} documents")
        return result


def _node_id() -> str:
    node: str = import_ray().get_runtime_context().get_node_id()
    return node


class AnalyzeChunks:
    """Ray Data actor: loads the model once, then `Engine.analyze` on one chunk per row."""

    def __init__(self, model: str, scoring: Scoring) -> None:
        self._engine = Engine(get_embedder(model), scoring=scoring)
        self._node = _node_id()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        payloads = [
            pickle.dumps(self._engine.analyze(pickle.loads(p)), pickle.HIGHEST_PROTOCOL)
            for p in batch["documents"]
        ]
        analyses = np.empty(len(payloads), dtype=object)
        analyses[:] = payloads
        return {
            "chunk": batch["chunk"],
            "analyses": analyses,
            "node": np.array([self._node] * len(payloads)),
        }


class TopKShards:
    """Ray Data actor: the corpus vectors come once from the object store; each row is a shard
    [start, stop) of query rows, answered with one output row per query."""

    def __init__(self, corpus: list[Any], k: int, calibrate: bool, blocks: tuple[int, int]) -> None:
        # The reference comes wrapped in a list so that Ray hands it over unresolved.
        self._corpus: Corpus = import_ray().get(corpus[0])
        self._k = k
        self._calibrate = calibrate
        self._query_block, self._corpus_block = blocks
        self._node = _node_id()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        parts = []
        queries = []
        for start, stop in zip(batch["start"].tolist(), batch["stop"].tolist(), strict=True):
            parts.append(
                corpus_topk(
                    self._corpus,
                    self._k,
                    calibrate=self._calibrate,
                    start=start,
                    stop=stop,
                    query_block=self._query_block,
                    corpus_block=self._corpus_block,
                )
            )
            queries.append(np.arange(start, stop, dtype=np.int64))
        return {
            "query": np.concatenate(queries),
            "rows": np.vstack([p.rows for p in parts]),
            "scores": np.vstack([p.scores for p in parts]),
            "node": np.array([self._node] * sum(len(q) for q in queries)),
        }
