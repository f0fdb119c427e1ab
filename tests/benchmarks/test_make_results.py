"""benchmarks/make_results.py renders RESULTS.md from the four JSON files alone."""

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

CPU = {"cores_used_by": {"bench": 0.1, "web": 0.8, "worker": 0.3}, "other_processes_cores": 0.5}


def _size(size: int, clones: int, p99: float) -> dict[str, object]:
    return {
        "size": size,
        "real_profiles": size - clones,
        "synthetic_clones": clones,
        "cold_start": {"seconds_to_first_search": 3.5, "logged_load_seconds": 1.25, "rss_mb": 400},
        "load": {
            "seconds": 1.5,
            "index_kind": "exact",
            "texts_embedded": 0,
            "embedding_would_take_s": 900.0,
            "parts": {"decode states": 0.5, "hubness neighbour lists": 0.25},
        },
        "worker_per_publish": {
            "worker_ms_p50": 90.0,
            "model_ms_p50": 50.0,
            "beyond_model_ms_p50": 40.0,
            "beyond_model_ms_p95": 45.0,
            "services_ms_p50": 20.0,
            "parts_ms_p50": {"analyze": 55.0, "matches": 20.0},
        },
        "bytes_per_publish": {
            "entry_state_bytes": 26000,
            "wchar_bytes": 330000,
            "database_growth_bytes": 57344,
        },
        "stream": {
            "search_ms_p50": 150.0,
            "search_ms_p95": 200.0,
            "search_ms_p99": p99,
            "searches_per_second": 20.0,
            "searchable_s_p50": 0.9,
            "searchable_s_p99": 1.5,
            "searchable_missing": 0,
            "web_rss_mb_end": 550,
            "cpu": CPU,
        },
    }


PLATFORM = {
    "machine": {
        **MACHINE,
        "command": "qiao bench platform --sizes 1000,2000",
        "date": "2026-11-23T13:00:00+00:00",
        "database": "sqlite",
        "seconds": 600.0,
    },
    "method": {"corpus": "real base, synthetic clones beyond"},
    "settings": {"web_threads": 4, "clients": 4, "k": 20, "publish_rate": 5.0},
    "batch_import": {
        "profiles": 1000,
        "rejected_rows": 0,
        "import_seconds": 20.0,
        "indexed_seconds": 100.0,
        "searchable_seconds": 101.5,
        "ratio_to_embedding": 1.69,
        "embedding": {"model_seconds_all": 60.0, "texts_per_profile": 15.5, "sample": 100},
        "cpu": CPU,
    },
    "sizes": [_size(1000, 0, 240.0), _size(2000, 1000, 260.0)],
    "skipped": [{"size": 1000000, "reason": "needs ~60 GB"}],
    "worker_restarts": [
        {"phase": "batch import", "at_seconds": 80.0, "error": "OperationalError: locked"}
    ],
    "targets": [
        {
            "target": "search p99 ms during publishes",
            "value": 260.0,
            "bound": "≤ 250",
            "met": False,
        },
        {
            "target": "publish-to-searchable p50 / p99 s",
            "value": "0.9 / 1.5",
            "bound": "(no bound)",
            "met": None,
        },
    ],
}


def test_renders_every_section_from_fixture_json(tmp_path: Path) -> None:
    for name, data in (
        ("quality", QUALITY),
        ("speed", SPEED),
        ("ray", RAY),
        ("platform", PLATFORM),
    ):
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
    # platform: command, targets, the import, one row per size, skipped sizes
    assert "Command: `qiao bench platform --sizes 1000,2000`" in text
    assert "| search p99 ms during publishes | 260.0 | ≤ 250 | NO |" in text
    assert "| publish-to-searchable p50 / p99 s | 0.9 / 1.5 | (no bound) |  |" in text
    assert "synthetic clones beyond" in text
    assert "after 101.5 s" in text and "ratio 1.69" in text
    assert "| 2,000 | 1,000 / 1,000 | 3.5 (1.2) | 400 / 550 | 150 / 200 / 260 |" in text
    assert "bench 0.10 + web 0.80 + worker 0.30; others 0.50" in text
    assert "| 1,000 | exact | 1.5 | 0.5 | 0.2 | 900 |" in text
    assert "| 2,000 | 90.0 | 50.0 | 55.0 | 20.0 | 20.0 |" in text
    assert "Size 1,000,000 skipped: needs ~60 GB." in text
    assert "- during batch import, at 80 s: `OperationalError: locked`" in text


def test_missing_json_says_not_run(tmp_path: Path) -> None:
    text = load().render(tmp_path)
    assert text.count("Not run yet.") == 5


def test_main_writes_the_file(tmp_path: Path) -> None:
    (tmp_path / "ray.json").write_text(json.dumps(RAY), encoding="utf-8")
    target = tmp_path / "RESULTS.md"
    assert load().main([str(tmp_path), str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# Benchmark results")
