"""`qiao bench speed`: embedding throughput, index build time, query latency, memory, ANN recall.

    qiao bench speed [--sizes 10k,100k,1M] [--queries 1000] [--json FILE] [--quick]

1. Throughput. Texts: every line of `--text-dir/*/{zh,ru,en}.txt` (the parallel benchmark
   folders), deduplicated; a synthetic trilingual generator when there are none. The same
   texts go, in alternating chunks of `--batch` (so background load hits both alike), to the
   raw model (`Embedder.embed`, sentences/s) and to the indexing pipeline (`Engine.upsert` of
   one single-field Document per text: passages, embedding, analysis, cues, index add; then
   `Engine.update_neighbourhoods`, the hubness step; documents/s). Target: pipeline ≥ 90 % of
   raw. A cProfile run of the pipeline then splits its time into parts, and a counting
   wrapper reports how many texts the pipeline embeds per document.
2. Index. The corpus of each size is: every real embedding (all texts, minus held-out queries)
   and, beyond that, synthetic vectors normalise(w·a + (1−w)·b + ε), a, b random real
   embeddings, w ~ U(0, 1), ε ~ N(0, σ²/d), σ = 0.3: convex mixtures of real vectors plus a
   little noise (a check of cosine statistics, real vs synthetic, is printed). Each kind of
   `VectorIndex` ("exact", "hnsw" = HNSW over 8-bit codes, candidates re-scored with float16
   rows read from a file) is built at each size: build time, resident memory (VmRSS after
   minus before the build, after releasing freed memory), faiss's own byte count and the
   size of the float16 row file (read with pread: it lives in the OS page cache, not in the
   process, so it is reported beside RSS, not in it), single-query top-10 latency (p50/p99
   after warm-up), recall@10.
3. Recall@10 against exact float search (faiss.knn), for synthetic queries drawn like the
   corpus and for real held-out embeddings; an efSearch sweep and a sweep of the number of
   re-scored candidates on the largest graph; and a graph over the real embeddings alone,
   queried with the held-out real embeddings.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import pstats
import random
import shlex
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from matching import engine as engine_module
from matching.embedders import DEFAULT_MODEL, Embedder, EmbedderError, get_embedder
from matching.engine import Engine
from matching.index import (
    DEFAULT_ANN_THRESHOLD,
    EF_CONSTRUCTION,
    EF_SEARCH,
    HNSW_M,
    REFINE_CANDIDATES,
    ROW_DTYPE,
    VectorIndex,
    faiss,
)
from matching.machine import describe, trim_heap
from matching.types import LANGUAGES, Document, Language

BENCHMARKS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
DEFAULT_TEXT_DIR = BENCHMARKS / "parallel"
FULL_SIZES = "10k,100k,1M"
QUICK_SIZES = "2k,10k"
K = 10
NOISE = 0.3
HELD_OUT = 500  # real embeddings kept out of every corpus, to query with
WARM_UP = 100
EXACT_QUERIES_LARGE = 200  # an exact scan of 1M rows takes ~0.1 s: fewer queries beyond 100k
TARGETS = {"pipeline_ratio": 0.9, "p99_ms": 10.0, "recall": 0.98, "rss_mb": 1024.0}
TARGET_SIZE = 1_000_000
Log = Callable[[str], None]


# --- texts ---------------------------------------------------------------------------------------


def read_texts(folder: Path, limit: int | None = None) -> list[tuple[Language, str]]:
    """Distinct lines of folder/*/{zh,ru,en}.txt, taken round-robin across files so that a
    limit keeps every language; [] when there are none."""
    files = sorted(p for p in folder.glob("*/*.txt") if p.stem in LANGUAGES)
    columns: list[list[tuple[Language, str]]] = []
    for path in files:
        language = next(lang for lang in LANGUAGES if lang == path.stem)
        lines = path.read_text(encoding="utf-8").splitlines()
        columns.append([(language, line.strip()) for line in lines if line.strip()])
    seen: set[str] = set()
    out: list[tuple[Language, str]] = []
    for row in range(max((len(c) for c in columns), default=0)):
        for column in columns:
            if row < len(column) and column[row][1] not in seen:
                seen.add(column[row][1])
                out.append(column[row])
    return out[:limit] if limit is not None else out


