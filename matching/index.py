"""A vector index with string ids: exact inner-product search for small corpora, HNSW beyond a
threshold, incremental add / update / remove, filtered search, atomic persistence.

Rows are append-only. Updating an id appends a new row and leaves a tombstone on the old one;
removing leaves a tombstone. HNSW cannot delete, so tombstones are skipped at search time (a
faiss ID selector) and the index is rebuilt once they exceed `rebuild_fraction` of the rows.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np

from matching import storage

# faiss logs each CPU-feature probe at INFO on import; that is noise in every command's output.
logging.getLogger("faiss.loader").setLevel(logging.WARNING)
import faiss as _faiss  # noqa: E402

# The SWIG-generated signatures do not describe the Python API (numpy arrays, keywords).
faiss: Any = _faiss

FORMAT = "qiao-vector-index/1"
DEFAULT_ANN_THRESHOLD = 200_000


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


class VectorIndex:
    def __init__(
        self,
        dim: int,
        model: str,
        *,
        ann_threshold: int = DEFAULT_ANN_THRESHOLD,
        hnsw_m: int = 32,
        ef_construction: int = 200,
        ef_search: int = 128,
        rebuild_fraction: float = 0.2,
        exact_scan_limit: int = 10_000,
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
        self._vectors = np.zeros((0, dim), dtype=np.float32)
        self._n = 0  # rows in use (live + tombstones)
        self._row_ids: list[str | None] = []  # None marks a tombstone
        self._row_of: dict[str, int] = {}
        self._faiss: Any = None
        self._kind: Literal["exact", "hnsw"] = "exact"
        self._lock = threading.RLock()
        self._rebuild()

    # --- state -------------------------------------------------------------------------------

    @property
    def kind(self) -> Literal["exact", "hnsw"]:
        return self._kind

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

    def vector(self, doc_id: str) -> np.ndarray:
        with self._lock:
            return np.array(self._vectors[self._row_of[doc_id]], dtype=np.float32)

    # --- writes ------------------------------------------------------------------------------

    def add(self, ids: Sequence[str], vectors: np.ndarray, *, model: str) -> None:
        """Insert or replace; `model` must be the index's model."""
        check_model(self.model, model)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape != (len(ids), self.dim):
            raise ValueError(f"expected a {len(ids)}×{self.dim} matrix, got {vectors.shape}")
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in one add()")
        with self._lock:
            for doc_id in ids:
                self._bury(doc_id)
            start = self._n
            self._ensure_capacity(start + len(ids))
            self._vectors[start : start + len(ids)] = vectors
            self._row_ids[start : start + len(ids)] = list(ids)
            for offset, doc_id in enumerate(ids):
                self._row_of[doc_id] = start + offset
            self._n += len(ids)
            wanted = "hnsw" if len(self._row_of) > self.ann_threshold else "exact"
            if wanted != self._kind or self._needs_compaction():
                self._rebuild()
            else:
                self._faiss.add(vectors)

    def remove(self, ids: Iterable[str]) -> None:
        """Forget ids; unknown ids are ignored."""
        with self._lock:
            for doc_id in ids:
                self._bury(doc_id)
            if self._needs_compaction():
                self._rebuild()

    def _bury(self, doc_id: str) -> None:
        row = self._row_of.pop(doc_id, None)
        if row is not None:
            self._row_ids[row] = None

    def _needs_compaction(self) -> bool:
        if self._kind == "exact":
            return self.tombstones > max(1000, self.rebuild_fraction * self._n)
        return self.tombstones > self.rebuild_fraction * max(self._n, 1)

    def _ensure_capacity(self, rows: int) -> None:
        if rows > self._vectors.shape[0]:
            grown = np.zeros((max(rows, 2 * self._vectors.shape[0], 64), self.dim), np.float32)
            grown[: self._n] = self._vectors[: self._n]
            self._vectors = grown
            self._row_ids.extend([None] * (grown.shape[0] - len(self._row_ids)))

    def _rebuild(self) -> None:
        """Compact away tombstones and build the faiss index that fits the size."""
        live = [r for r in range(self._n) if self._row_ids[r] is not None]
        vectors = np.ascontiguousarray(self._vectors[live])
        ids = [self._row_ids[r] for r in live]
        self._vectors = vectors.copy() if len(live) else np.zeros((0, self.dim), np.float32)
        self._row_ids = list(ids)
        self._row_of = {doc_id: row for row, doc_id in enumerate(ids) if doc_id is not None}
        self._n = len(ids)
        self._kind = "hnsw" if self._n > self.ann_threshold else "exact"
        self._faiss = self._new_faiss(self._kind)
        if self._n:
            self._faiss.add(vectors)

    def _new_faiss(self, kind: str) -> Any:
        if kind == "exact":
            return faiss.IndexFlatIP(self.dim)
        index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = self.ef_construction
        index.hnsw.efSearch = self.ef_search
        return index

    # --- search ------------------------------------------------------------------------------

    def search(
        self, vectors: np.ndarray, k: int, allowed: Iterable[str] | None = None
    ) -> list[list[Hit]]:
        """The k best live ids for each query row, best first, ties broken by id.

        `allowed` restricts results to those ids. The filter is applied inside faiss (an ID
        selector), so no over-fetch guess is needed; a small allowed set, or an HNSW search
        that comes back short under a selective filter, is answered by an exact scan."""
        queries = np.ascontiguousarray(np.atleast_2d(vectors), dtype=np.float32)
        if queries.shape[1] != self.dim:
            raise ValueError(f"query dimension {queries.shape[1]} != index dimension {self.dim}")
        with self._lock:
            if allowed is None:
                rows = None
            else:
                rows = np.fromiter(
                    (self._row_of[i] for i in set(allowed) if i in self._row_of), np.int64
                )
            size = len(self._row_of) if rows is None else len(rows)
            if k <= 0 or size == 0:
                return [[] for _ in range(len(queries))]
            if rows is not None and self._kind == "hnsw" and size <= self.exact_scan_limit:
                return self._scan(queries, rows, k)
            fetch = min(size, k + 8)  # a little extra so ties at the cut are ordered by id
            params = self._params(rows, fetch)
            scores, found = self._faiss.search(queries, fetch, params=params)
            results = [self._hits(s, f, k) for s, f in zip(scores, found, strict=True)]
            if self._kind == "hnsw":
                short = [i for i, r in enumerate(results) if len(r) < min(k, size)]
                if short:
                    scan_rows = rows if rows is not None else self._live_rows()
                    for i, hits in zip(
                        short, self._scan(queries[short], scan_rows, k), strict=True
                    ):
                        results[i] = hits
            return results

    def _params(self, rows: np.ndarray | None, fetch: int) -> Any:
        selector = None
        if rows is not None or self.tombstones:
            mask = np.zeros(self._n, dtype=bool)
            if rows is None:
                mask[self._live_rows()] = True
            else:
                mask[rows] = True
            selector = faiss.IDSelectorBitmap(np.packbits(mask, bitorder="little"))
        if self._kind == "hnsw":
            return faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.ef_search, fetch))
        return faiss.SearchParameters(sel=selector) if selector is not None else None

    def _live_rows(self) -> np.ndarray:
        return np.fromiter(self._row_of.values(), dtype=np.int64)

    def _hits(self, scores: np.ndarray, rows: np.ndarray, k: int) -> list[Hit]:
        hits = []
        for score, row in zip(scores.tolist(), rows.tolist(), strict=True):
            doc_id = self._row_ids[row] if row >= 0 else None
            if doc_id is not None:
                hits.append(Hit(doc_id, float(score)))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:k]

    def _scan(self, queries: np.ndarray, rows: np.ndarray, k: int) -> list[list[Hit]]:
        rows = np.sort(rows)
        scores = queries @ self._vectors[rows].T
        out = []
        for row_scores in scores:
            top = np.argsort(-row_scores, kind="stable")[: k + 8]
            out.append(self._hits(row_scores[top], rows[top], k))
        return out

    # --- persistence -------------------------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "model": self.model,
            "dim": self.dim,
            "kind": self._kind,
            "count": len(self._row_of),
            "ids": self._row_ids[: self._n],  # row order; null = tombstone
        }

    def write_to(self, directory: Path) -> dict[str, Any]:
        """Write the data files into an existing directory; returns the manifest to commit."""
        with self._lock:
            np.save(directory / "vectors.npy", self._vectors[: self._n], allow_pickle=False)
            if self._kind == "hnsw":  # rebuilding a large graph on every load would be slow
                faiss.write_index(self._faiss, str(directory / "hnsw.faiss"))
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
        if manifest.get("format") != FORMAT:
            raise storage.StorageError(
                f"{directory}: not a vector index ({manifest.get('format')})"
            )
        if model is not None:
            check_model(str(manifest["model"]), model, where=f"the index at {directory.parent}")
        index = cls(int(manifest["dim"]), str(manifest["model"]), **options)
        vectors = np.load(directory / "vectors.npy", allow_pickle=False)
        row_ids: list[str | None] = list(manifest["ids"])
        if vectors.shape != (len(row_ids), index.dim):
            raise storage.StorageError(f"{directory}: vectors do not match the manifest")
        index._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        index._row_ids = row_ids
        index._row_of = {doc_id: r for r, doc_id in enumerate(row_ids) if doc_id is not None}
        index._n = len(row_ids)
        hnsw = directory / "hnsw.faiss"
        if manifest.get("kind") == "hnsw" and hnsw.exists() and index._n > index.ann_threshold:
            index._kind = "hnsw"
            index._faiss = faiss.read_index(str(hnsw))
            index._faiss.hnsw.efSearch = index.ef_search
        else:
            index._rebuild()
        return index

    @classmethod
    def load(cls, path: Path, *, model: str | None = None, **options: Any) -> VectorIndex:
        """Load what `save` published; with `model`, refuse an index of another model."""
        return storage.load(
            path, lambda manifest, d: cls.read_from(manifest, d, model=model, **options)
        )
