"""A vector index with string ids: exact inner-product search for small corpora, a compressed
HNSW graph beyond a threshold, incremental add / update / remove, filtered search, atomic
persistence.

Two kinds, chosen by the number of live vectors (`qiao bench speed` measures both; the
comments on the defaults below give the numbers behind them):

- "exact" (≤ `ann_threshold`): float32 rows scanned with one matrix product. Exact, but each
  query reads every row (2 KB at 512 dimensions), so latency grows linearly with the corpus.
- "hnsw" (> `ann_threshold`): faiss IndexHNSWSQ, an HNSW graph over 8-bit scalar-quantised
  vectors (one trained [min, max] range per dimension, 1 byte per dimension). At 1M × 512 it
  holds ~0.5 GB of codes plus the graph in memory instead of 2 GB of floats. The 8-bit scores
  only pick candidates: the best `refine` (default REFINE_CANDIDATES) are re-scored with
  float16 copies of the rows, kept in a file (`RowFile`, 1 KB per row at 512 dimensions) and
  read with positional reads, so they are not part of the process's resident memory (they sit
  in the OS page cache while hot). `vector()` returns the float16 row (≈ 0.05 % off), and a
  switch back to "exact" or a compaction starts from those rows. There is one graph per row
  label (the engine: per language), so that a search within one label walks only its graph
  (see `_Graphs`); a search across labels asks every graph and merges.

Rows are append-only. Updating an id appends a new row and leaves a tombstone on the old one;
removing leaves a tombstone. HNSW cannot delete, so tombstones are skipped at search time (a
faiss ID selector over a live-row bitmap) and the index is rebuilt once they exceed
`rebuild_fraction` of the rows.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np

from matching import storage

# faiss logs each CPU-feature probe at INFO on import; that is noise in every command's output.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)
import faiss as _faiss  # noqa: E402

# The SWIG-generated signatures do not describe the Python API (numpy arrays, keywords).
faiss: Any = _faiss

FORMAT = "qiao-vector-index/4"
# /1 kept float32 rows for both kinds and an HNSWFlat graph; it is read and converted on load.
# /2 kept the "hnsw" graph and codes without float rows; on load its row file is filled with
# decoded codes (so re-scoring gains nothing until the index is rebuilt from new vectors).
# /3 kept one graph for all labels; on load the per-label graphs are built from its rows.
READABLE_FORMATS = ("qiao-vector-index/1", "qiao-vector-index/2", "qiao-vector-index/3", FORMAT)
ROWS_FILE = "rows-float16.npy"  # "hnsw": the float16 rows for re-scoring, row r = faiss id r
ROW_DTYPE = np.dtype("<f2")

# Measured on 2 cores at 512 dimensions (`qiao bench speed`): an exact scan reads 2 KB per row
# and costs ~0.1–0.2 ms per thousand rows (20k: p99 ~3 ms; 50k: ~10 ms; 100k: ~30 ms), while
# the graph answers in about a millisecond at any of these sizes and finds > 99 % of the
# exact top 10. So exact search stops at 20k rows.
DEFAULT_ANN_THRESHOLD = 20_000
HNSW_M = 16  # graph degree: 32 links per vector on level 0 (128 B); 24 or 32 recalled no more
EF_CONSTRUCTION = 200  # 100 lost ~1 point of recall@10 at the same efSearch
# 1M real + synthetic vectors, 64 candidates re-scored (`qiao bench speed`, idle 2 cores):
# efSearch 384 → recall@10 0.977 synthetic / 0.983 real, 512 → 0.981 / 0.988 (p99 2.6 ms),
# 768 → 0.989 / 0.991 (p99 3.5 ms).
EF_SEARCH = 512
# Candidates the graph hands to float16 re-scoring (see the module doc). At 1M and efSearch
# 384: none → recall@10 0.960 / 0.967, 16 → 0.977 / 0.983, and more add latency, not recall.
REFINE_CANDIDATES = 64
# A filter that lets through at least this share of a graph's documents is applied to the
# results of a deeper unfiltered search instead of inside faiss.
BROAD_FILTER_SHARE = 0.25
BROAD_TRIES = 2  # graph searches, the second 4× deeper, before the filter goes into faiss
# A filter that lets through at most this share of a graph's documents (and no more than
# exact_scan_limit) is answered by scanning them.
NARROW_FILTER_SHARE = 0.1
TRAIN_SAMPLE = 200_000  # rows used to fit the quantiser's per-dimension ranges
_BLOCK = 65_536  # rows decoded or scored at a time, to bound temporary memory
_QUERY_BLOCK = 256  # queries scored at a time: 256 × _BLOCK scores = 64 MB
_SERIAL_QUERIES = 4  # up to this many queries (or added rows) use one thread (see _threads)


class Hit(NamedTuple):
    id: str
    score: float  # inner product = cosine for unit vectors


class IndexMismatchError(ValueError):
    """Vectors or a saved index belong to another embedding model (or dimension)."""


def check_model(expected: str, got: str, *, where: str = "this index") -> None:
    if expected != got:
        raise IndexMismatchError(
            f"{where} holds vectors of model {expected!r}, not {got!r}; vectors of different "
            "models are not comparable: rebuild the index with one model (e.g. `qiao reindex`)"
        )


Kind = Literal["exact", "hnsw"]


class VectorIndex:
    def __init__(
        self,
        dim: int,
        model: str,
        *,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        hnsw_m: int = HNSW_M,
        ef_construction: int = EF_CONSTRUCTION,
        ef_search: int = EF_SEARCH,
        rebuild_fraction: float = 0.2,
        exact_scan_limit: int = 10_000,
        refine: int = REFINE_CANDIDATES,
        spill_dir: str | Path | None = None,
    ) -> None:
        self.dim = dim
        self.model = model
        self.ann_threshold = ann_threshold
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.rebuild_fraction = rebuild_fraction
        # Below this many allowed ids a filtered search scans them exactly: HNSW with a
        # selective filter can return fewer than k results.
        self.exact_scan_limit = exact_scan_limit
        # "hnsw": how many graph candidates are re-scored with the float16 rows (0: none).
        self.refine = refine
        # Where the row file of an "hnsw" index grows (a temporary, already unlinked file);
        # the system's temporary directory by default. It should be on disk, not tmpfs.
        self.spill_dir = spill_dir
        self._rows: RowFile | None = None  # "hnsw" only: float16 rows
        self._kind: Kind = "exact"
        self._faiss: Any = faiss.IndexFlatIP(dim)  # "exact": every row; row r = faiss id r
        self._graphs: _Graphs | None = None  # "hnsw": the graphs, one per label
        self._n = 0  # rows in use (live + tombstones)
        self._row_ids: list[str | None] = []  # None marks a tombstone
        self._row_of: dict[str, int] = {}
        self._live = np.zeros(0, dtype=bool)  # per row; capacity may exceed _n
        # per row: a small int the caller groups rows by (the engine: the language), so that a
        # search within one group needs no id filter
        self._label = np.zeros(0, dtype=np.int8)
        self._live_bits: np.ndarray | None = None  # packed _live[:_n], cached between writes
        self._graph_live_bits: dict[int, np.ndarray | None] = {}  # the same per graph
        # Readers and short writes take `_lock`. Writers also take `_write_lock`, one at a
        # time, so that a rebuild (a graph build: ≈ 30 s at 100k rows) can read the current
        # structures without `_lock` while searches go on, and take it only to swap them in.
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()

    # --- state -------------------------------------------------------------------------------

    @property
    def kind(self) -> Kind:
        return self._kind

    @property
    def codec(self) -> str:
        """How vectors are stored: "float32" (exact) or "sq8" (hnsw)."""
        return "sq8" if self._kind == "hnsw" else "float32"

    @property
    def tombstones(self) -> int:
        return self._n - len(self._row_of)

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row_of

    def ids(self) -> list[str]:
        """Live ids in row order."""
        with self._lock:
            return [i for i in self._row_ids[: self._n] if i is not None]

    def stats(self) -> dict[str, Any]:
        """What the faiss side holds: rows, and bytes of vectors (floats or codes) and graph.
        The id bookkeeping (a Python list and dict, ~150 B per id) is not counted."""
        with self._lock:
            vector_bytes = self._n * self.dim * 4
            graph_bytes = row_file_bytes = 0
            if self._graphs is not None:
                row_file_bytes = self._n * self.dim * ROW_DTYPE.itemsize
                vector_bytes, graph_bytes = self._graphs.nbytes()
            return {
                "kind": self._kind,
                "codec": self.codec,
                "live": len(self._row_of),
                "rows": self._n,
                "tombstones": self.tombstones,
                "vector_bytes": int(vector_bytes),
                "graph_bytes": int(graph_bytes),
                # on disk / in the page cache, read with pread: not resident in the process
                "row_file_bytes": int(row_file_bytes),
            }

    def vector(self, doc_id: str) -> np.ndarray:
        """The stored vector: exact for "exact", the float16 row for "hnsw"."""
        with self._lock:
            decoded: np.ndarray = self._decode(np.array([self._row_of[doc_id]], np.int64))[0]
            return decoded

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of these ids, one row each, as `vector` gives them."""
        with self._lock:
            rows = np.fromiter((self._row_of[i] for i in ids), np.int64, len(ids))
            return self._decode(rows)

    # --- writes ------------------------------------------------------------------------------

    def add(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        *,
        model: str,
        labels: Sequence[int] | None = None,
    ) -> None:
        """Insert or replace; `model` must be the index's model; `labels`: each row's group
        (0 by default), which `search(label=…)` keeps to."""
        check_model(self.model, model)
        label_array = np.zeros(len(ids), np.int8) if labels is None else np.asarray(labels, np.int8)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected a {len(ids)}×{self.dim} matrix, got {vectors.shape}")
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in one add()")
        if not len(ids):
            return
        with self._write_lock:
            with self._lock:
                new = sum(1 for doc_id in ids if doc_id not in self._row_of)
                replaced = len(ids) - new
                wanted = self._kind_for(len(self._row_of) + new)
                rebuild = wanted != self._kind or self._needs_compaction(replaced)
                if not rebuild:
                    self._append(ids, vectors, label_array)
            if rebuild:  # searches meanwhile see the index as it was before this add
                self._rebuild(list(ids), vectors, label_array)

    def _append(self, ids: Sequence[str], vectors: np.ndarray, label_array: np.ndarray) -> None:
        """New rows for these ids at the end, their old rows (if any) tombstoned."""
        for doc_id in ids:
            self._bury(doc_id)
        start = self._n
        self._ensure_capacity(start + len(ids))
        with _threads(1 if len(ids) <= _SERIAL_QUERIES else None):
            if self._graphs is not None:
                self._graphs.add(np.arange(start, start + len(ids)), vectors, label_array)
            else:
                self._faiss.add(vectors)
        if self._rows is not None:
            self._rows.append(vectors)
        self._row_ids[start : start + len(ids)] = list(ids)
        for offset, doc_id in enumerate(ids):
            self._row_of[doc_id] = start + offset
        self._live[start : start + len(ids)] = True
        self._label[start : start + len(ids)] = label_array
        self._n += len(ids)
        self._written()

    def remove(self, ids: Iterable[str]) -> None:
        """Forget ids; unknown ids are ignored."""
        with self._write_lock:
            with self._lock:
                for doc_id in ids:
                    self._bury(doc_id)
                rebuild = self._needs_compaction()
            if rebuild:
                self._rebuild()

    def _bury(self, doc_id: str) -> None:
        row = self._row_of.pop(doc_id, None)
        if row is not None:
            self._row_ids[row] = None
            self._live[row] = False
            self._written()

    def _written(self) -> None:
        """Drop what was cached about the live rows."""
        self._live_bits = None
        self._graph_live_bits = {}

    def _kind_for(self, live: int) -> Kind:
        """ "hnsw" beyond the threshold; back to "exact" only below half of it, so a corpus
        that hovers around the threshold does not rebuild its graph on every other write."""
        if live > self.ann_threshold:
            return "hnsw"
        if self._kind == "hnsw" and live > self.ann_threshold // 2:
            return "hnsw"
        return "exact"

    def _needs_compaction(self, replaced: int = 0) -> bool:
        """Too many tombstones (counting the rows `replaced` ids are about to leave)."""
        tombstones = self.tombstones + replaced
        if self._kind == "exact":
            return tombstones > max(1000, self.rebuild_fraction * self._n)
        return tombstones > self.rebuild_fraction * max(self._n, 1)

    def _ensure_capacity(self, rows: int) -> None:
        capacity = len(self._row_ids)
        if rows <= capacity:
            return
        capacity = max(rows, 2 * capacity, 64)
        live = np.zeros(capacity, dtype=bool)
        live[: self._n] = self._live[: self._n]
        self._live = live
        self._label = np.resize(self._label, capacity)
        self._row_ids.extend([None] * (capacity - len(self._row_ids)))

    def _rebuild(
        self,
        extra_ids: Sequence[str] = (),
        extra: np.ndarray | None = None,
        extra_labels: np.ndarray | None = None,
    ) -> None:
        """Compact away tombstones, append `extra` rows (replacing the rows of ids already
        there), and build the kind that fits the size.

        Called by the one writer (`_write_lock`), it reads the current structures without
        `_lock`, as searches do, and takes it only to swap the new ones in. Works block by
        block, so at no point are the float rows of a large corpus all in memory unless the
        caller passed them in `extra`."""
        live = self._live_rows()
        replaced = [self._row_of[i] for i in extra_ids if i in self._row_of]
        if replaced:
            live = live[~np.isin(live, replaced)]
        ids: list[str | None] = [self._row_ids[r] for r in live.tolist()]
        ids.extend(extra_ids)
        labels = np.concatenate(
            [self._label[live], np.zeros(len(extra_ids), np.int8)]
            if extra_labels is None
            else [self._label[live], extra_labels]
        )
        extra = np.zeros((0, self.dim), np.float32) if extra is None else extra
        n = len(ids)
        kind = self._kind_for(n)
        new_faiss: Any = faiss.IndexFlatIP(self.dim) if kind == "exact" else None
        new_graphs = self._new_graphs() if kind == "hnsw" else None
        new_rows = RowFile(self.dim, self.spill_dir) if kind == "hnsw" else None
        if new_graphs is not None and self._graphs is not None and self._graphs.trained:
            new_graphs.train_like(self._graphs)  # keep the ranges: codes stay comparable
        elif new_graphs is not None:
            new_graphs.train(self._training_sample(live, extra))
        extra_blocks = (extra[s : s + 4 * _BLOCK] for s in range(0, len(extra), 4 * _BLOCK))
        start = 0
        for block in itertools.chain(self._blocks(live), extra_blocks):
            if new_graphs is not None:
                rows = np.arange(start, start + len(block))
                new_graphs.add(rows, block, labels[start : start + len(block)])
            else:
                new_faiss.add(block)
            if new_rows is not None:
                new_rows.append(block)
            start += len(block)
        if new_rows is not None:
            # Flush the bulk write as part of the build, so that the first queries do not
            # compete with the kernel writing back ~1 GB of dirty pages (1M rows).
            new_rows.sync()
        row_of = {doc_id: row for row, doc_id in enumerate(ids) if doc_id is not None}
        with self._lock:
            self._faiss = new_faiss
            self._graphs = new_graphs
            self._rows = new_rows
            self._kind = kind
            self._row_ids = ids
            self._row_of = row_of
            self._n = n
            self._live = np.ones(n, dtype=bool)
            self._label = labels.astype(np.int8)
            self._written()

    def relabel(self, ids: Sequence[str], labels: Sequence[int]) -> None:
        """Set the labels of indexed ids (e.g. after loading an index saved without them);
        the graphs, which are per label, are rebuilt."""
        with self._write_lock, self._lock:
            rows = np.array([self._row_of[i] for i in ids], np.int64)
            self._label[rows] = np.asarray(labels, np.int8)
            if self._graphs is not None:
                self._rebuild()

    def _training_sample(self, live: np.ndarray, extra: np.ndarray) -> np.ndarray:
        """Up to TRAIN_SAMPLE rows spread evenly over the live rows and `extra`."""
        total = len(live) + len(extra)
        step = max(1, -(-total // TRAIN_SAMPLE))
        picks = np.arange(0, total, step)
        old, new = picks[picks < len(live)], picks[picks >= len(live)] - len(live)
        return np.vstack([self._decode(live[old]), extra[new]])

    def _new_graphs(self) -> _Graphs:
        return _Graphs(self.dim, self.hnsw_m, self.ef_construction, self.ef_search)

    def _blocks(self, rows: np.ndarray) -> Iterator[np.ndarray]:
        for start in range(0, len(rows), _BLOCK):
            yield self._decode(rows[start : start + _BLOCK])

    def _decode(self, rows: np.ndarray) -> np.ndarray:
        """The stored rows as float32: a copy for "exact", the float16 rows for "hnsw"."""
        if not len(rows):
            return np.zeros((0, self.dim), np.float32)
        if self._rows is not None:
            return self._rows.read(rows)
        decoded = np.asarray(self._faiss.reconstruct_batch(rows), dtype=np.float32)
        return decoded

    # --- search ------------------------------------------------------------------------------

    def search(
        self,
        vectors: np.ndarray,
        k: int,
        allowed: Iterable[str] | None = None,
        *,
        label: int | None = None,
        ef: int | None = None,
    ) -> list[list[Hit]]:
        """The k best live ids for each query row, best first, ties broken by id.

        `allowed` restricts results to those ids, `label` to the rows added with that label;
        `ef` overrides the graph's efSearch (a cheaper, rougher search). For "hnsw" the filter
        is applied inside faiss (an ID selector), so no over-fetch guess is needed; a small
        allowed set, or a graph search that comes back short under a selective filter, is
        answered by a scan."""
        queries = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        if queries.shape[1] != self.dim:
            raise ValueError(f"query dimension {queries.shape[1]} != index dimension {self.dim}")
        with self._lock:
            if (
                self._kind == "hnsw"
                and label is None
                and isinstance(allowed, (set, frozenset))
                and len(allowed) >= BROAD_FILTER_SHARE * len(self._row_of)
            ):
                broad = self._search_broad(queries, k, allowed, ef)
                if broad is not None:
                    return broad
            rows = None if allowed is None else rows_of(self._row_of, allowed)
            if label is not None:
                grouped = self._live[: self._n] & (self._label[: self._n] == label)
                rows = np.flatnonzero(grouped) if rows is None else rows[grouped[rows]]
            size = len(self._row_of) if rows is None else len(rows)
            if k <= 0 or size == 0:
                return [[] for _ in range(len(queries))]
            # A scan reads each candidate's float16 row (one pread per row when they are
            # scattered, as a language's are): only for a filter narrow enough that the graph
            # would come back short, not for a third of the index.
            narrow = size <= min(self.exact_scan_limit, NARROW_FILTER_SHARE * len(self._row_of))
            if self._kind == "hnsw" and rows is not None and narrow:
                return self._scan(queries, rows, k)
            fetch = self._fetch(k, size)
            if self._graphs is not None:
                bitmaps = self._graph_bitmaps(rows, label)
                scores, found = self._search_graphs(queries, fetch, ef, bitmaps)
            else:
                with _threads(1 if len(queries) <= _SERIAL_QUERIES else None):
                    mask = self._live_bitmap() if rows is None else _bitmap(rows, self._n)
                    selector = None if mask is None else faiss.IDSelectorBitmap(mask)
                    params = None if selector is None else faiss.SearchParameters(sel=selector)
                    scores, found = self._faiss.search(queries, fetch, params=params)
                    del mask  # kept alive until here: the selector points into it
            if self._refines():
                scores = self._rescore(queries, found)
            results = [self._hits(s, f, k) for s, f in zip(scores, found, strict=True)]
            if self._kind == "hnsw":
                short = [i for i, r in enumerate(results) if len(r) < min(k, size)]
                if short:
                    for i, hits in zip(short, self._scan(queries[short], rows, k), strict=True):
                        results[i] = hits
            return results

    def _search_broad(
        self, queries: np.ndarray, k: int, allowed: AbstractSet[str], ef: int | None
    ) -> list[list[Hit]] | None:
        """A filter that lets through a large share of the graph (e.g. one kind of profile):
        search the graphs without it, deep enough that their candidates hold as many allowed
        ones as a search filtered inside faiss would re-score, and drop the rest before
        re-scoring; None when a query still comes back short (the caller then filters inside
        faiss). Saves turning every allowed id into a row (≈ 40 ms for 50k ids) and reading
        the rows of candidates that are dropped anyway."""
        live = len(self._row_of)
        fetch = self._fetch(k, min(len(allowed), live))
        over = min(live, math.ceil(fetch * live / max(len(allowed), 1) * 1.5))
        bitmaps = self._graph_bitmaps(None, None)
        for _ in range(BROAD_TRIES):
            scores, found = self._search_graphs(queries, over, ef, bitmaps)
            kept = np.full((len(queries), fetch), -1, np.int64)
            kept_scores = np.full((len(queries), fetch), -np.inf, np.float32)
            short = False
            for i, (row_scores, rows) in enumerate(zip(scores, found, strict=True)):
                picked = self._allowed_first(row_scores, rows, allowed, fetch)
                kept[i, : len(picked)] = rows[picked]
                kept_scores[i, : len(picked)] = row_scores[picked]
                short = short or len(picked) < fetch
            if not short:
                if self._refines():
                    kept_scores = self._rescore(queries, kept)
                return [self._hits(s, f, k) for s, f in zip(kept_scores, kept, strict=True)]
            if over >= live:
                break
            # A query among its own kind (a request whose neighbours are requests): a deeper
            # graph search still costs a fraction of turning every allowed id into a row.
            over = min(live, over * 4)
        return None

    def _refines(self) -> bool:
        """Whether a graph's candidates are re-scored from the float16 rows."""
        return self._kind == "hnsw" and self._rows is not None and self.refine > 0

    def _fetch(self, k: int, size: int) -> int:
        """How many candidates a search takes before the cut at k, of `size` searchable: a
        few extra so that ties at the cut are ordered by id, and as many as are re-scored."""
        return min(size, max(k + 8, self.refine if self._refines() else 0))

    def _search_graphs(
        self, queries: np.ndarray, n: int, ef: int | None, bitmaps: Mapping[int, np.ndarray | None]
    ) -> tuple[np.ndarray, np.ndarray]:
        assert self._graphs is not None
        with _threads(1 if len(queries) <= _SERIAL_QUERIES else None):
            return self._graphs.search(queries, n, max(ef or self.ef_search, n), bitmaps)

    def _allowed_first(
        self, scores: np.ndarray, rows: np.ndarray, allowed: AbstractSet[str], count: int
    ) -> list[int]:
        """Positions of the best `count` candidates (by their 8-bit scores) that are allowed."""
        picked: list[int] = []
        ids = self._row_ids
        for j in np.argsort(-scores, kind="stable").tolist():  # several graphs: merged unsorted
            row = int(rows[j])
            if row >= 0 and ids[row] in allowed:
                picked.append(j)
                if len(picked) == count:
                    break
        return picked

    def _rescore(self, queries: np.ndarray, found: np.ndarray) -> np.ndarray:
        """Scores of the graph's candidates (faiss ids, -1 = none) recomputed from the
        float16 rows; -inf where there is no candidate."""
        assert self._rows is not None
        scores = np.full(found.shape, -np.inf, np.float32)
        for i, (query, rows) in enumerate(zip(queries, found, strict=True)):
            valid = rows >= 0
            if valid.any():
                scores[i, valid] = self._rows.read(rows[valid]) @ query
        return scores

    def _flat_rows(self) -> np.ndarray:
        """A zero-copy view of the "exact" kind's rows; valid until the next write."""
        pointer = faiss.rev_swig_ptr(self._faiss.get_xb(), self._n * self.dim)
        rows: np.ndarray = pointer.reshape(self._n, self.dim)
        return rows

    def _live_rows(self) -> np.ndarray:
        """Sorted live rows."""
        return np.flatnonzero(self._live[: self._n])

    def _graph_bitmaps(
        self, rows: np.ndarray | None, label: int | None
    ) -> dict[int, np.ndarray | None]:
        """Per graph to search (all, or the label's): the packed local ids a result may have,
        None for any; graphs without an allowed row are left out."""
        assert self._graphs is not None
        labels = self._graphs.labels() if label is None else [label]
        if rows is None:
            if not self.tombstones:
                return dict.fromkeys(labels)
            for each in labels:
                if each not in self._graph_live_bits:
                    members = self._graphs.members(each)
                    self._graph_live_bits[each] = np.packbits(
                        self._live[members], bitorder="little"
                    )
            return {each: self._graph_live_bits[each] for each in labels}
        present = set(np.unique(self._label[rows]).tolist())
        mask = _mask(rows, self._n)
        return {
            each: np.packbits(mask[self._graphs.members(each)], bitorder="little")
            for each in labels
            if each in present
        }

    def _live_bitmap(self) -> np.ndarray | None:
        """Packed live rows for a faiss selector; None when there are no tombstones."""
        if not self.tombstones:
            return None
        if self._live_bits is None:
            self._live_bits = np.packbits(self._live[: self._n], bitorder="little")
        return self._live_bits

    def _hits(self, scores: np.ndarray, rows: np.ndarray, k: int) -> list[Hit]:
        hits = []
        for score, row in zip(scores.tolist(), rows.tolist(), strict=True):
            doc_id = self._row_ids[row] if row >= 0 else None
            if doc_id is not None and score > -np.inf:
                hits.append(Hit(doc_id, float(score)))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:k]

    def _scan(self, queries: np.ndarray, rows: np.ndarray | None, k: int) -> list[list[Hit]]:
        """Score every candidate row (all live rows when `rows` is None) block by block and
        keep the best k + 8 per query."""
        n = len(self._row_of) if rows is None else len(rows)
        fetch = min(n, k + 8)
        out: list[list[Hit]] = []
        for start in range(0, len(queries), _QUERY_BLOCK):
            chunk = queries[start : start + _QUERY_BLOCK]
            best_scores = np.full((len(chunk), 0), -np.inf, np.float32)
            best_rows = np.zeros((len(chunk), 0), np.int64)
            for block_rows, block_scores in self._scored_blocks(chunk, rows):
                top = _top(block_scores, fetch)
                best_scores = np.hstack([best_scores, np.take_along_axis(block_scores, top, 1)])
                best_rows = np.hstack([best_rows, block_rows[top]])
                keep = _top(best_scores, fetch)
                best_scores = np.take_along_axis(best_scores, keep, 1)
                best_rows = np.take_along_axis(best_rows, keep, 1)
            out.extend(self._hits(s, r, k) for s, r in zip(best_scores, best_rows, strict=True))
        return out

    def _scored_blocks(
        self, queries: np.ndarray, rows: np.ndarray | None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(rows, their scores) per block of the candidate rows, all live rows by default."""
        candidates = self._live_rows() if rows is None else np.sort(rows)
        for start in range(0, len(candidates), _BLOCK):
            block = candidates[start : start + _BLOCK]
            yield block, queries @ self._decode(block).T

    # --- persistence -------------------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "format": FORMAT,
            "model": self.model,
            "dim": self.dim,
            "kind": self._kind,
            "codec": self.codec,
            "count": len(self._row_of),
            "ids": self._row_ids[: self._n],  # row order; null = tombstone
            "labels": self._label[: self._n].tolist(),
        }
        if self._graphs is not None:
            body["hnsw"] = {
                "M": self.hnsw_m,
                "efConstruction": self.ef_construction,
                "graphs": {str(label): _graph_file(label) for label in self._graphs.labels()},
            }
            body["rows"] = {"file": ROWS_FILE, "dtype": ROW_DTYPE.str}
        return body

    def write_to(self, directory: Path) -> dict[str, Any]:
        """Write the data files into an existing directory; returns the manifest to commit.
        "exact" writes its float rows (vectors.npy); "hnsw" writes each label's faiss index,
        which holds the codes and the graph (hnsw-LABEL.faiss), so loading does not rebuild
        the graphs, and the float16 rows for re-scoring (ROWS_FILE)."""
        with self._lock:
            if self._graphs is not None:
                for label, graph in self._graphs.graphs.items():
                    faiss.write_index(graph, str(directory / _graph_file(label)))
                assert self._rows is not None
                self._rows.write(directory / ROWS_FILE)
            else:
                np.save(directory / "vectors.npy", self._flat_rows(), allow_pickle=False)
            return self.manifest()

    def save(self, path: Path) -> None:
        """Atomically publish the index at `path` (see matching.storage)."""
        with self._lock:
            written: dict[str, Any] = {}
            storage.publish(path, self.manifest(), lambda d: written.update(self.write_to(d)))

    @classmethod
    def read_from(
        cls,
        manifest: dict[str, Any],
        directory: Path,
        *,
        model: str | None = None,
        **options: Any,
    ) -> VectorIndex:
        if manifest.get("format") not in READABLE_FORMATS:
            raise storage.StorageError(
                f"{directory}: not a vector index ({manifest.get('format')})"
            )
        if model is not None:
            check_model(str(manifest["model"]), model, where=f"the index at {directory.parent}")
        index = cls(int(manifest["dim"]), str(manifest["model"]), **options)
        row_ids: list[str | None] = list(manifest["ids"])
        index._row_ids = row_ids
        index._row_of = {doc_id: r for r, doc_id in enumerate(row_ids) if doc_id is not None}
        index._n = len(row_ids)
        index._live = np.array([i is not None for i in row_ids], dtype=bool)
        index._label = np.array(manifest.get("labels") or [0] * len(row_ids), np.int8)
        fmt = manifest.get("format")
        if fmt != READABLE_FORMATS[0] and manifest.get("kind") == "hnsw":
            index._kind = "hnsw"
            index.hnsw_m = int(manifest.get("hnsw", {}).get("M", index.hnsw_m))
            if fmt == FORMAT:
                index._rows = RowFile.open(
                    directory / ROWS_FILE, index._n, index.dim, index.spill_dir
                )
                index._graphs = index._new_graphs()
                for label, name in manifest["hnsw"]["graphs"].items():
                    graph = _read_graph(directory / name, index.dim)
                    graph.hnsw.efSearch = index.ef_search
                    index._graphs.adopt(
                        int(label), graph, np.flatnonzero(index._label == int(label))
                    )
                index._graphs.check(index._n)
            else:  # /2, /3: one graph for every label; its rows make the per-label graphs
                single = _read_graph(directory / "hnsw.faiss", index.dim)
                if single.ntotal != index._n:
                    raise storage.StorageError(
                        f"{directory}: hnsw.faiss does not match the manifest"
                    )
                if fmt == "qiao-vector-index/3":
                    index._rows = RowFile.open(
                        directory / ROWS_FILE, index._n, index.dim, index.spill_dir
                    )
                else:  # /2 kept no float rows: start from the decoded codes
                    rows = RowFile(index.dim, index.spill_dir)
                    for start in range(0, index._n, _BLOCK):
                        block = np.arange(start, min(index._n, start + _BLOCK))
                        rows.append(np.asarray(single.reconstruct_batch(block), np.float32))
                    index._rows = rows
                index._rebuild()
                return index
        else:  # float rows: this format's "exact", or any kind of format /1
            vectors = np.load(directory / "vectors.npy", allow_pickle=False)
            if vectors.shape != (len(row_ids), index.dim):
                raise storage.StorageError(f"{directory}: vectors do not match the manifest")
            index._faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))
        if index._kind_for(len(index)) != index._kind or index._needs_compaction():
            index._rebuild()
        return index

    @classmethod
    def load(cls, path: Path, *, model: str | None = None, **options: Any) -> VectorIndex:
        """Load what `save` published; with `model`, refuse an index of another model."""
        return storage.load(
            path, lambda manifest, d: cls.read_from(manifest, d, model=model, **options)
        )


# --- helpers ---------------------------------------------------------------------------------


@contextmanager
def _threads(count: int | None) -> Iterator[None]:
    """Run faiss with `count` OpenMP threads in this thread (None: unchanged). One query on
    a flat index is split across threads; on a busy machine the threads wait for each other
    (measured: 1.4 ms alone, 48 ms split in two at 10k rows), and a server answers queries
    in parallel anyway. OpenMP keeps the setting per calling thread, so others are unaffected."""
    if count is None:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def copy_trained(source: Any, target: Any) -> None:
    """Give `target` (an untrained IndexHNSWSQ) the quantiser ranges of `source`."""
    src = faiss.downcast_index(source.storage)
    dst = faiss.downcast_index(target.storage)
    dst.sq.trained = src.sq.trained
    dst.is_trained = True
    target.is_trained = True


def _graph_file(label: int) -> str:
    return f"hnsw-{label}.faiss"


def _read_graph(path: Path, dim: int) -> Any:
    try:
        graph = faiss.read_index(str(path))
    except RuntimeError as exc:  # faiss reports I/O and format errors this way
        if not path.exists():
            raise FileNotFoundError(path) from exc  # storage.load retries on this
        raise storage.StorageError(f"{path}: {exc}") from exc
    if graph.d != dim:
        raise storage.StorageError(f"{path}: dimension {graph.d}, not {dim}")
    return graph


class _Graphs:
    """The "hnsw" kind's graphs, one per row label. In one graph shared by every language a
    document's neighbourhood is mostly its own language: a search filtered to another
    language used up its efSearch nodes before finding k members and fell back to scanning
    the whole language (at 21k profiles, 6,359 of 7,000 neighbour searches of a load came
    back short). Graph L holds the rows labelled L in row order, so its local id i is the
    i-th such row; all graphs share one quantiser range, so their scores compare."""

    def __init__(self, dim: int, m: int, ef_construction: int, ef_search: int) -> None:
        self.dim, self.m = dim, m
        self.ef_construction, self.ef_search = ef_construction, ef_search
        self.graphs: dict[int, Any] = {}
        self._members: dict[int, np.ndarray] = {}  # label -> rows (capacity may exceed ntotal)
        self._trained: Any = None  # an empty graph holding the quantiser ranges

    @property
    def trained(self) -> bool:
        return self._trained is not None

    def train(self, sample: np.ndarray) -> None:
        self._trained = self._new()
        self._trained.train(sample)

    def train_like(self, other: _Graphs) -> None:
        self._trained = other._trained  # empty and only read: the ranges, shared

    def _new(self) -> Any:
        graph = faiss.IndexHNSWSQ(
            self.dim, faiss.ScalarQuantizer.QT_8bit, self.m, faiss.METRIC_INNER_PRODUCT
        )
        graph.hnsw.efConstruction = self.ef_construction
        graph.hnsw.efSearch = self.ef_search
        return graph

    def labels(self) -> list[int]:
        return sorted(self.graphs)

    def members(self, label: int) -> np.ndarray:
        """The rows of graph `label`, by local id."""
        return self._members[label][: self.graphs[label].ntotal]

    def adopt(self, label: int, graph: Any, rows: np.ndarray) -> None:
        """Take a loaded graph of these rows."""
        if graph.ntotal != len(rows):
            raise storage.StorageError(f"graph {label}: {graph.ntotal} vectors, {len(rows)} rows")
        self.graphs[label], self._members[label] = graph, rows.astype(np.int64)
        if self._trained is None:  # an empty copy: holding `graph` would outlive a rebuild
            self._trained = self._new()
            copy_trained(graph, self._trained)

    def check(self, n: int) -> None:
        if sum(g.ntotal for g in self.graphs.values()) != n:
            raise storage.StorageError("the graphs do not hold every row")

    def add(self, rows: np.ndarray, vectors: np.ndarray, labels: np.ndarray) -> None:
        for label in np.unique(labels).tolist():
            pick = labels == label
            if label not in self.graphs:
                self.graphs[label] = self._new()
                copy_trained(self._trained, self.graphs[label])
                self._members[label] = np.zeros(0, np.int64)
            graph = self.graphs[label]
            start, count = graph.ntotal, int(pick.sum())
            members = self._members[label]
            if start + count > len(members):
                members = np.resize(members, max(start + count, 2 * len(members), 64))
                self._members[label] = members
            graph.add(np.ascontiguousarray(vectors[pick]))
            members[start : start + count] = rows[pick]

    def search(
        self, queries: np.ndarray, fetch: int, ef: int, bitmaps: Mapping[int, np.ndarray | None]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(8-bit scores, rows) of the best `fetch` per query over the graphs in `bitmaps`
        (label -> packed allowed local ids, None for any); row -1 where there is none."""
        scores, rows = [], []
        for label, bits in bitmaps.items():
            graph = self.graphs.get(label)
            if graph is None or not graph.ntotal:
                continue
            selector = None if bits is None else faiss.IDSelectorBitmap(bits)
            params = faiss.SearchParametersHNSW(sel=selector, efSearch=ef)
            found_scores, local = graph.search(queries, min(fetch, graph.ntotal), params=params)
            members = self.members(label)
            scores.append(found_scores)
            rows.append(np.where(local >= 0, members[np.maximum(local, 0)], -1))
        if not scores:
            return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
        all_scores, all_rows = np.hstack(scores), np.hstack(rows)
        if all_scores.shape[1] > fetch:  # several graphs: the best fetch of them all
            keep = _top(np.where(all_rows >= 0, all_scores, -np.inf), fetch)
            all_scores = np.take_along_axis(all_scores, keep, 1)
            all_rows = np.take_along_axis(all_rows, keep, 1)
        return all_scores, all_rows

    def nbytes(self) -> tuple[int, int]:
        """(bytes of codes, bytes of graph links)."""
        codes = links = 0
        for graph in self.graphs.values():
            codes += int(faiss.downcast_index(graph.storage).codes.size())
            hnsw = graph.hnsw
            links += 4 * hnsw.neighbors.size() + 8 * hnsw.offsets.size() + 4 * hnsw.levels.size()
        return codes, links


def rows_of(row_of: Mapping[str, int], ids: Iterable[str]) -> np.ndarray:
    """The rows of these ids, unknown ones left out, without a Python call per id (a filter
    can hold most of a large index)."""
    found = np.fromiter(map(row_of.get, ids, itertools.repeat(-1)), np.int64)
    found = found[found >= 0]
    return found if isinstance(ids, (set, frozenset, dict)) else np.unique(found)


def _mask(rows: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _bitmap(rows: np.ndarray, n: int) -> np.ndarray:
    return np.packbits(_mask(rows, n), bitorder="little")


def _top(scores: np.ndarray, fetch: int) -> np.ndarray:
    """Column indices of the `fetch` largest scores of each row (unordered)."""
    if scores.shape[1] <= fetch:
        return np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    return np.argpartition(-scores, fetch - 1, axis=1)[:, :fetch]


class RowFile:
    """Float16 rows in files, read and written with positional reads and writes (os.pread,
    os.pwrite): they take room in the OS page cache, not in the process (no mapping, so
    nothing of them counts as resident memory). Rows [0, base) are those of a saved
    generation, whose file is opened read-only (a published generation is never modified);
    rows appended since go to a temporary, already unlinked file in `spill_dir`."""

    def __init__(self, dim: int, spill_dir: str | Path | None = None) -> None:
        self.dim = dim
        self.row_bytes = dim * ROW_DTYPE.itemsize
        self._spill_dir = spill_dir
        self._base: Any = None  # an open file of a saved generation
        self._base_offset = 0  # where its rows start (after the .npy header)
        self._base_rows = 0
        self._tail: Any = None  # the temporary file of appended rows, created on first use
        self._tail_rows = 0
        self.warming: threading.Thread | None = None  # reads a loaded file into the page cache

    def __len__(self) -> int:
        return self._base_rows + self._tail_rows

    @classmethod
    def open(cls, path: Path, rows: int, dim: int, spill_dir: str | Path | None = None) -> RowFile:
        """The rows of a file that `write` made; `rows` × `dim` is checked against it."""
        store = cls(dim, spill_dir)
        fh = open(path, "rb")  # noqa: SIM115 - kept open: the rows are read from it later
        try:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
            if shape != (rows, dim) or fortran or dtype != ROW_DTYPE:
                raise storage.StorageError(f"{path}: rows do not match the manifest")
            store._base_offset = fh.tell()
            if os.fstat(fh.fileno()).st_size < store._base_offset + rows * store.row_bytes:
                raise storage.StorageError(f"{path}: truncated")
        except BaseException:
            fh.close()
            raise
        store._base, store._base_rows = fh, rows
        # Read the file through once, in the background, so that it is in the page cache: a
        # cold file costs every query its candidates' rows from the disk one by one (300k
        # rows after a cache drop: p50 9–10 ms cold, 4.5–4.8 ms 3 s after this starts, which
        # is the warm figure; posix_fadvise(WILLNEED) did not help). The thread holds `fh`.
        store.warming = threading.Thread(
            target=_read_through,
            args=(fh, store._base_offset + rows * store.row_bytes),
            name="qiao-row-file-warm-up",
            daemon=True,
        )
        store.warming.start()
        return store

    def append(self, vectors: np.ndarray) -> None:
        data = np.ascontiguousarray(vectors, dtype=ROW_DTYPE).tobytes()
        if self._tail is None:
            self._tail = tempfile.TemporaryFile(dir=self._spill_dir)  # noqa: SIM115
        _pwrite_all(self._tail.fileno(), data, self._tail_rows * self.row_bytes)
        self._tail_rows += len(vectors)

    def sync(self) -> None:
        """Write the appended rows through to the disk (os.fsync)."""
        if self._tail is not None:
            os.fsync(self._tail.fileno())

    def read(self, rows: np.ndarray) -> np.ndarray:
        """Rows as float32, in the order asked. A dense sorted run is one read; scattered
        rows (the candidates of a query) one read each."""
        rows = np.asarray(rows, dtype=np.int64)
        if not len(rows):
            return np.zeros((0, self.dim), np.float32)
        if rows.min() < 0 or rows.max() >= len(self):
            raise IndexError("row out of range")
        first, last = int(rows[0]), int(rows[-1])
        if len(rows) > 1 and bool(np.all(rows[1:] > rows[:-1])) and last - first < 4 * len(rows):
            span = self._span(first, last - first + 1)
            picked: np.ndarray = span[rows - first].astype(np.float32)
            return picked
        rb = self.row_bytes
        parts = []
        for row in rows.tolist():
            if row < self._base_rows:
                fd, offset = self._base.fileno(), self._base_offset + row * rb
            else:
                fd, offset = self._tail.fileno(), (row - self._base_rows) * rb
            parts.append(_pread_all(fd, rb, offset))
        flat = np.frombuffer(b"".join(parts), dtype=ROW_DTYPE)
        return flat.reshape(len(rows), self.dim).astype(np.float32)

    def _span(self, start: int, count: int) -> np.ndarray:
        """Rows [start, start + count) as float16."""
        rb = self.row_bytes
        parts = []
        if start < self._base_rows:
            n = min(count, self._base_rows - start)
            parts.append(_pread_all(self._base.fileno(), n * rb, self._base_offset + start * rb))
            start, count = start + n, count - n
        if count:
            offset = (start - self._base_rows) * rb
            parts.append(_pread_all(self._tail.fileno(), count * rb, offset))
        flat = np.frombuffer(b"".join(parts), dtype=ROW_DTYPE)
        return flat.reshape(-1, self.dim)

    def write(self, path: Path) -> None:
        """All rows as one .npy file (float16, rows × dim), written block by block."""
        header = {"descr": ROW_DTYPE.str, "fortran_order": False, "shape": (len(self), self.dim)}
        with open(path, "wb") as fh:
            np.lib.format.write_array_header_1_0(fh, header)
            for start in range(0, len(self), _BLOCK):
                fh.write(self._span(start, min(_BLOCK, len(self) - start)).tobytes())


def _read_through(fh: Any, size: int) -> None:
    """Read a file once, 16 MB at a time, and discard what was read (see RowFile.open)."""
    chunk = 16 << 20
    try:
        for offset in range(0, size, chunk):
            os.pread(fh.fileno(), chunk, offset)
    except (OSError, ValueError):  # closed or gone: nothing to warm any more
        return


def _pread_all(fd: int, size: int, offset: int) -> bytes:
    data = os.pread(fd, size, offset)
    if len(data) == size:
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = os.pread(fd, size - got, offset + got)
        if not more:
            raise OSError(f"short read: {got} of {size} bytes at {offset}")
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while len(view):
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written