_WORDS: dict[Language, str] = {  # space-separated
    "en": "wind turbine control system pipeline welding greenhouse lighting battery recycling "
    "rice variety cold climate machine vision defect inspection production line energy "
    "saving technology university laboratory factory sensor network robot software",
    "ru": "ветровой турбина система управления сварка трубопровод теплица освещение батарея "
    "переработка сорт риса холодный климат машинное зрение дефект контроль производство "
    "энергия технология университет лаборатория завод датчик сеть робот",
    "zh": "风力 发电 控制 系统 管道 焊接 温室 照明 电池 回收 水稻 品种 寒冷 气候 机器 视觉 "
    "缺陷 检测 生产线 节能 技术 大学 实验室 工厂 传感器 网络 机器人 软件",
}


def synthetic_texts(n: int, seed: int = 0) -> list[tuple[Language, str]]:
    """n distinct pseudo-sentences, cycling zh, ru, en: for running anywhere, not for quality."""
    rng = random.Random(seed)
    out: list[tuple[Language, str]] = []
    for i in range(n):
        language = LANGUAGES[i % len(LANGUAGES)]
        words = rng.choices(_WORDS[language].split(), k=rng.randint(5, 18))
        joiner = "" if language == "zh" else " "
        out.append((language, joiner.join(words) + f" {i}"))
    return out


# --- machine -----------------------------------------------------------------------------------


def machine_info(argv: Sequence[str]) -> dict[str, Any]:
    return {
        **describe(shlex.join(["qiao", "bench", "speed", *argv])),
        "numpy": np.__version__,
        "faiss": str(getattr(faiss, "__version__", "?")),
        "faiss_threads": int(faiss.omp_get_max_threads()),
    }


def rss_mb() -> float | None:
    """Resident memory of this process (VmRSS), in MiB; None where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cpu_ticks() -> dict[str, int] | None:
    """The machine's CPU time so far by kind (/proc/stat), to tell how much of a measurement
    the hypervisor took (steal) or the disk held up (iowait); None where /proc is missing."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except (OSError, IndexError):
        return None
    names = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
    values = dict(zip(names, (int(x) for x in fields), strict=False))
    values["total"] = sum(int(x) for x in fields[: len(names)])
    return values


def share(before: dict[str, int] | None, after: dict[str, int] | None, kind: str) -> float | None:
    """The share of all CPU time between two `cpu_ticks` readings spent as `kind`."""
    if before is None or after is None or after["total"] <= before["total"]:
        return None
    return round((after[kind] - before[kind]) / (after["total"] - before["total"]), 4)


def release_memory() -> None:
    """Collect garbage and hand freed heap back to the OS, so RSS deltas mean something."""
    gc.collect()
    trim_heap()


# --- 1. throughput -------------------------------------------------------------------------------


