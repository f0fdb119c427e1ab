from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matching import Embedder, Hit, IndexMismatchError, VectorIndex

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


# --- the quantised graph ("hnsw": HNSW over 8-bit codes) -----------------------------------------


def recall_at_10(got: list[list[Hit]], want: list[list[Hit]]) -> float:
    pairs = zip(got, want, strict=True)
    return float(np.mean([len({h.id for h in a} & {h.id for h in b}) / 10 for a, b in pairs]))


def test_quantised_graph_recalls_what_exact_search_finds() -> None:
    vectors = unit_rows(3000, dim=32, seed=3)
    ids = [f"d{i:04d}" for i in range(3000)]
    exact = VectorIndex(32, MODEL)
    graph = VectorIndex(32, MODEL, ann_threshold=1000)
    for index in (exact, graph):
        index.add(ids, vectors, model=MODEL)
    assert (exact.kind, exact.codec) == ("exact", "float32")
    assert (graph.kind, graph.codec) == ("hnsw", "sq8")
    stats = graph.stats()
    assert stats["vector_bytes"] == 3000 * 32  # one byte per dimension
    assert stats["graph_bytes"] > 0
    queries = unit_rows(200, dim=32, seed=4)
    assert recall_at_10(graph.search(queries, k=10), exact.search(queries, k=10)) >= 0.95
    # decoded vectors are close to the originals
    assert np.abs(graph.vector("d0007") - vectors[7]).max() < 0.01


def test_quantised_graph_survives_save_and_load(tmp_path: Path) -> None:
    vectors = unit_rows(600, dim=16, seed=5)
    index = VectorIndex(16, MODEL, ann_threshold=200)
    index.add([f"d{i:03d}" for i in range(600)], vectors, model=MODEL)
    index.remove(["d001", "d002"])
    index.save(tmp_path / "idx")
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert (manifest["kind"], manifest["codec"]) == ("hnsw", "sq8")
    generation = tmp_path / "idx" / manifest["generation"]
    assert (generation / "hnsw-0.faiss").exists()
    assert not (generation / "vectors.npy").exists()  # no float copy of a large corpus
    loaded = VectorIndex.load(tmp_path / "idx", model=MODEL, ann_threshold=200)
    assert (loaded.kind, len(loaded), loaded.tombstones) == ("hnsw", 598, 2)
    queries = unit_rows(50, dim=16, seed=6)
    assert loaded.search(queries, k=10) == index.search(queries, k=10)
    allowed = {f"d{i:03d}" for i in range(0, 600, 3)}
    assert loaded.search(queries, 5, allowed) == index.search(queries, 5, allowed)
    np.testing.assert_array_equal(loaded.vector("d300"), index.vector("d300"))


def test_quantised_graph_add_update_remove_behave_like_exact() -> None:
    vectors = unit_rows(800, dim=16, seed=7)
    ids = [f"d{i:03d}" for i in range(800)]
    exact = VectorIndex(16, MODEL)
    graph = VectorIndex(16, MODEL, ann_threshold=300)
    fresh = unit_rows(50, dim=16, seed=8)
    for index in (exact, graph):
        index.add(ids, vectors, model=MODEL)
        index.add(["d010"], vectors[[20]], model=MODEL)  # update: d010 now sits on d020
        index.remove(["d030", "d031", "missing"])
        index.add([f"n{i}" for i in range(50)], fresh, model=MODEL)
    assert graph.kind == "hnsw" and graph.tombstones == 3
    for index in (exact, graph):
        assert len(index) == 848 and "d030" not in index and "n7" in index
        assert {h.id for h in index.search(vectors[20], k=2)[0]} == {"d010", "d020"}
        assert all(h.id not in {"d030", "d031"} for h in index.search(vectors[30], k=50)[0])
    assert graph.ids() == exact.ids()
    queries = np.vstack([fresh[:20], vectors[100:120]])
    got = graph.search(queries, k=1)
    want = exact.search(queries, k=1)
    assert [g[0].id for g in got] == [w[0].id for w in want]


