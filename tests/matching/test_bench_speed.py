from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matching import bench_speed


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """One tiny run on synthetic texts (no shared benchmark folders needed)."""
    tmp = tmp_path_factory.mktemp("speed")
    out = io.StringIO()
    code = bench_speed.main(
        [
            "--quick",
            "--sizes=300,1200",
            "--queries=30",
            "--max-texts=120",
            "--pipeline-texts=40",
            "--batch=20",
            "--ef-search=32,128",
            "--refine=0,40",
            f"--text-dir={tmp / 'absent'}",
            f"--json={tmp / 'speed.json'}",
            "--quiet",
        ],
        out,
    )
    assert code == 0
    return json.loads((tmp / "speed.json").read_text(encoding="utf-8")), out.getvalue()


def test_json_has_machine_info_and_every_section(report: tuple[dict[str, Any], str]) -> None:
    data, _ = report
    assert set(data) == {"machine", "throughput", "vectors", "index", "targets"}
    machine = data["machine"]
    for key in ("platform", "cpu_model", "cpu_count", "python", "date", "command"):
        assert machine[key]
    assert machine["command"].startswith("qiao bench speed --quick")
    assert "synthetic generator" in data["throughput"]["texts_source"]
    assert data["vectors"]["dim"] == 512 and data["vectors"]["held_out_real_queries"] == 12


def test_throughput_and_profile_are_sane(report: tuple[dict[str, Any], str]) -> None:
    t = report[0]["throughput"]
    assert t["texts"] == 40 and t["raw_per_s"] > 0 and t["pipeline_per_s"] > 0
    assert 0 < t["ratio"] < 5
    assert t["texts_embedded_per_document"] >= 1
    parts = {p["part"]: p["share"] for p in t["profile"]["parts"]}
    assert parts["embedding (Embedder.embed)"] > 0
    assert sum(parts.values()) == pytest.approx(1.0, abs=0.01)
    assert t["profile"]["top"]


def test_index_rows_have_sane_latency_recall_and_memory(
    report: tuple[dict[str, Any], str],
) -> None:
    index = report[0]["index"]
    rows = index["sizes"]
    assert [(r["size"], r["kind"]) for r in rows] == [
        (300, "exact"),
        (300, "hnsw"),
        (1200, "exact"),
        (1200, "hnsw"),
    ]
    for r in rows:
        assert r["queries"] == 42  # 30 synthetic + 12 held-out real
        assert 0 < r["p50_ms"] <= r["p99_ms"] < 1000
        assert r["build_s"] >= 0 and r["faiss_mb"] > 0
        assert r["rss_mb"] is None or r["rss_mb"] > -50
        floor = 0.99 if r["kind"] == "exact" else 0.9
        assert floor <= r["recall_synthetic"] <= 1 and floor <= r["recall_real"] <= 1
    assert [r["default"] for r in rows] == [True, False, True, False]  # small: exact
    sweep = [(s["ef_search"], s["refine"]) for s in index["ef_search_sweep"]]
    refine = index["defaults"]["refine"]
    ef = index["defaults"]["ef_search"]
    assert sweep == [(32, refine), (128, refine), (ef, 0), (ef, 40)]
    assert all(r["row_file_mb"] > 0 for r in rows if r["kind"] == "hnsw")
    assert all(s["size"] == 1200 for s in index["ef_search_sweep"])
    real = index["real_corpus"]
    assert real["kind"] == "hnsw" and real["recall_synthetic"] is None
    assert real["size"] == 108 and real["recall_real"] >= 0.9


def test_targets_and_table_are_reported(report: tuple[dict[str, Any], str]) -> None:
    data, text = report
    names = [t["target"] for t in data["targets"]]
    assert names[0] == "pipeline / raw throughput"
    assert any(n.startswith("query p99 ms (at 1,200, not 1,000,000)") for n in names)
    for heading in ("== Embedding throughput", "== Vectors", "== Index", "== Targets"):
        assert heading in text
    assert "efSearch and re-scoring sweep" in text


def test_targets_judge_the_largest_graph() -> None:
    rows = [
        {"size": 10, "kind": "hnsw", "p99_ms": 50.0, "recall_synthetic": 0.5},
        {
            "size": 1_000_000,
            "kind": "hnsw",
            "p99_ms": 4.0,
            "recall_synthetic": 0.99,
            "recall_real": 0.97,
            "rss_mb": 900.0,
        },
    ]
    verdicts = {t["target"]: t["met"] for t in bench_speed.targets({"ratio": 0.8}, rows)}
    assert verdicts == {
        "pipeline / raw throughput": False,
        "query p99 ms": True,
        "recall@10 synthetic": True,
        "recall@10 real queries": False,
        "resident memory MB": True,
    }


def test_read_texts_dedups_and_keeps_every_language_under_a_limit(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "en.txt").write_text("one\ntwo\n\nthree\n", encoding="utf-8")
    (tmp_path / "a" / "ru.txt").write_text("один\ntwo\nтри\n", encoding="utf-8")
    (tmp_path / "a" / "doc.txt").write_text("x\ny\n", encoding="utf-8")
    (tmp_path / "b" / "de.txt").write_text("eins\n", encoding="utf-8")
    assert bench_speed.read_texts(tmp_path) == [
        ("en", "one"),
        ("ru", "один"),
        ("en", "two"),
        ("en", "three"),
        ("ru", "три"),
    ]
    assert {lang for lang, _ in bench_speed.read_texts(tmp_path, limit=2)} == {"en", "ru"}
    assert bench_speed.read_texts(tmp_path / "missing") == []


def test_synthetic_texts_are_distinct_and_trilingual() -> None:
    texts = bench_speed.synthetic_texts(30)
    assert len({t for _, t in texts}) == 30
    assert {lang for lang, _ in texts} == {"zh", "ru", "en"}


def test_synthesised_vectors_are_unit_mixtures_of_their_parents() -> None:
    rng = np.random.default_rng(0)
    parents = rng.normal(size=(20, 64)).astype(np.float32)
    parents /= np.linalg.norm(parents, axis=1, keepdims=True)
    made = bench_speed.synthesise(parents, 500, rng)
    assert made.shape == (500, 64) and made.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(made, axis=1), 1.0, atol=1e-5)
    # each lies close to the span of two parents: its best parent is far above chance
    assert np.mean(np.max(made @ parents.T, axis=1)) > 0.6


def test_parse_sizes() -> None:
    assert bench_speed.parse_sizes("2k,1M, 500") == [2000, 1_000_000, 500]
    with pytest.raises(ValueError):
        bench_speed.parse_sizes("5")


def test_bad_options_exit_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_speed.main(["--kinds", "ivf"]) == 2
    assert "--kinds" in capsys.readouterr().err