class CountingEmbedder:
    """An embedder that counts the texts it embeds and the seconds it spends."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.texts = 0
        self.seconds = 0.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = self.inner.embed(texts)
        self.seconds += time.perf_counter() - started
        self.texts += len(texts)
        return vectors


def documents(texts: Sequence[tuple[Language, str]]) -> list[Document]:
    return [
        Document(id=f"t{i}", language=lang, fields={"text": text})
        for i, (lang, text) in enumerate(texts)
    ]


def measure_throughput(
    embedder: Embedder, texts: Sequence[tuple[Language, str]], batch: int
) -> dict[str, Any]:
    """Raw model vs Engine.upsert on the same texts, in alternating chunks."""
    docs = documents(texts)
    counting = CountingEmbedder(embedder)
    engine = Engine(counting)
    embedder.embed([t for _, t in texts[:batch]])  # warm-up: model, jieba, stemmers
    Engine(embedder).upsert(documents(texts[: min(len(texts), 64)]))
    raw = pipeline = neighbourhoods = 0.0
    for start in range(0, len(texts), batch):
        chunk = [t for _, t in texts[start : start + batch]]
        began = time.perf_counter()
        embedder.embed(chunk)
        raw += time.perf_counter() - began
        began = time.perf_counter()
        engine.upsert(docs[start : start + batch])
        upserted = time.perf_counter()
        engine.update_neighbourhoods()  # the hubness step, part of indexing (0005)
        pipeline += time.perf_counter() - began
        neighbourhoods += time.perf_counter() - upserted
    n = len(texts)
    return {
        "texts": n,
        "batch": batch,
        "raw_seconds": round(raw, 3),
        "pipeline_seconds": round(pipeline, 3),
        "raw_per_s": round(n / raw, 1),
        "pipeline_per_s": round(n / pipeline, 1),
        "ratio": round(raw / pipeline, 4),
        "neighbourhood_seconds": round(neighbourhoods, 3),
        "ratio_without_neighbourhoods": round(raw / (pipeline - neighbourhoods), 4),
        "texts_embedded_per_document": round(counting.texts / n, 3),
        "model_share_of_pipeline": round(counting.seconds / pipeline, 4),
    }


# (label, file name suffix, function name): parts of Engine.upsert followed by
# Engine.update_neighbourhoods, disjoint call subtrees.
PROFILE_PARTS = (
    ("embedding (Embedder.embed)", "embedders.py", "_batched"),
    ("passages (document_passages)", "engine.py", "document_passages"),
    ("keywords (text.analyze)", "text.py", "analyze"),
    ("cues (numbers, codes, names)", "engine.py", "_cues"),
    ("vector index add", "index.py", "add"),
    ("entries (digests, facet values)", "engine.py", "_entry"),
    ("BM25 / cue / facet bookkeeping", "engine.py", "_remember"),
    ("forget previous versions", "engine.py", "_forget"),
    ("hubness neighbour update", "engine.py", "update_neighbourhoods"),
)


class _InlineExecutor:
    """A ThreadPoolExecutor stand-in that runs each task at submit time, in the caller's
    thread."""

    def __init__(self, max_workers: int | None = None) -> None:
        del max_workers

    def __enter__(self) -> _InlineExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future


@contextlib.contextmanager
def _inline_threads() -> Iterator[None]:
    """cProfile sees only the thread that enabled it, so while profiling, the keyword and cue
    work that `Engine.analyze` runs in a second thread runs inline instead."""
    module: Any = engine_module  # the attribute is the engine's import, not its API
    original = module.ThreadPoolExecutor
    module.ThreadPoolExecutor = _InlineExecutor
    try:
        yield
    finally:
        module.ThreadPoolExecutor = original


def profile_pipeline(
    embedder: Embedder, texts: Sequence[tuple[Language, str]], batch: int, top: int = 12
) -> dict[str, Any]:
    """Where Engine.upsert spends its time, by cProfile (which slows Python code more than
    the model, so the model's share is understated here; the unprofiled share is in the
    throughput result). The keyword and cue thread runs inline here (`_inline_threads`)."""
    docs = documents(texts)
    engine = Engine(embedder)
    profiler = cProfile.Profile()
    with _inline_threads():
        profiler.enable()
        for start in range(0, len(docs), batch):
            engine.upsert(docs[start : start + batch])
            engine.update_neighbourhoods()
        profiler.disable()
    stats = pstats.Stats(profiler)
    table: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]

    def cumulative(suffix: str, name: str) -> float:
        return float(
            sum(
                v[3]
                for (file, _, func), v in table.items()
                if func == name and file.endswith(suffix)
            )
        )

    total = cumulative("engine.py", "upsert") + cumulative("engine.py", "update_neighbourhoods")
    seconds = {label: cumulative(suffix, name) for label, suffix, name in PROFILE_PARTS}
    seconds["other"] = total - sum(seconds.values())
    parts = [
        {"part": label, "seconds": round(s, 3), "share": round(s / total, 4) if total else 0.0}
        for label, s in seconds.items()
    ]
    by_self = sorted(table.items(), key=lambda kv: -kv[1][2])[:top]
    functions = [
        {
            "function": f"{Path(file).name}:{line}({func})",
            "self_seconds": round(v[2], 3),
            "cumulative_seconds": round(v[3], 3),
            "calls": int(v[1]),
        }
        for (file, line, func), v in by_self
    ]
    return {"documents": len(docs), "seconds": round(total, 3), "parts": parts, "top": functions}


# --- 2. vectors --------------------------------------------------------------------------------


def synthesise(parents: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n unit vectors normalise(w·a + (1−w)·b + ε): a, b random rows of `parents`."""
    dim = parents.shape[1]
    out = np.empty((n, dim), np.float32)
    for start in range(0, n, 65_536):
        m = min(65_536, n - start)
        a = parents[rng.integers(0, len(parents), m)]
        b = parents[rng.integers(0, len(parents), m)]
        w = rng.random((m, 1), dtype=np.float32)
        x = w * a + (1 - w) * b
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        x += rng.normal(scale=NOISE / np.sqrt(dim), size=x.shape).astype(np.float32)
        out[start : start + m] = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def cosine_statistics(vectors: np.ndarray, rng: np.random.Generator) -> dict[str, float]:
    """Mean cosine of random pairs and of each sampled vector's 1st and 10th neighbour."""
    sample = vectors[rng.choice(len(vectors), min(300, len(vectors)), replace=False)]
    scores, _ = faiss.knn(
        sample, vectors, min(K + 1, len(vectors)), metric=faiss.METRIC_INNER_PRODUCT
    )
    a = vectors[rng.integers(0, len(vectors), 2000)]
    b = vectors[rng.integers(0, len(vectors), 2000)]
    return {
        "random_pair": round(float(np.mean(np.sum(a * b, axis=1))), 4),
        "neighbour_1": round(float(np.mean(scores[:, min(1, scores.shape[1] - 1)])), 4),
        "neighbour_10": round(float(np.mean(scores[:, -1])), 4),
    }