def test_quantised_compaction_keeps_codes_exactly() -> None:
    vectors = unit_rows(500, dim=16, seed=9)
    index = VectorIndex(16, MODEL, ann_threshold=100, rebuild_fraction=0.2)
    index.add([f"d{i:03d}" for i in range(500)], vectors, model=MODEL)
    before = {i: index.vector(i) for i in ("d200", "d499")}
    index.remove([f"d{i:03d}" for i in range(120)])  # 24 % tombstones: rebuilt
    assert index.kind == "hnsw" and index.tombstones == 0 and len(index) == 380
    for doc_id, vector in before.items():  # decoded rows re-encode to the same codes
        np.testing.assert_array_equal(index.vector(doc_id), vector)
    assert index.search(vectors[250], k=1)[0][0].id == "d250"


def test_graph_returns_to_exact_only_below_half_the_threshold() -> None:
    vectors = unit_rows(120, dim=16, seed=10)
    ids = [f"d{i:03d}" for i in range(120)]
    index = VectorIndex(16, MODEL, ann_threshold=100, rebuild_fraction=0.1)
    index.add(ids, vectors, model=MODEL)
    assert index.kind == "hnsw"
    index.remove(ids[:30])  # 90 left, compacted, still above half the threshold
    assert (index.kind, index.tombstones) == ("hnsw", 0)
    index.add(["x"], vectors[:1], model=MODEL)  # no flip-flop around the threshold
    assert index.kind == "hnsw"
    index.remove(ids[30:80])  # 41 left
    assert index.kind == "exact" and len(index) == 41
    assert index.search(vectors[100], k=1)[0][0].id == "d100"


def test_reads_the_previous_format(tmp_path: Path) -> None:
    """Format /1 stored float rows for every kind (and an HNSWFlat graph, ignored now)."""
    vectors = unit_rows(40)
    directory = tmp_path / "gen"
    directory.mkdir()
    np.save(directory / "vectors.npy", vectors)
    ids: list[str | None] = [f"d{i:03d}" for i in range(40)]
    ids[3] = None
    manifest = {"format": "qiao-vector-index/1", "model": MODEL, "dim": 16, "kind": "hnsw"}
    manifest |= {"count": 39, "ids": ids}
    for threshold, kind in ((10, "hnsw"), (100, "exact")):
        index = VectorIndex.read_from(manifest, directory, model=MODEL, ann_threshold=threshold)
        assert index.kind == kind and len(index) == 39 and "d003" not in index
        assert index.search(vectors[5], k=1)[0][0].id == "d005"


def test_single_queries_do_not_change_the_thread_setting() -> None:
    from matching.index import faiss

    threads = faiss.omp_get_max_threads()
    index, vectors = make(n=200)
    index.search(vectors[0], k=5)
    assert faiss.omp_get_max_threads() == threads


# --- re-scoring with float16 rows --------------------------------------------------------------


def test_graph_candidates_are_rescored_with_float16_rows() -> None:
    vectors = unit_rows(3000, dim=32, seed=11)
    ids = [f"d{i:04d}" for i in range(3000)]
    exact = VectorIndex(32, MODEL)
    graph = VectorIndex(32, MODEL, ann_threshold=1000)
    plain = VectorIndex(32, MODEL, ann_threshold=1000, refine=0)  # 8-bit scores only
    for index in (exact, graph, plain):
        index.add(ids, vectors, model=MODEL)
    assert graph.stats()["row_file_bytes"] == 3000 * 32 * 2
    queries = unit_rows(200, dim=32, seed=12)
    want = exact.search(queries, k=10)
    got = graph.search(queries, k=10)
    assert recall_at_10(got, want) >= recall_at_10(plain.search(queries, k=10), want)
    assert recall_at_10(got, want) >= 0.97
    # scores come from the float16 rows: within float16 rounding of the exact ones
    for hits, exact_hits in zip(got, want, strict=True):
        exact_scores = {h.id: h.score for h in exact_hits}
        for h in hits:
            if h.id in exact_scores:
                assert h.score == pytest.approx(exact_scores[h.id], abs=2e-3)
    np.testing.assert_allclose(graph.vector("d0007"), vectors[7], atol=1e-3)
    # a filtered graph search is re-scored too, and keeps to the filter
    allowed = set(ids[::2])
    for hits in graph.search(queries[:20], k=10, allowed=allowed):
        assert len(hits) == 10 and all(h.id in allowed for h in hits)


