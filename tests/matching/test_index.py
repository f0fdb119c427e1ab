from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matching import Embedder, IndexMismatchError, VectorIndex

MODEL = "test-model"
NTREX = Path(__file__).resolve().parents[3] / "shared/benchmarks/parallel/ntrex128"


def unit_rows(n: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def make(n: int = 50, **options: object) -> tuple[VectorIndex, np.ndarray]:
    vectors = unit_rows(n)
    index = VectorIndex(16, MODEL, **options)  # type: ignore[arg-type]
    index.add([f"d{i:03d}" for i in range(n)], vectors, model=MODEL)
    return index, vectors


def test_exact_search_finds_itself_first() -> None:
    index, vectors = make()
    hits = index.search(vectors[7], k=3)[0]
    assert hits[0].id == "d007"
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert hits[0].score >= hits[1].score >= hits[2].score
    assert index.kind == "exact"


def test_update_replaces_and_remove_forgets() -> None:
    index, vectors = make()
    index.add(["d007"], vectors[[8]], model=MODEL)  # d007 now points where d008 is
    assert len(index) == 50
    top = index.search(vectors[8], k=2)[0]
    assert {h.id for h in top} == {"d007", "d008"}
    assert index.search(vectors[7], k=1)[0][0].id != "d007"
    index.remove(["d008", "missing"])
    assert "d008" not in index and len(index) == 49
    assert all(h.id != "d008" for h in index.search(vectors[8], k=49)[0])


def test_ties_are_broken_by_id() -> None:
    index = VectorIndex(16, MODEL)
    v = unit_rows(1)
    index.add(["b", "c", "a"], np.vstack([v, v, v]), model=MODEL)
    assert [h.id for h in index.search(v, k=3)[0]] == ["a", "b", "c"]
    assert [h.id for h in index.search(v, k=2)[0]] == ["a", "b"]


def test_filtered_search_returns_only_allowed() -> None:
    index, vectors = make()
    allowed = {"d001", "d002", "d040", "nope"}
    hits = index.search(vectors[7], k=10, allowed=allowed)[0]
    assert {h.id for h in hits} == {"d001", "d002", "d040"}
    assert index.search(vectors[7], k=10, allowed=set())[0] == []


def test_refuses_vectors_of_another_model() -> None:
    index, vectors = make()
    with pytest.raises(IndexMismatchError, match="other-model"):
        index.add(["x"], vectors[:1], model="other-model")


def test_rejects_wrong_shapes() -> None:
    index, _ = make()
    with pytest.raises(ValueError):
        index.add(["x"], unit_rows(1, dim=8), model=MODEL)
    with pytest.raises(ValueError):
        index.add(["x", "x"], unit_rows(2), model=MODEL)


def test_tombstones_trigger_compaction() -> None:
    index, vectors = make(n=50, ann_threshold=10, rebuild_fraction=0.2)
    assert index.kind == "hnsw"
    index.remove([f"d{i:03d}" for i in range(5)])
    assert index.tombstones == 5  # below 20%: kept, skipped at search time
    assert all(
        not h.id.startswith("d00") or h.id >= "d005" for h in index.search(vectors[0], 50)[0]
    )
    index.remove([f"d{i:03d}" for i in range(5, 12)])
    assert index.tombstones == 0  # over 20%: rebuilt
    assert len(index) == 38
    assert index.search(vectors[20], k=1)[0][0].id == "d020"


def test_switches_to_hnsw_beyond_threshold_and_back() -> None:
    index, vectors = make(n=20, ann_threshold=25)
    assert index.kind == "exact"
    index.add([f"e{i}" for i in range(10)], unit_rows(10, seed=1), model=MODEL)
    assert index.kind == "hnsw"
    assert index.search(vectors[3], k=1)[0][0].id == "d003"


def test_save_load_round_trip(tmp_path: Path) -> None:
    index, vectors = make(n=30, ann_threshold=20)
    index.remove(["d001"])
    index.save(tmp_path / "idx")
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["model"] == MODEL and manifest["dim"] == 16
    assert "d002" in manifest["ids"] and "d001" not in manifest["ids"]
    loaded = VectorIndex.load(tmp_path / "idx", model=MODEL, ann_threshold=20)
    assert loaded.kind == "hnsw" and len(loaded) == 29 and "d001" not in loaded
    for q in (vectors[2], vectors[17]):
        assert loaded.search(q, k=5) == index.search(q, k=5)
    # saving again replaces atomically and keeps working
    loaded.add(["new"], vectors[:1], model=MODEL)
    loaded.save(tmp_path / "idx")
    assert "new" in VectorIndex.load(tmp_path / "idx")


def test_load_refuses_another_model(tmp_path: Path) -> None:
    index, _ = make(n=5)
    index.save(tmp_path / "idx")
    with pytest.raises(IndexMismatchError, match="test-model"):
        VectorIndex.load(tmp_path / "idx", model="use-multilingual-v3-int8")


@pytest.mark.skipif(not NTREX.exists(), reason="needs ../shared/benchmarks")
def test_exact_and_hnsw_agree_on_real_sentences(embedder: Embedder) -> None:
    lines = [
        line
        for lang in ("en", "ru", "zh")
        for line in (NTREX / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[:1000]
    ]
    vectors = embedder.embed(lines)
    ids = [f"s{i}" for i in range(len(lines))]
    exact = VectorIndex(embedder.dim, embedder.name)
    hnsw = VectorIndex(embedder.dim, embedder.name, ann_threshold=500)
    for index in (exact, hnsw):
        index.add(ids, vectors, model=embedder.name)
    assert (exact.kind, hnsw.kind) == ("exact", "hnsw")
    queries = vectors[::15]
    want = exact.search(queries, k=10)
    got = hnsw.search(queries, k=10)
    overlap = np.mean(
        [len({h.id for h in a} & {h.id for h in b}) / 10 for a, b in zip(want, got, strict=True)]
    )
    assert overlap >= 0.97
    # filtered: a large allowed set goes through HNSW with a selector, a small one is scanned
    for allowed in (set(ids[::2]), set(ids[:50])):
        want = exact.search(queries, k=10, allowed=allowed)
        got = hnsw.search(queries, k=10, allowed=allowed)
        assert all(h.id in allowed for hits in got for h in hits)
        assert all(len(hits) == 10 for hits in got)
        top1 = np.mean([a[0].id == b[0].id for a, b in zip(want, got, strict=True)])
        assert top1 >= 0.97