def corpus_of(size: int, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The real rows first (as many as fit), synthetic rows beyond."""
    if size <= len(base):
        return np.ascontiguousarray(base[:size])
    return np.vstack([base, synthesise(base, size - len(base), rng)])


def exact_neighbours(queries: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    if not len(queries):
        return np.zeros((0, K), np.int64)
    _, rows = faiss.knn(queries, corpus, K, metric=faiss.METRIC_INNER_PRODUCT)
    return np.asarray(rows)


# --- 2. and 3. the index -----------------------------------------------------------------------


def build(kind: str, corpus: np.ndarray, model: str) -> tuple[VectorIndex, dict[str, Any]]:
    """Build an index of one kind, timing it and measuring the resident memory it adds."""
    release_memory()
    before = rss_mb()
    started = time.perf_counter()
    # A threshold of 0 forces the graph; of the corpus size, exact search.
    index = VectorIndex(corpus.shape[1], model, ann_threshold=0 if kind == "hnsw" else len(corpus))
    index.add([f"d{i}" for i in range(len(corpus))], corpus, model=model)
    seconds = time.perf_counter() - started
    release_memory()
    after = rss_mb()
    stats = index.stats()
    return index, {
        "kind": index.kind,
        "codec": index.codec,
        "build_s": round(seconds, 2),
        "rss_mb": None if before is None or after is None else round(after - before, 1),
        "faiss_mb": round((stats["vector_bytes"] + stats["graph_bytes"]) / 2**20, 1),
        "row_file_mb": round(stats.get("row_file_bytes", 0) / 2**20, 1),
    }


def run_queries(
    index: VectorIndex, queries: np.ndarray, truth: np.ndarray
) -> tuple[np.ndarray, float]:
    """Latencies in ms (one query at a time) and recall@10 against `truth`."""
    latencies = np.empty(len(queries))
    overlap = 0
    for i, query in enumerate(queries):
        started = time.perf_counter()
        hits = index.search(query, K)[0]
        latencies[i] = (time.perf_counter() - started) * 1000
        overlap += len({int(h.id[1:]) for h in hits} & set(truth[i].tolist()))
    return latencies, overlap / (K * max(len(queries), 1))


def measure_queries(
    index: VectorIndex,
    synthetic: np.ndarray,
    real: np.ndarray,
    truth_synthetic: np.ndarray,
    truth_real: np.ndarray,
) -> dict[str, Any]:
    warm = np.vstack([synthetic, real])[:WARM_UP]
    run_queries(index, warm, np.vstack([truth_synthetic, truth_real])[:WARM_UP])
    ticks = cpu_ticks()
    lat_s, recall_s = run_queries(index, synthetic, truth_synthetic)
    lat_r, recall_r = run_queries(index, real, truth_real)
    after = cpu_ticks()
    latencies = np.concatenate([lat_s, lat_r])
    slow = np.nonzero(latencies > 10.0)[0]
    return {
        # where the slow queries sit (in query order), and what else the machine did meanwhile
        "over_10ms": len(slow),
        "slowest_ms": round(float(latencies.max()), 3) if len(latencies) else None,
        "slow_between": [int(slow[0]), int(slow[-1])] if len(slow) else None,
        "steal_share": share(ticks, after, "steal"),
        "iowait_share": share(ticks, after, "iowait"),
        "queries": len(latencies),
        "p50_ms": round(float(np.percentile(latencies, 50)), 3),
        "p99_ms": round(float(np.percentile(latencies, 99)), 3),
        "mean_ms": round(float(latencies.mean()), 3),
        "recall_synthetic": round(recall_s, 4) if len(synthetic) else None,
        "recall_real": round(recall_r, 4) if len(real) else None,
    }


def measure_size(
    size: int,
    corpus: np.ndarray,
    queries: tuple[np.ndarray, np.ndarray],
    kinds: Sequence[str],
    ef_values: Sequence[int],
    model: str,
    log: Log,
    refine_values: Sequence[int] = (),
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    synthetic, real = queries
    truth_s, truth_r = exact_neighbours(synthetic, corpus), exact_neighbours(real, corpus)
    rows: list[dict[str, Any]] = []
    sweep: list[dict[str, Any]] = []
    default = "hnsw" if size > DEFAULT_ANN_THRESHOLD else "exact"
    for kind in kinds:
        log(f"size {size:,}: building {kind}")
        index, row = build(kind, corpus, model)
        n = len(synthetic) if kind == "hnsw" or size <= 100_000 else EXACT_QUERIES_LARGE
        log(f"size {size:,}: {kind} built in {row['build_s']}s; {n + len(real)} queries")
        row = {"size": size, "default": kind == default, **row}
        row.update(measure_queries(index, synthetic[:n], real, truth_s[:n], truth_r))
        rows.append(row)
        if kind == "hnsw":
            ef0, refine0 = index.ef_search, index.refine
            points = [(ef, refine0) for ef in ef_values] + [(ef0, r) for r in refine_values]
            for ef, refine in points:
                index.ef_search, index.refine = ef, refine
                m = min(len(synthetic), 500)
                result = measure_queries(index, synthetic[:m], real, truth_s[:m], truth_r)
                sweep.append({"size": size, "ef_search": ef, "refine": refine, **result})
        del index
        release_memory()
    return rows, sweep


# --- output ------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for item in text.split(","):
        item = item.strip().lower()
        scale = {"k": 1_000, "m": 1_000_000}.get(item[-1:], 1)
        sizes.append(int(float(item.rstrip("km")) * scale))
    if not sizes or min(sizes) < 2 * K:
        raise ValueError(f"sizes must be at least {2 * K}: {text!r}")
    return sizes


def _cell(value: Any, spec: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int | float):
        return format(value, spec or ",")
    return str(value)


Column = tuple[str, str, str]  # key, header, format spec


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], out: TextIO) -> None:
    cells = [[_cell(r.get(key), spec) for key, _, spec in columns] for r in rows]
    headers = [header for _, header, _ in columns]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, h in enumerate(headers)]
    print("  " + "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)), file=out)
    for line in cells:
        print("  " + "  ".join(c.rjust(w) for c, w in zip(line, widths, strict=True)), file=out)


INDEX_COLUMNS: tuple[Column, ...] = (
    ("size", "size", ","),
    ("kind", "kind", ""),
    ("default", "default", ""),
    ("build_s", "build s", ",.1f"),
    ("rss_mb", "RSS MB", ",.0f"),
    ("faiss_mb", "faiss MB", ",.0f"),
    ("row_file_mb", "row file MB", ",.0f"),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("queries", "queries", ","),
    ("recall_synthetic", "recall@10 synth", ".4f"),
    ("recall_real", "recall@10 real", ".4f"),
    ("over_10ms", "queries > 10 ms", ","),
    ("steal_share", "CPU stolen", ".1%"),
)
SWEEP_COLUMNS: tuple[Column, ...] = (
    ("size", "size", ","),
    ("ef_search", "efSearch", ""),
    ("refine", "re-scored", ""),
    ("p50_ms", "p50 ms", ".2f"),
    ("p99_ms", "p99 ms", ".2f"),
    ("recall_synthetic", "recall@10 synth", ".4f"),
    ("recall_real", "recall@10 real", ".4f"),
)


def targets(
    throughput: dict[str, Any] | None, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each target of the issue with the measured value; sizes below 1M are reported as such."""
    out: list[dict[str, Any]] = []
    if throughput is not None:
        ratio = throughput["ratio"]
        target = TARGETS["pipeline_ratio"]
        out.append(_target("pipeline / raw throughput", ratio, f"≥ {target}", ratio >= target))
    graphs = [r for r in rows if r["kind"] == "hnsw"]
    if graphs:
        r = max(graphs, key=lambda r: r["size"])
        at = "" if r["size"] == TARGET_SIZE else f" (at {r['size']:,}, not {TARGET_SIZE:,})"
        for name, key, bound, good in (
            ("query p99 ms", "p99_ms", f"≤ {TARGETS['p99_ms']}", r["p99_ms"] <= TARGETS["p99_ms"]),
            (
                "recall@10 synthetic",
                "recall_synthetic",
                f"≥ {TARGETS['recall']}",
                r["recall_synthetic"] is not None and r["recall_synthetic"] >= TARGETS["recall"],
            ),
            (
                "recall@10 real queries",
                "recall_real",
                f"≥ {TARGETS['recall']}",
                r["recall_real"] is not None and r["recall_real"] >= TARGETS["recall"],
            ),
            (
                "resident memory MB",
                "rss_mb",
                f"≤ {TARGETS['rss_mb']:.0f}",
                r["rss_mb"] is not None and r["rss_mb"] <= TARGETS["rss_mb"],
            ),
        ):
            out.append(_target(name + at, r[key], bound, good))
    return out


def _target(name: str, value: Any, bound: str, met: bool) -> dict[str, Any]:
    return {"target": name, "value": value, "bound": bound, "met": bool(met)}


# --- entry point -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="qiao bench speed",
        description="Embedding throughput (raw model vs indexing pipeline), index build time, "
        "query latency, resident memory and ANN recall@10. See the module doc of "
        "matching.bench_speed for the method.",
    )
    p.add_argument("--sizes", help=f"corpus sizes (default {FULL_SIZES}; --quick {QUICK_SIZES})")
    p.add_argument("--queries", type=int, help="synthetic queries per size (default 1000)")
    p.add_argument("--text-dir", default=str(DEFAULT_TEXT_DIR), help="parallel folders")
    p.add_argument("--max-texts", type=int, help="use at most N real texts (default: all)")
    p.add_argument("--pipeline-texts", type=int, help="texts for throughput (default 4000)")
    p.add_argument("--batch", type=int, default=256, help="documents per upsert (default 256)")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.add_argument("--kinds", default="exact,hnsw", help="index kinds to measure")
    p.add_argument("--ef-search", default="64,128,256,384,512,768", help="efSearch sweep")
    p.add_argument(
        "--refine",
        default="0,16,32,64,128",
        help="sweep of the candidates re-scored with float16 rows (0: the 8-bit scores)",
    )
    p.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", metavar="FILE", help="write every number and the machine info")
    p.add_argument("--quick", action="store_true", help="small sizes and few queries (tests)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: list[str], out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    started = time.perf_counter()

    def log(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    try:
        sizes = parse_sizes(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))
        kinds = [k for k in args.kinds.split(",") if k]
        if not kinds or set(kinds) - {"exact", "hnsw"}:
            raise ValueError("--kinds takes exact and/or hnsw")
        ef_values = [int(x) for x in args.ef_search.split(",") if x]
        refine_values = [int(x) for x in args.refine.split(",") if x]
        embedder = get_embedder(args.model)
    except (ValueError, EmbedderError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n_queries = args.queries or (100 if args.quick else 1000)
    max_texts = args.max_texts or (400 if args.quick else None)
    pipeline_texts = args.pipeline_texts or (150 if args.quick else 4000)
    rng = np.random.default_rng(args.seed)
    report: dict[str, Any] = {"machine": machine_info(argv)}

    texts = read_texts(Path(args.text_dir), max_texts)
    source = f"{args.text_dir}: {len(texts)} distinct lines"
    if not texts:
        texts = synthetic_texts(max_texts or 3000, args.seed)
        source = f"synthetic generator ({len(texts)} texts; {args.text_dir} has none)"
    log(f"texts: {source}")

    # 1. throughput
    log(f"throughput: raw model vs pipeline on {min(pipeline_texts, len(texts))} texts")
    sample = texts[:pipeline_texts]
    throughput = measure_throughput(embedder, sample, args.batch)
    profile = None if args.no_profile else profile_pipeline(embedder, sample, args.batch)
    report["throughput"] = {"texts_source": source, **throughput, "profile": profile}
    print_throughput(report["throughput"], stream)

    # 2. vectors
    log(f"embedding all {len(texts)} texts")
    began = time.perf_counter()
    real = embedder.embed([t for _, t in texts])
    embed_seconds = time.perf_counter() - began
    order = rng.permutation(len(real))
    held = min(HELD_OUT, len(real) // 10)
    real_queries, base = real[order[:held]], real[order[held:]]
    synthetic_queries = synthesise(base, n_queries, rng)
    check = {
        "real": cosine_statistics(base, rng),
        "synthetic": cosine_statistics(synthesise(base, len(base), rng), rng),
    }
    report["vectors"] = {
        "model": embedder.name,
        "dim": embedder.dim,
        "real_embeddings": len(real),
        "real_embedding_per_s": round(len(real) / embed_seconds, 1),
        "held_out_real_queries": held,
        "synthetic_queries": n_queries,
        "synthetic_method": (
            "normalise(w*a + (1-w)*b + e): a, b random real embeddings (held-out queries "
            f"excluded), w ~ U(0,1), e ~ N(0, {NOISE}^2/d); corpus = real embeddings first, "
            "synthetic beyond"
        ),
        "cosine_check": check,
    }
    print_vectors(report["vectors"], stream)

    # 2 and 3. index per size
    index_rows: list[dict[str, Any]] = []
    sweep: list[dict[str, Any]] = []
    for size in sizes:
        corpus = corpus_of(size, base, rng)
        rows, ef_rows = measure_size(
            size,
            corpus,
            (synthetic_queries, real_queries),
            kinds,
            ef_values if size == max(sizes) else [],
            embedder.name,
            log,
            refine_values if size == max(sizes) else [],
        )
        index_rows += rows
        sweep += ef_rows
        del corpus
        release_memory()
    log("recall on the real embeddings alone")
    real_rows, _ = measure_size(
        len(base), base, (synthetic_queries[:0], real_queries), ["hnsw"], [], embedder.name, log
    )
    real_corpus = {**real_rows[0], "note": "corpus = real embeddings only; queries = held out"}
    report["index"] = {
        "defaults": {
            "ann_threshold": DEFAULT_ANN_THRESHOLD,
            "hnsw_m": HNSW_M,
            "ef_construction": EF_CONSTRUCTION,
            "ef_search": EF_SEARCH,
            "refine": REFINE_CANDIDATES,
            "row_dtype": ROW_DTYPE.name,
            "k": K,
        },
        "sizes": index_rows,
        "ef_search_sweep": sweep,
        "real_corpus": real_corpus,
    }
    print_index(report["index"], stream)

    report["targets"] = targets(throughput, index_rows)
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    report["machine"]["seconds"] = round(time.perf_counter() - started, 1)
    print_targets(report["targets"], stream)
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        log(f"wrote {path}")
    return 0


def print_throughput(result: dict[str, Any], out: TextIO) -> None:
    print("== Embedding throughput", file=out)
    print(f"  texts: {result['texts_source']}; {result['texts']} used", file=out)
    print(f"  raw model      {result['raw_per_s']:>8,.1f} sentences/s", file=out)
    print(
        f"  pipeline       {result['pipeline_per_s']:>8,.1f} documents/s  "
        f"(Engine.upsert, batches of {result['batch']})",
        file=out,
    )
    print(
        f"  ratio          {result['ratio']:>8.3f}  (target ≥ {TARGETS['pipeline_ratio']}); "
        f"the pipeline embeds {result['texts_embedded_per_document']} texts per document; "
        f"the model is {result['model_share_of_pipeline']:.0%} of its time",
        file=out,
    )
    print(
        f"  of which the hubness neighbour update {result['neighbourhood_seconds']:.1f}s; "
        f"ratio without it {result['ratio_without_neighbourhoods']:.3f}",
        file=out,
    )
    profile = result.get("profile")
    if profile:
        print(f"  profile of the pipeline ({profile['documents']} documents, cProfile):", file=out)
        for part in profile["parts"]:
            print(
                f"    {part['part']:<34} {part['seconds']:>8.2f}s {part['share']:>6.1%}", file=out
            )
        print("  top functions by own time:", file=out)
        for f in profile["top"][:8]:
            print(
                f"    {f['function'][:72]:<72} {f['self_seconds']:>7.2f}s  ({f['calls']:,} calls)",
                file=out,
            )


def print_vectors(result: dict[str, Any], out: TextIO) -> None:
    print("\n== Vectors", file=out)
    print(
        f"  {result['real_embeddings']:,} real embeddings ({result['model']}, "
        f"{result['dim']}-d, {result['real_embedding_per_s']:,.0f}/s); "
        f"{result['held_out_real_queries']} held out as queries",
        file=out,
    )
    print(f"  synthetic: {result['synthetic_method']}", file=out)
    for name, s in result["cosine_check"].items():
        print(
            f"  cosines, {name:<9}: random pair {s['random_pair']:.3f}, 1st neighbour "
            f"{s['neighbour_1']:.3f}, 10th neighbour {s['neighbour_10']:.3f}",
            file=out,
        )


def print_index(result: dict[str, Any], out: TextIO) -> None:
    d = result["defaults"]
    print(
        f"\n== Index (top-{d['k']}; default: exact up to {d['ann_threshold']:,} vectors, then "
        f"HNSW M={d['hnsw_m']} efConstruction={d['ef_construction']} "
        f"efSearch={d['ef_search']} over 8-bit codes, the best {d.get('refine', 0)} "
        f"candidates re-scored with {d.get('row_dtype', 'float16')} rows)",
        file=out,
    )
    table(result["sizes"], INDEX_COLUMNS, out)
    if result["ef_search_sweep"]:
        print("\n  efSearch and re-scoring sweep (largest size):", file=out)
        table(result["ef_search_sweep"], SWEEP_COLUMNS, out)
    print("\n  real embeddings only (held-out real queries):", file=out)
    table([result["real_corpus"]], INDEX_COLUMNS, out)


def print_targets(rows: Sequence[dict[str, Any]], out: TextIO) -> None:
    print("\n== Targets", file=out)
    for r in rows:
        verdict = "met" if r["met"] else "MISSED"
        print(
            f"  {r['target']:<50} {_cell(r['value'], 'g'):>8}  {r['bound']:<8} {verdict}", file=out
        )