def test_row_file_survives_save_load_add_and_a_later_save(tmp_path: Path) -> None:
    from matching.index import ROWS_FILE

    vectors = unit_rows(700, dim=16, seed=13)
    index = VectorIndex(16, MODEL, ann_threshold=200)
    index.add([f"d{i:03d}" for i in range(600)], vectors[:600], model=MODEL)
    index.save(tmp_path / "idx")
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    assert manifest["format"] == "qiao-vector-index/4"
    assert manifest["rows"] == {"file": ROWS_FILE, "dtype": "<f2"}
    first = tmp_path / "idx" / manifest["generation"]
    assert np.load(first / ROWS_FILE).shape == (600, 16)
    loaded = VectorIndex.load(tmp_path / "idx", model=MODEL, ann_threshold=200)
    queries = unit_rows(30, dim=16, seed=14)
    assert loaded.search(queries, k=10) == index.search(queries, k=10)
    # rows added after loading go to a private file; the published generation is not touched
    loaded.add([f"n{i}" for i in range(100)], vectors[600:], model=MODEL)
    loaded.add(["d005"], vectors[[650]], model=MODEL)  # an update appends a row
    assert np.load(first / ROWS_FILE).shape == (600, 16)
    for _ in range(2):  # two new generations: the first one's files are removed
        loaded.save(tmp_path / "idx")
    assert not first.exists()
    assert loaded.search(vectors[650], k=2)[0][0].id in {"n50", "d005"}  # still readable
    np.testing.assert_allclose(loaded.vector("n99"), vectors[699], atol=1e-3)
    again = VectorIndex.load(tmp_path / "idx", model=MODEL, ann_threshold=200)
    assert len(again) == 700 and again.tombstones == 1
    assert again.search(queries, k=10) == loaded.search(queries, k=10)
    np.testing.assert_array_equal(again.vector("d005"), loaded.vector("d005"))


def one_graph_generation(tmp_path: Path, vectors: np.ndarray) -> tuple[Path, Any]:
    """A generation directory holding one HNSW graph of these vectors (formats /2 and /3)."""
    from matching.index import faiss

    graph = faiss.IndexHNSWSQ(16, faiss.ScalarQuantizer.QT_8bit, 16, faiss.METRIC_INNER_PRODUCT)
    graph.train(vectors)
    graph.add(vectors)
    directory = tmp_path / "gen"
    directory.mkdir()
    faiss.write_index(graph, str(directory / "hnsw.faiss"))
    return directory, graph


def test_reads_format_2_graphs_without_rows(tmp_path: Path) -> None:
    """Format /2 stored the graph and codes only: the rows start as decoded codes."""
    vectors = unit_rows(400, dim=16, seed=15)
    directory, graph = one_graph_generation(tmp_path, vectors)
    ids = [f"d{i:03d}" for i in range(400)]
    manifest = {"format": "qiao-vector-index/2", "model": MODEL, "dim": 16, "kind": "hnsw"}
    manifest |= {"codec": "sq8", "count": 400, "ids": ids, "hnsw": {"M": 16}}
    index = VectorIndex.read_from(manifest, directory, model=MODEL, ann_threshold=100)
    assert index.kind == "hnsw" and len(index) == 400
    assert index.search(vectors[42], k=1)[0][0].id == "d042"
    decoded = graph.reconstruct(42)
    np.testing.assert_allclose(index.vector("d042"), decoded, atol=1e-3)
    index.save(tmp_path / "idx")  # and is written back in the current format
    again = VectorIndex.load(tmp_path / "idx", model=MODEL, ann_threshold=100)
    assert again.search(vectors[42], k=1)[0][0].id == "d042"


