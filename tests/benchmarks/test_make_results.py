"""benchmarks/make_results.py renders RESULTS.md from the three JSON files alone."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "make_results.py"
MACHINE = {"platform": "Linux-test", "python": "3.11.7", "cpu_count": 2}


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_results", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metrics(r1: float, mrr: float) -> dict[str, float]:
    return {"recall_at_1": r1, "recall_at_10": 1.0, "mrr": mrr}


QUALITY = {
    "meta": {
        **MACHINE,
        "command": "qiao bench quality tiny",
        "date": "2026-11-23T10:00:00+00:00",
        "seconds": 12.0,
        "models": ["raw-a", "raw-b"],
    },
    "parallel": [
        {
            "name": "tiny",
            "results": [
                {
                    "level": "sentences",
                    "direction": "en→ru",
                    "systems": {
                        "engine": metrics(0.9, 0.95),
                        "raw-a": metrics(0.8, 0.9),
                        "raw-b": metrics(0.92, 0.96),
                    },
                }
            ],
        }
    ],
    "sib": {
        "split": "test",
        "rows": 4,
        "k": 10,
        "results": [
            {"direction": "en→ru", "system": s, "topic_precision_at_10": 0.5, "knn_accuracy": 0.6}
            for s in ("engine", "raw-a", "raw-b")
        ],
    },
    "sts": {"skipped": "--no-extra"},
    "engine_below_raw": ["tiny sentences en→ru: engine R@1 0.900 < raw-b 0.920 (-0.020)"],
}
SPEED = {
    "machine": {
        **MACHINE,
        "command": "qiao bench speed --quick",
        "date": "2026-11-23T11:00:00+00:00",
        "cpu_model": "Test CPU",
        "memory_gb": 8.0,
        "seconds": 40.0,
        "load_average_at_start": [1.0, 1.0, 1.0],
        "load_average_at_end": [2.0, 1.0, 1.0],
    },
    "throughput": {
        "texts_source": "tiny",
        "texts": 100,
        "batch": 32,
        "raw_per_s": 200.0,
        "pipeline_per_s": 150.0,
        "ratio": 0.75,
        "texts_embedded_per_document": 1.05,
        "model_share_of_pipeline": 0.8,
        "profile": None,
    },
    "index": {
        "defaults": {
            "ann_threshold": 20000,
            "hnsw_m": 16,
            "ef_construction": 200,
            "ef_search": 384,
        },
        "sizes": [
            {
                "size": 1000,
                "kind": "hnsw",
                "build_s": 1.5,
                "rss_mb": 3.0,
                "faiss_mb": 1.0,
                "row_file_mb": 2.0,
                "p50_ms": 0.4,
                "p99_ms": 1.25,
                "queries": 100,
                "recall_synthetic": 0.99,
                "recall_real": 1.0,
            }
        ],
        "ef_search_sweep": [],
    },
    "targets": [
        {"target": "pipeline / raw throughput", "value": 0.75, "bound": "≥ 0.9", "met": False},
        {"target": "query p99 ms", "value": 1.25, "bound": "≤ 10.0", "met": True},
    ],
}
RAY = {
    "command": ["python", "benchmarks/ray_cluster.py"],
    "date": "2026-11-23T12:00:00+00:00",
    "machine": {**MACHINE, "cpu": "Test CPU", "cores": 2, "memory_gb": 8.0},
    "data": {"folder": "tiny", "documents": 50, "k": 10},
    "cluster": {"nodes": 2, "cpus_per_node": 1, "node_ips": ["127.0.0.2", "127.0.0.1"]},
    "single": {"wall_s": 4.0, "index_s": 3.0, "match_s": 0.5},
    "ray": {"wall_s": 5.0, "index_s": 3.5, "match_s": 0.7},
    "identical": {"doc_vectors": True, "matches": True},
}


def test_renders_every_section_from_fixture_json(tmp_path: Path) -> None:
    for name, data in (("quality", QUALITY), ("speed", SPEED), ("ray", RAY)):
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    text = load().render(tmp_path)
    assert "All of them ran on one machine" in text and "Test CPU, 8.0 GB RAM" in text
    # quality: each system's R@1 / R@10 / MRR and the delta to the best raw model
    assert "| tiny | sentences | en→ru | 0.900 / 1.000 / 0.950 |" in text
    assert "| -0.020 | -0.010 |" in text
    assert "Command: `qiao bench quality tiny`" in text
    assert "Places where the engine is below a raw model: 1." in text
    # speed: targets, throughput and index rows, with the load average
    assert "| pipeline / raw throughput | 0.750 | ≥ 0.9 | NO |" in text
    assert "| 1,000 | hnsw | 1.5 | 3 | 1 | 2 | 0.40 | 1.25 | 100 | 0.9900 | 1.0000 |" in text
    assert "[1.0, 1.0, 1.0] at the start" in text
    # ray: timings and the identity checks
    assert "| single process | 4.0 | 3.0 | 0.5 |" in text
    assert "doc_vectors: yes, matches: yes" in text


def test_missing_json_says_not_run(tmp_path: Path) -> None:
    text = load().render(tmp_path)
    assert text.count("Not run yet.") == 3


def test_main_writes_the_file(tmp_path: Path) -> None:
    (tmp_path / "ray.json").write_text(json.dumps(RAY), encoding="utf-8")
    target = tmp_path / "RESULTS.md"
    assert load().main([str(tmp_path), str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Benchmark results")
