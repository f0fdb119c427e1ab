"""matching.distributed: the pure steps shared by local and Ray runs, without Ray; then one
Ray run (in-process, one CPU) that must equal the local run bit for bit. The Ray test needs
the optional extra (pip install 'qiao[ray]') and skips without it."""

from __future__ import annotations

import importlib.util
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matching import DEFAULT_MODEL, Document, Engine
from matching.cli import main
from matching.distributed import (
    LocalRunner,
    add_analyzed,
    all_pairs_topk,
    build_index,
    corpus_of,
    corpus_topk,
    index_chunks,
    index_digest,
    merge_topk,
    semantic_scores,
    topk_of_block,
)
from matching.engine import calibrate
from matching.types import LANGUAGES, Language

HAS_RAY = importlib.util.find_spec("ray") is not None


def brute_force(
    queries: np.ndarray, corpus: np.ndarray, k: int, exclude: np.ndarray | None = None
) -> tuple[list[list[int]], list[list[float]]]:
    """Every pair scored in Python, sorted by (-score, row): the definition of the top-k."""
    rows, scores = [], []
    for i, q in enumerate(queries):
        pairs = [
            (float(np.dot(q, c)), j)
            for j, c in enumerate(corpus)
            if exclude is None or j != exclude[i]
        ]
        pairs.sort(key=lambda p: (-p[0], p[1]))
        rows.append([j for _, j in pairs[:k]])
        scores.append([s for s, _ in pairs[:k]])
    return rows, scores


def as_lists(rows: np.ndarray, scores: np.ndarray) -> tuple[list[list[int]], list[list[float]]]:
    keep = rows >= 0
    return (
        [r[m].tolist() for r, m in zip(rows, keep, strict=True)],
        [s[m].tolist() for s, m in zip(scores, keep, strict=True)],
    )


@pytest.fixture
def tied_vectors() -> np.ndarray:
    """Small integer vectors: every dot product is exact and many of them tie."""
    rng = np.random.default_rng(7)
    vectors = rng.integers(-1, 3, size=(23, 4)).astype(np.float32)
    vectors[5] = vectors[2]  # identical rows: exact ties
    vectors[17] = vectors[2]
    return vectors


# --- top-k --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query_block", "corpus_block"), [(64, 64), (3, 5), (1, 1), (7, 64)])
@pytest.mark.parametrize("k", [1, 4, 50])
def test_all_pairs_topk_is_exact_for_any_blocks(
    tied_vectors: np.ndarray, query_block: int, corpus_block: int, k: int
) -> None:
    exclude = np.arange(len(tied_vectors))
    got = all_pairs_topk(
        tied_vectors,
        tied_vectors,
        k,
        exclude=exclude,
        query_block=query_block,
        corpus_block=corpus_block,
    )
    assert got.rows.shape == (len(tied_vectors), k)
    assert as_lists(got.rows, got.scores) == brute_force(tied_vectors, tied_vectors, k, exclude)


def test_merging_corpus_shards_equals_the_global_topk_with_ties(tied_vectors: np.ndarray) -> None:
    queries, corpus, k = tied_vectors[:9], tied_vectors, 6
    parts = []
    for start, stop in ((0, 7), (7, 13), (13, len(corpus))):
        part = all_pairs_topk(queries, corpus[start:stop], k)
        parts.append(part._replace(rows=np.where(part.rows >= 0, part.rows + start, -1)))
    merged = merge_topk(parts, k)
    assert as_lists(merged.rows, merged.scores) == brute_force(queries, corpus, k)
    # the three identical rows tie: the lower row (= the smaller id) comes first
    row_of_2 = as_lists(merged.rows, merged.scores)[0][2]
    assert [r for r in row_of_2 if r in (2, 5, 17)] == sorted(
        r for r in row_of_2 if r in (2, 5, 17)
    )


def test_ties_at_the_cut_go_to_the_lower_row() -> None:
    scores = np.array([[0.5, 0.9, 0.9, 0.9, 0.1], [0.2, 0.2, 0.2, 0.2, 0.2]])
    best = topk_of_block(scores, 2, first_row=10)
    assert best.rows.tolist() == [[11, 12], [10, 11]]
    assert best.scores.tolist() == [[0.9, 0.9], [0.2, 0.2]]