def test_a_loaded_row_file_is_read_through_once_in_the_background(tmp_path: Path) -> None:
    from matching.index import ROWS_FILE, RowFile

    vectors = unit_rows(300, dim=16, seed=21)
    index = VectorIndex(16, MODEL, ann_threshold=100)
    index.add([f"d{i}" for i in range(300)], vectors, model=MODEL)
    index.save(tmp_path / "idx")
    manifest = json.loads((tmp_path / "idx" / "manifest.json").read_text())
    rows = RowFile.open(tmp_path / "idx" / manifest["generation"] / ROWS_FILE, 300, 16)
    assert rows.warming is not None
    rows.warming.join(timeout=10)
    assert not rows.warming.is_alive()
    np.testing.assert_allclose(rows.read(np.array([7, 3])), vectors[[7, 3]], atol=1e-3)


def test_row_file_reads_rows_of_both_files_in_the_order_asked(tmp_path: Path) -> None:
    from matching.index import ROWS_FILE, RowFile

    count = 8199  # in several appends
    vectors = unit_rows(300 + count, dim=16, seed=22)
    saved = RowFile(16, tmp_path)
    saved.append(vectors[:300])
    saved.write(tmp_path / ROWS_FILE)
    rows = RowFile.open(tmp_path / ROWS_FILE, 300, 16, tmp_path)
    for start in range(300, len(vectors), 1000):
        rows.append(vectors[start : start + 1000])
    assert len(rows) == len(vectors)
    asked = np.array([len(vectors) - 1, 5, 300, 299, 4000, 5, 301])
    np.testing.assert_allclose(rows.read(asked), vectors[asked], atol=1e-3)
    np.testing.assert_allclose(rows.read(np.arange(290, 320)), vectors[290:320], atol=1e-3)
    assert rows.read(np.array([], np.int64)).shape == (0, 16)
    with pytest.raises(IndexError):
        rows.read(np.array([len(vectors)]))
    rows.write(tmp_path / "again.npy")  # base and appended rows, in order
    np.testing.assert_allclose(np.load(tmp_path / "again.npy"), vectors, atol=1e-3)


def test_searches_go_on_while_a_rebuild_builds_the_new_graphs(
    monkeypatch: pytest.MonkeyPatch, finishes_meanwhile: Callable[..., Any]
) -> None:
    from matching import index as index_module

    vectors = unit_rows(400, seed=31)
    ids = [f"d{i:03d}" for i in range(400)]
    index = VectorIndex(16, MODEL, ann_threshold=100)
    index.add(ids, vectors, model=MODEL)
    building, release = threading.Event(), threading.Event()
    train_like = index_module._Graphs.train_like

    def held_train_like(self: Any, other: Any) -> None:
        building.set()
        assert release.wait(10)
        train_like(self, other)

    monkeypatch.setattr(index_module._Graphs, "train_like", held_train_like)
    remover = threading.Thread(target=index.remove, args=(ids[:100],))  # 25 %: a rebuild
    remover.start()
    try:
        assert building.wait(10)
        found = finishes_meanwhile(lambda: index.search(vectors[200], k=1))
        assert found[0][0].id == "d200"  # the old graphs, the removal already applied
        assert index.search(vectors[5], k=1)[0][0].id != "d005"
    finally:
        release.set()
        remover.join(10)
    assert index.tombstones == 0 and len(index) == 300
    assert index.search(vectors[200], k=1)[0][0].id == "d200"


def test_an_add_that_rebuilds_leaves_no_row_of_the_ids_it_replaces() -> None:
    vectors = unit_rows(200, seed=32)
    ids = [f"d{i:03d}" for i in range(150)]
    index = VectorIndex(16, MODEL, ann_threshold=100)
    index.add(ids, vectors[:150], model=MODEL)
    index.remove(ids[:20])  # tombstones just under the rebuild share
    replacing = ids[20:40]  # each replacement leaves one more: a rebuild
    index.add([*replacing, "n0"], vectors[150:171], model=MODEL)
    assert index.tombstones == 0 and len(index) == 131
    np.testing.assert_allclose(index.vector("d020"), vectors[150], atol=1e-3)
    assert index.search(vectors[170], k=1)[0][0].id == "n0"


@pytest.mark.parametrize("threshold", [1000, 20])  # exact; a graph (filtered, then scanned)
def test_label_search_keeps_to_the_label_through_rebuilds_and_save(
    tmp_path: Path, threshold: int
) -> None:
    vectors = unit_rows(120)
    index = VectorIndex(16, MODEL, ann_threshold=threshold, exact_scan_limit=10)
    ids = [f"d{i:03d}" for i in range(120)]
    index.add(ids, vectors, model=MODEL, labels=[i % 3 for i in range(120)])

    def check(found: VectorIndex) -> None:
        for label in range(3):
            hits = found.search(vectors[:5], 8, label=label, ef=32)
            assert all(len(h) == 8 for h in hits)
            assert {int(h.id[1:]) % 3 for row in hits for h in row} == {label}
        within = found.search(vectors[0], 50, {"d001", "d002", "d004"}, label=1)[0]
        assert sorted(h.id for h in within) == ["d001", "d004"]

    check(index)
    index.remove(ids[::2])  # compaction renumbers rows: labels follow their rows
    index.add(ids[::2], vectors[::2], model=MODEL, labels=[i % 3 for i in range(0, 120, 2)])
    check(index)
    index.save(tmp_path / "index")
    check(VectorIndex.load(tmp_path / "index", model=MODEL))
    index.relabel(["d000"], [2])
    assert "d000" in [h.id for h in index.search(vectors[0], 3, label=2)[0]]


def test_a_broad_filter_on_a_graph_matches_the_filter_applied_inside_faiss() -> None:
    index, vectors = make(400, ann_threshold=50)
    assert index.kind == "hnsw"
    half = {f"d{i:03d}" for i in range(0, 400, 2)}  # a set: searched unfiltered, then dropped
    few = {f"d{i:03d}" for i in range(0, 400, 40)}  # too narrow: filtered inside faiss
    for allowed in (half, few):
        broad = index.search(vectors[:6], 10, allowed)
        inside = index.search(vectors[:6], 10, sorted(allowed))  # not a set: rows, selector
        assert [[h.id for h in r] for r in broad] == [[h.id for h in r] for r in inside]
        assert all(h.id in allowed for r in broad for h in r)