def test_a_query_never_matches_itself_and_short_rows_are_padded() -> None:
    vectors = np.eye(3, dtype=np.float32)
    best = all_pairs_topk(vectors, vectors, 4, exclude=np.arange(3))
    assert best.rows.tolist() == [[1, 2, -1, -1], [0, 2, -1, -1], [0, 1, -1, -1]]
    assert np.isneginf(best.scores[:, 2:]).all()


def unit_rows(rows: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_semantic_scores_are_the_engines_calibrated_cosines() -> None:
    vectors = unit_rows(6, 8, seed=1)
    languages: list[Language] = ["zh", "ru", "en", "zh", "ru", "en"]
    corpus = corpus_of(
        {f"d{i}": (lang, v) for i, (lang, v) in enumerate(zip(languages, vectors, strict=True))}, 8
    )
    scores = semantic_scores(corpus, slice(0, 6), slice(0, 6))
    cosines = vectors @ vectors.T
    for i, a in enumerate(languages):
        for j, b in enumerate(languages):
            assert scores[i, j] == calibrate(float(cosines[i, j]), a, b)

    # with hubness penalties (Engine.hub_penalties): the candidate's penalty toward the query's
    # language comes off its cosine
    penalties = {"d1": (0.05, -0.01, 0.03), "d4": (-0.02, 0.04, 0.0)}
    penalised = corpus_of(
        {f"d{i}": (lang, v) for i, (lang, v) in enumerate(zip(languages, vectors, strict=True))},
        8,
        penalties,
    )
    scores = semantic_scores(penalised, slice(0, 6), slice(0, 6))
    for i, a in enumerate(languages):
        for j, b in enumerate(languages):
            penalty = penalties.get(f"d{j}", (0.0, 0.0, 0.0))[LANGUAGES.index(a)]
            cosine = float(cosines[i, j]) - penalty
            assert scores[i, j] == pytest.approx(calibrate(cosine, a, b), abs=1e-12)


def test_query_slices_on_block_boundaries_equal_a_whole_run() -> None:
    """What a Ray shard computes is bit for bit that slice of a local run."""
    vectors = unit_rows(50, 16, seed=3)
    languages: list[Language] = [LANGUAGES[i % 3] for i in range(50)]
    docs = {
        f"d{i:02d}": (lang, v) for i, (lang, v) in enumerate(zip(languages, vectors, strict=True))
    }
    corpus = corpus_of(docs, 16)  # type: ignore[arg-type]
    whole = corpus_topk(corpus, 5, query_block=8, corpus_block=16)
    for start, stop in ((0, 16), (16, 24), (24, 50)):
        part = corpus_topk(corpus, 5, start=start, stop=stop, query_block=8, corpus_block=16)
        assert np.array_equal(part.rows, whole.rows[start:stop])
        assert np.array_equal(part.scores, whole.scores[start:stop])
    assert not np.isin(whole.rows, -1).any()
    assert all(i not in row for i, row in enumerate(whole.rows.tolist()))
    with pytest.raises(ValueError, match="multiple of the query block"):
        corpus_topk(corpus, 5, start=4, query_block=8)


# --- indexing -----------------------------------------------------------------------------------


def test_chunks_keep_input_order_and_resolve_duplicates_like_upsert(
    corpus: list[Document],
) -> None:
    newer = replace(corpus[0], fields={"title": "newer"})
    docs = [corpus[0], corpus[1], newer, corpus[2], corpus[3]]
    chunks = index_chunks(docs, size=3)
    assert [[d.id for d in c] for c in chunks] == [
        [corpus[0].id, corpus[1].id],
        [corpus[2].id, corpus[3].id],
    ]
    assert chunks[0][0] is newer


def test_add_analyzed_stores_through_upsert_and_restores_analyze(
    corpus: list[Document],
) -> None:
    engine = Engine.open(None, DEFAULT_MODEL)
    with pytest.raises(ValueError, match="one analysis per document"):
        add_analyzed(engine, corpus[:2], engine.analyze(corpus[:1]))
    add_analyzed(engine, corpus[:2], engine.analyze(corpus[:2]))
    assert engine.ids() == sorted(d.id for d in corpus[:2])
    assert "analyze" not in vars(engine)  # the method is the class's again


def thirty_documents(corpus: list[Document]) -> list[Document]:
    """30 distinct ids in 31 lines: the corpus, its titles, its summaries, one replacement."""
    titles = [replace(d, id=f"{d.id}-title", fields={"title": d.fields["title"]}) for d in corpus]
    summaries = [
        replace(d, id=f"{d.id}-summary", fields={"summary": d.fields["summary"]}) for d in corpus
    ]
    replacement = replace(corpus[4], fields={"title": "LED grow lights", "summary": "Greenhouse."})
    return [*corpus, *titles, *summaries, replacement]


def test_local_build_stores_exactly_what_upsert_stores(
    tmp_path: Path, corpus: list[Document]
) -> None:
    docs = thirty_documents(corpus)
    engine, built = build_index(docs, model=DEFAULT_MODEL, runner=LocalRunner(), chunk_size=8)
    reference = Engine.open(None, DEFAULT_MODEL)
    for start in range(0, len(docs), 8):
        reference.upsert(docs[start : start + 8])
    engine.save(tmp_path / "built")
    reference.save(tmp_path / "reference")
    assert index_digest(tmp_path / "built") == index_digest(tmp_path / "reference")
    assert built.ids == tuple(sorted({d.id for d in docs}))
    assert engine.get(corpus[4].id) == docs[-1]  # the later line replaced the earlier one


# --- command line -------------------------------------------------------------------------------


def write_jsonl(path: Path, docs: list[Document]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for d in docs:
            record = {"id": d.id, "language": d.language, "fields": dict(d.fields)}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_index_writes_each_documents_nearest_others(tmp_path: Path, corpus: list[Document]) -> None:
    docs = write_jsonl(tmp_path / "docs.jsonl", corpus)
    out = io.StringIO()
    pairs = tmp_path / "pairs.jsonl"
    argv = [
        "index",
        str(docs),
        "--out",
        str(tmp_path / "idx"),
        "--match-out",
        str(pairs),
        "-k",
        "2",
    ]
    code = main(argv, out=out)
    assert code == 0
    assert f"indexed {len(corpus)} documents" in out.getvalue()
    assert "matched all pairs (k=2)" in out.getvalue()
    records = [json.loads(line) for line in pairs.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == sorted(d.id for d in corpus)
    for r in records:
        assert len(r["matches"]) == 2 and r["id"] not in {m["id"] for m in r["matches"]}
        assert r["matches"][0]["score"] >= r["matches"][1]["score"]
    best = {r["id"]: r["matches"][0]["id"] for r in records}
    assert best["ru-rice-request"] == "zh-rice"
    assert best["zh-weld-request"] == "ru-weld"


def test_index_with_ray_but_without_ray_installed_says_what_to_install(
    tmp_path: Path,
    corpus: list[Document],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    docs = write_jsonl(tmp_path / "docs.jsonl", corpus[:2])
    code = main(["index", str(docs), "--out", str(tmp_path / "idx"), "--ray", "auto"])
    assert code == 2
    assert "pip install 'qiao[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "idx").exists()


# --- Ray ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_local() -> Iterator[Any]:
    import ray

    ray.init(address="local", num_cpus=1, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.ray
@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")  # Ray's own, on ray.init
@pytest.mark.skipif(not HAS_RAY, reason="needs the optional extra: pip install 'qiao[ray]'")
def test_a_ray_run_equals_the_local_run(
    ray_local: Any, tmp_path: Path, corpus: list[Document]
) -> None:
    from matching.distributed import RayRunner

    docs = thirty_documents(corpus)
    blocks = {"query_block": 8, "corpus_block": 16}  # several chunks, shards and corpus blocks
    local = LocalRunner(**blocks)
    local_engine, local_corpus = build_index(docs, model=DEFAULT_MODEL, runner=local, chunk_size=8)
    remote = RayRunner(**blocks)
    ray_engine, ray_corpus = build_index(docs, model=DEFAULT_MODEL, runner=remote, chunk_size=8)

    assert ray_corpus.ids == local_corpus.ids
    assert np.array_equal(ray_corpus.vectors, local_corpus.vectors)
    local_engine.save(tmp_path / "local")
    ray_engine.save(tmp_path / "ray")
    assert index_digest(tmp_path / "ray") == index_digest(tmp_path / "local")

    expected = local.topk(local_corpus, 5)
    got = remote.topk(ray_corpus, 5)
    assert np.array_equal(got.rows, expected.rows)
    assert np.array_equal(got.scores, expected.scores)
    assert remote.nodes["analyze"] and remote.nodes["topk"]