def test_a_broad_filter_whose_allowed_ones_are_far_searches_deeper_not_through_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Requests resemble requests: the nearest candidates of a request are all of its own
    kind, which the filter drops. The graph is searched deeper instead of turning every
    allowed id into a row, and the result is what filtering inside faiss gives."""
    rng = np.random.default_rng(3)
    own, other = np.zeros(16, np.float32), np.zeros(16, np.float32)
    own[0] = other[1] = 1.0
    vectors = np.vstack(
        [own + 0.3 * rng.normal(size=(200, 16)), other + 0.3 * rng.normal(size=(200, 16))]
    ).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"d{i:03d}" for i in range(400)]
    index = VectorIndex(16, MODEL, ann_threshold=50)
    index.add(ids, vectors, model=MODEL)
    assert index.kind == "hnsw"
    allowed = set(ids[200:])  # the other kind: half the graph, none near the queries
    inside = index.search(vectors[:4], 20, sorted(allowed))  # not a set: rows, selector

    def no_rows(*args: object) -> object:
        raise AssertionError("a broad filter was turned into rows")

    monkeypatch.setattr("matching.index.rows_of", no_rows)
    broad = index.search(vectors[:4], 20, allowed)
    assert [[h.id for h in r] for r in broad] == [[h.id for h in r] for r in inside]
    assert all(len(r) == 20 and all(h.id in allowed for h in r) for r in broad)


def test_a_graph_searches_a_third_of_itself_without_scanning_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A language's rows are scattered: scanning them reads one row at a time, so only a
    narrow filter (≤ 10 % and ≤ exact_scan_limit) is scanned."""
    vectors = unit_rows(600)
    index = VectorIndex(16, MODEL, ann_threshold=100)
    index.add(
        [f"d{i:03d}" for i in range(600)], vectors, model=MODEL, labels=[i % 3 for i in range(600)]
    )
    scans: list[int] = []
    scan = index._scan
    monkeypatch.setattr(
        index, "_scan", lambda q, rows, k: scans.append(len(rows)) or scan(q, rows, k)
    )
    hits = index.search(vectors[:4], 10, label=1)
    assert scans == [] and all(len(h) == 10 for h in hits)
    assert {int(h.id[1:]) % 3 for row in hits for h in row} == {1}
    index.search(vectors[:4], 10, {f"d{i:03d}" for i in range(0, 600, 20)})  # 30 rows: 5 %
    assert scans == [30]


def test_a_search_toward_another_language_is_not_a_scan_when_languages_cluster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Documents lie closer to their own language than to any other (as a multilingual
    model's do). In one shared graph a search filtered to another language walked its own
    language's neighbourhood, came back short and scanned the whole language instead."""
    rng = np.random.default_rng(30)
    dim, n = 16, 900
    offsets = 3.0 * unit_rows(3, dim=dim, seed=31)
    labels = [i % 3 for i in range(n)]
    vectors = rng.standard_normal((n, dim)).astype(np.float32) * 0.3 + offsets[labels]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = [f"d{i:03d}" for i in range(n)]
    index = VectorIndex(16, MODEL, ann_threshold=100, exact_scan_limit=10)
    exact = VectorIndex(16, MODEL)
    for each in (index, exact):
        each.add(ids, vectors, model=MODEL, labels=labels)
    scans: list[int] = []
    scan = index._scan
    monkeypatch.setattr(
        index, "_scan", lambda q, rows, k: scans.append(len(rows)) or scan(q, rows, k)
    )
    for toward in range(3):
        queries = vectors[[i for i in range(0, 60) if labels[i] != toward]]
        got = index.search(queries, 10, label=toward, ef=32)
        want = exact.search(queries, 10, label=toward)
        assert scans == []
        assert recall_at_10(got, want) >= 0.9
    # unlabelled: every graph is asked, so the other languages' best are found too
    mixed = index.search(vectors[:30], 30)
    assert recall_at_10(mixed, exact.search(vectors[:30], 30)) >= 0.9


def test_reads_format_3_with_one_graph_for_every_label(tmp_path: Path) -> None:
    from matching.index import ROWS_FILE

    vectors = unit_rows(300, dim=16, seed=32)
    directory, _graph = one_graph_generation(tmp_path, vectors)
    np.save(directory / ROWS_FILE, vectors.astype(np.float16))
    ids = [f"d{i:03d}" for i in range(300)]
    manifest = {"format": "qiao-vector-index/3", "model": MODEL, "dim": 16, "kind": "hnsw"}
    manifest |= {"count": 300, "ids": ids, "labels": [i % 2 for i in range(300)]}
    index = VectorIndex.read_from(manifest, directory, model=MODEL, ann_threshold=100)
    assert index.kind == "hnsw" and len(index) == 300
    hits = index.search(vectors[42], 5, label=1)[0]
    assert {int(h.id[1:]) % 2 for h in hits} == {1}
    assert index.search(vectors[42], k=1)[0][0].id == "d042"
