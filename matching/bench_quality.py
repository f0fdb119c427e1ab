"""`qiao bench quality PATH...`: retrieval quality of the engine against each raw bundled model.

Systems
- engine: `Engine` with the default model and the default `Scoring`, one engine per
  benchmark indexing the texts of every language at once, as the platform holds documents in
  all three (`EngineCorpus`). Its full ranking is `Engine.scores` over the target language's
  documents (the fused score: what `match` sorts, without its candidate pre-selection), so
  MRR is over the whole target set, not MRR@10. The engine handles zh/ru/en; a direction
  involving any other language reports the engine as "n/a".
- one raw system per model (`--models`, default every registered embedder): cosine of the
  model's own embedding of the text, full ranking. A document is embedded as its lines joined
  by newlines.

Benchmarks
1. Every PATH, a folder in the parallel format (matching.evaluation): languages are the
   `*.txt` files present (not doc.txt); every ordered direction A→B; line level (gold: the
   aligned line and any identical text, `evaluation.line_relevance`) and, when doc.txt exists,
   document level (a document = its lines joined). recall@1, recall@10, MRR.
2. Topic agreement on SIB-200 (`--sib`): rows aligned across `{lang}.tsv` (split, label,
   text); the test split (all rows when there is no split column). For each cross-lingual
   direction A→B, every text of A queries all texts of B except its own translation (the
   aligned row). "topic precision@10" = the share of its 10 nearest texts in B with the same
   topic label, averaged over queries; "kNN accuracy" = the share of queries whose 10
   neighbours' majority label (ties: the label of the nearest) is their own label.
3. Cross-lingual STS (`--sts`): STS-B rows aligned across `*-{lang}-{split}.csv` (sentence1,
   sentence2, gold 0–5), test split. For languages a≠b, sentence1 in a and sentence2 in b:
   Spearman between the gold score and the system's similarity (raw: cosine; engine: the fused
   score of sentence2 for the query sentence1, with every sentence of every language indexed;
   its 0–100
   quality is a monotone map of it, so the correlation is the same).

Each text is embedded once per model; the cache serves raw rankings and the engine alike.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import math
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import numpy as np

from matching import evaluation
from matching.embedders import (
    DEFAULT_MODEL,
    Embedder,
    EmbedderError,
    available_embedders,
    get_embedder,
)
from matching.engine import Analysis, Engine, Scoring
from matching.machine import cpu_model, memory_gb
from matching.types import LANGUAGES, Document, Language

ENGINE = "engine"
K_TOPIC = 10
BENCHMARKS = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
DEFAULT_SIB = BENCHMARKS / "topics" / "sib200"
DEFAULT_STS = BENCHMARKS / "sts" / "stsb-multi-mt"
SPLIT_PREFERENCE = ("test", "dev", "validation", "train")


# --- embedding once ------------------------------------------------------------------------------


class CachedEmbedder:
    """Wraps an embedder so that each distinct text is embedded once per process."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.seconds = 0.0
        self.texts = 0
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            start = time.perf_counter()
            vectors = self.inner.embed(missing)
            self.seconds += time.perf_counter() - start
            self.texts += len(missing)
            for text, vector in zip(missing, vectors, strict=True):
                self._cache[text] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._cache[t] for t in texts])


def engine_language(language: str) -> Language | None:
    for lang in LANGUAGES:
        if lang == language:
            return lang
    return None


def _documents(texts: Sequence[str], language: Language, prefix: str = "") -> list[Document]:
    return [
        Document(id=f"{prefix}{j}", language=language, fields={"text": t})
        for j, t in enumerate(texts)
    ]


class EngineCorpus:
    """The engine's view of one benchmark: a single engine indexing every collection of texts
    at once, whatever its language, as the platform indexes documents in all three; each
    collection's texts are also its queries, with the analyses made when they were indexed.
    A direction A→B scores the queries of A against the documents of B in that one index, so
    corpus statistics (cue rarity, and the hubness of a document toward the query's
    language) come from everything indexed. Collections are named (a language for a parallel
    folder; "1:en", "2:en"... for STS)."""

    def __init__(
        self, embedder: Embedder, collections: Mapping[str, tuple[Language, Sequence[str]]]
    ) -> None:
        self.embedder = embedder
        self.collections = {
            name: (lang, list(texts)) for name, (lang, texts) in collections.items()
        }
        self.ids = {
            name: [f"{name}:{j}" for j in range(len(texts))]
            for name, (_, texts) in self.collections.items()
        }
        self._queries: dict[str, list[Analysis]] = {}
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(self.embedder, scoring=Scoring())
            for name, (lang, texts) in self.collections.items():
                self._engine.upsert(_documents(texts, lang, f"{name}:"))
        return self._engine

    def queries(self, name: str) -> list[Analysis]:
        """The collection's texts as queries: their analyses from indexing, not made again."""
        if name not in self._queries:
            engine = self.engine
            analyses = [engine.analysis(d) for d in self.ids[name]]
            self._queries[name] = [a for a in analyses if a is not None]
            if len(self._queries[name]) != len(analyses):
                raise RuntimeError(f"{name}: some texts are not in the engine's index")
        return self._queries[name]

    def score_matrix(self, source: str, target: str) -> np.ndarray:
        """Fused scores of every document of `target` (columns) for every query of `source`
        (rows)."""
        engine, ids, language = self.engine, self.ids[target], self.collections[source][0]
        queries = self.queries(source)
        out = np.empty((len(queries), len(ids)), dtype=np.float64)
        for i, query in enumerate(queries):
            scores = engine.scores(query, language, among=ids)
            out[i] = [scores[d] for d in ids]
        return out

    def pair_scores(self, source: str, target: str) -> np.ndarray:
        """Fused score of document i of `target` for query i of `source` (aligned pairs)."""
        engine, language = self.engine, self.collections[source][0]
        return np.array(
            [
                engine.scores(q, language, among=[d])[d]
                for q, d in zip(self.queries(source), self.ids[target], strict=True)
            ]
        )


# --- results -------------------------------------------------------------------------------------


class Retrieval(NamedTuple):
    level: str  # "sentences" | "documents"
    source: str
    target: str
    system: str
    metrics: evaluation.RetrievalMetrics | None  # None: n/a for this system


class Topic(NamedTuple):
    source: str
    target: str
    system: str
    agreement: evaluation.TopicAgreement | None


class Correlation(NamedTuple):
    source: str  # language of sentence1
    target: str  # language of sentence2
    system: str
    pairs: int
    spearman: float | None


@dataclass
class FolderReport:
    path: Path
    name: str
    lines: int
    total_lines: int
    languages: list[str]
    documents: int | None
    rows: list[Retrieval] = field(default_factory=list)


@dataclass
class Bench:
    models: list[str]
    embedders: dict[str, CachedEmbedder]
    log: Callable[[str], None]

    @property
    def engine_embedder(self) -> CachedEmbedder:
        return self.embedders[DEFAULT_MODEL]

    @property
    def systems(self) -> list[str]:
        return [ENGINE, *self.models]


def make_bench(models: Sequence[str], log: Callable[[str], None]) -> Bench:
    names = list(dict.fromkeys(models))
    embedders = {m: CachedEmbedder(get_embedder(m)) for m in dict.fromkeys([*names, DEFAULT_MODEL])}
    return Bench(names, embedders, log)


# --- 1. parallel folders -------------------------------------------------------------------------


def _limited(data: evaluation.ParallelSet, limit: int | None) -> evaluation.ParallelSet:
    if limit is None:
        return data
    lines = {lang: v[:limit] for lang, v in data.lines.items()}
    doc_ids = data.doc_ids[:limit] if data.doc_ids is not None else None
    return evaluation.ParallelSet(data.name, lines, doc_ids)


def evaluate_folder(bench: Bench, folder: Path, limit: int | None = None) -> FolderReport:
    full = evaluation.read_parallel_folder(folder)
    data = _limited(full, limit)
    langs = sorted(data.lines)
    total = len(full.lines[langs[0]])
    levels: list[tuple[str, dict[str, list[str]]]] = [("sentences", data.lines)]
    documents = None
    if data.doc_ids is not None:
        grouped = {
            lang: evaluation.group_documents(v, data.doc_ids) for lang, v in data.lines.items()
        }
        documents = len(next(iter(grouped.values()))[0])
        levels.append(("documents", {lang: texts for lang, (_, texts) in grouped.items()}))
    report = FolderReport(folder, data.name, len(data.lines[langs[0]]), total, langs, documents)
    pairs = evaluation.directions(langs)
    for level, texts in levels:
        gold = {
            (a, b): (
                evaluation.line_relevance(data.lines[a], data.lines[b])
                if level == "sentences"
                else [{i} for i in range(len(texts[a]))]
            )
            for a, b in pairs
        }
        found: dict[tuple[str, str, str], evaluation.RetrievalMetrics | None] = {}
        for model in bench.models:
            bench.log(f"{data.name} {level}: {model}")
            vectors = {lang: bench.embedders[model].embed(texts[lang]) for lang in langs}
            for a, b in pairs:
                ranks = evaluation.first_relevant_ranks(vectors[a] @ vectors[b].T, gold[a, b])
                found[a, b, model] = evaluation.metrics(f"{a}→{b}", ranks)
        collections = {
            lang: (supported, texts[lang])
            for lang in langs
            if (supported := engine_language(lang)) is not None
        }
        bench.log(f"{data.name} {level}: engine indexes {', '.join(collections)}")
        corpus = EngineCorpus(bench.engine_embedder, collections)
        for a, b in pairs:
            if a in collections and b in collections:
                bench.log(f"{data.name} {level}: engine {a}→{b}")
                scores = corpus.score_matrix(a, b)
                ranks = evaluation.first_relevant_ranks(scores, gold[a, b])
                found[a, b, ENGINE] = evaluation.metrics(f"{a}→{b}", ranks)
            else:
                found[a, b, ENGINE] = None
        report.rows.extend(
            Retrieval(level, a, b, system, found[a, b, system])
            for a, b in pairs
            for system in bench.systems
        )
    return report


# --- 2. topic agreement --------------------------------------------------------------------------


class TopicSet(NamedTuple):
    split: str  # "test", or "all" when the files have no split column
    labels: list[str]
    texts: dict[str, list[str]]  # language -> row texts


def read_topic_folder(folder: Path, limit: int | None = None) -> TopicSet:
    """`{lang}.tsv` files with a header and columns split, label, text (split optional)."""
    tables: dict[str, list[dict[str, str]]] = {}
    for path in sorted(Path(folder).glob("*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines:
            continue
        header = lines[0].split("\t")
        if "label" not in header or "text" not in header:
            raise ValueError(f"{path}: needs columns label and text, got {header}")
        rows = []
        for line in lines[1:]:
            if line.strip():
                cells = line.split("\t", len(header) - 1)
                rows.append(dict(zip(header, cells, strict=False)))
        tables[path.stem] = rows
    if len(tables) < 2:
        raise ValueError(f"{folder}: need at least two {{lang}}.tsv files")
    counts = {lang: len(rows) for lang, rows in tables.items()}
    if len(set(counts.values())) != 1:
        raise ValueError(f"{folder}: files are not row-aligned: {counts}")
    first = next(iter(tables.values()))
    splits = {r.get("split", "") for r in first}
    split = next((s for s in SPLIT_PREFERENCE if s in splits), "all")
    keep = [i for i, r in enumerate(first) if split == "all" or r.get("split") == split]
    keep = keep[:limit] if limit is not None else keep
    labels = [first[i]["label"] for i in keep]
    for lang, rows in tables.items():
        if [rows[i]["label"] for i in keep] != labels:
            raise ValueError(f"{folder}: labels of {lang}.tsv differ from the other files")
    texts = {lang: [rows[i].get("text", "") for i in keep] for lang, rows in tables.items()}
    return TopicSet(split, labels, texts)


def evaluate_topics(bench: Bench, data: TopicSet) -> list[Topic]:
    langs = sorted(data.texts)
    pairs = evaluation.directions(langs)
    exclude = [{i} for i in range(len(data.labels))]  # the aligned translation of the query
    found: dict[tuple[str, str, str], evaluation.TopicAgreement | None] = {}

    def agreement(scores: np.ndarray) -> evaluation.TopicAgreement:
        return evaluation.topic_agreement(
            scores, data.labels, data.labels, k=K_TOPIC, exclude=exclude
        )

    for model in bench.models:
        bench.log(f"topics: {model}")
        vectors = {lang: bench.embedders[model].embed(data.texts[lang]) for lang in langs}
        for a, b in pairs:
            found[a, b, model] = agreement(vectors[a] @ vectors[b].T)
    collections = {
        lang: (supported, data.texts[lang])
        for lang in langs
        if (supported := engine_language(lang)) is not None
    }
    corpus = EngineCorpus(bench.engine_embedder, collections)
    for a, b in pairs:
        found[a, b, ENGINE] = None
        if a in collections and b in collections:
            bench.log(f"topics: engine {a}→{b}")
            found[a, b, ENGINE] = agreement(corpus.score_matrix(a, b))
    return [Topic(a, b, s, found[a, b, s]) for a, b in pairs for s in bench.systems]


# --- 3. cross-lingual STS ------------------------------------------------------------------------


class StsSet(NamedTuple):
    split: str
    gold: list[float]
    first: dict[str, list[str]]  # language -> sentence1 of every row
    second: dict[str, list[str]]  # language -> sentence2 of every row


def read_sts_folder(folder: Path, limit: int | None = None, split: str | None = None) -> StsSet:
    """Files named `<anything>-{lang}-{split}.csv`, rows sentence1, sentence2, score (no
    header), aligned across languages. `split`, or else the first split of SPLIT_PREFERENCE
    with at least two languages."""
    by_split: dict[str, dict[str, Path]] = {}
    for path in sorted(Path(folder).glob("*.csv")):
        parts = path.stem.split("-")
        if len(parts) >= 2:
            by_split.setdefault(parts[-1], {})[parts[-2]] = path
    usable = [s for s, files in by_split.items() if len(files) >= 2]
    if not usable:
        raise ValueError(f"{folder}: need *-{{lang}}-{{split}}.csv files in two languages")
    if split is not None and split not in usable:
        raise ValueError(f"{folder}: no split {split!r} in two languages; found {sorted(usable)}")
    split = split or next((s for s in SPLIT_PREFERENCE if s in usable), sorted(usable)[0])
    first: dict[str, list[str]] = {}
    second: dict[str, list[str]] = {}
    gold: list[float] | None = None
    for lang, path in sorted(by_split[split].items()):
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [r for r in csv.reader(fh) if r]
        rows = rows[:limit] if limit is not None else rows
        scores = [float(r[2]) for r in rows]
        if gold is None:
            gold = scores
        elif len(scores) != len(gold) or not np.allclose(scores, gold):
            raise ValueError(f"{path}: rows or scores do not align with the other languages")
        first[lang] = [r[0] for r in rows]
        second[lang] = [r[1] for r in rows]
    return StsSet(split, gold or [], first, second)


def evaluate_sts(bench: Bench, data: StsSet) -> list[Correlation]:
    langs = sorted(data.first)
    pairs = evaluation.directions(langs)
    found: dict[tuple[str, str, str], float | None] = {}

    def rho(similarity: np.ndarray) -> float | None:
        value = evaluation.spearman(data.gold, similarity)
        return None if math.isnan(value) else value

    for model in bench.models:
        bench.log(f"sts: {model}")
        embedder = bench.embedders[model]
        first = {lang: embedder.embed(data.first[lang]) for lang in langs}
        second = {lang: embedder.embed(data.second[lang]) for lang in langs}
        for a, b in pairs:
            found[a, b, model] = rho(np.einsum("ij,ij->i", first[a], second[b]))
    collections: dict[str, tuple[Language, list[str]]] = {}
    for lang in langs:
        supported = engine_language(lang)
        if supported is not None:
            collections[f"1:{lang}"] = (supported, data.first[lang])
            collections[f"2:{lang}"] = (supported, data.second[lang])
    corpus = EngineCorpus(bench.engine_embedder, collections)
    for a, b in pairs:
        found[a, b, ENGINE] = None
        if f"1:{a}" in collections and f"2:{b}" in collections:
            bench.log(f"sts: engine {a}→{b}")
            found[a, b, ENGINE] = rho(corpus.pair_scores(f"1:{a}", f"2:{b}"))
    n = len(data.gold)
    return [Correlation(a, b, s, n, found[a, b, s]) for a, b in pairs for s in bench.systems]


# --- printing ------------------------------------------------------------------------------------


def short_labels(systems: Sequence[str]) -> dict[str, str]:
    """Column labels: model names without the dash-separated words they all share at the start
    ("use-multilingual-v3-int8", "use-multilingual-v3-numpy" -> "int8", "numpy")."""
    models = [s.split("-") for s in systems if s != ENGINE]
    shared = 0
    if len(models) > 1:
        while all(len(m) > shared + 1 and m[shared] == models[0][shared] for m in models):
            shared += 1
    return {s: s if s == ENGINE else "-".join(s.split("-")[shared:]) for s in systems}


def render(
    groups: Sequence[tuple[str, int]], header: Sequence[str], rows: Sequence[Sequence[str]]
) -> list[str]:
    """A text table: `groups` (label, column span) label column groups above the header; the
    first column is left-aligned, the others right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    gap = "  "

    def line(cells: Sequence[str]) -> str:
        parts = [cells[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return gap.join(parts).rstrip()

    out = []
    if groups:
        cells, col = [], 0
        for label, span in groups:
            width = sum(widths[col : col + span]) + len(gap) * (span - 1)
            cells.append(label[:width].ljust(width) if col else label.ljust(width))
            col += span
        out.append(gap.join(cells).rstrip())
    out.append(line(header))
    out.extend(line(r) for r in rows)
    return out


def _f(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _delta(engine: float | None, raw: Sequence[float | None]) -> str:
    known = [r for r in raw if r is not None]
    if engine is None or not known:
        return ""
    return f"{engine - max(known):+.3f}"


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(np.mean(known)) if known and len(known) == len(values) else None


def print_folder(report: FolderReport, systems: Sequence[str], out: TextIO) -> None:
    labels = short_labels(systems)
    raw = [s for s in systems if s != ENGINE]
    docs = f", {report.documents} documents" if report.documents is not None else ", no doc.txt"
    limited = (
        f" (first {report.lines} of {report.total_lines})"
        if report.lines < report.total_lines
        else ""
    )
    print(
        f"\n== {report.name}: {report.lines} lines{limited}, languages "
        f"{' '.join(report.languages)}{docs}  [{report.path}]",
        file=out,
    )
    groups = [("", 1)] + [(labels[s], 3) for s in systems] + ([("", 1)] if raw else [])
    header = ["direction"] + ["R@1", "R@10", "MRR"] * len(systems) + (["ΔMRR"] if raw else [])
    rows: list[list[str]] = []
    for level in ("sentences", "documents"):
        level_rows = [r for r in report.rows if r.level == level]
        if not level_rows:
            continue
        pairs = list(dict.fromkeys((r.source, r.target) for r in level_rows))
        by = {(r.source, r.target, r.system): r.metrics for r in level_rows}
        suffix = " (docs)" if level == "documents" else ""
        for a, b in [*pairs, ("mean", "")]:
            cells = [f"{a}→{b}{suffix}" if b else f"mean{suffix}"]
            mrr: dict[str, float | None] = {}
            for s in systems:
                values: list[float | None]
                if b:
                    m = by[a, b, s]
                    values = (
                        [None, None, None] if m is None else [m.recall_at_1, m.recall_at_10, m.mrr]
                    )
                else:
                    ms = [by[x, y, s] for x, y in pairs]
                    values = [
                        _mean([None if m is None else getattr(m, f) for m in ms])
                        for f in ("recall_at_1", "recall_at_10", "mrr")
                    ]
                cells += [_f(v) for v in values]
                mrr[s] = values[2]
            if raw:
                cells.append(_delta(mrr[ENGINE], [mrr[s] for s in raw]))
            rows.append(cells)
    for text in render(groups, header, rows):
        print(text, file=out)


def print_topics(rows: Sequence[Topic], systems: Sequence[str], note: str, out: TextIO) -> None:
    labels = short_labels(systems)
    print(f"\n== SIB-200 topic agreement, k={K_TOPIC} ({note})", file=out)
    groups = [("", 1)] + [(labels[s], 2) for s in systems]
    header = ["direction"] + ["P@10", "kNN"] * len(systems)
    by = {(r.source, r.target, r.system): r.agreement for r in rows}
    pairs = list(dict.fromkeys((r.source, r.target) for r in rows))
    table = []
    for a, b in [*pairs, ("mean", "")]:
        cells = [f"{a}→{b}" if b else "mean"]
        for s in systems:
            if b:
                g = by[a, b, s]
                cells += [
                    _f(None if g is None else g.precision),
                    _f(None if g is None else g.knn_accuracy),
                ]
            else:
                gs = [by[x, y, s] for x, y in pairs]
                cells += [
                    _f(_mean([None if g is None else g.precision for g in gs])),
                    _f(_mean([None if g is None else g.knn_accuracy for g in gs])),
                ]
        table.append(cells)
    for text in render(groups, header, table):
        print(text, file=out)


def print_sts(rows: Sequence[Correlation], systems: Sequence[str], note: str, out: TextIO) -> None:
    labels = short_labels(systems)
    print(f"\n== STS-B cross-lingual Spearman ({note})", file=out)
    header = ["sentence1→sentence2"] + [labels[s] for s in systems]
    by = {(r.source, r.target, r.system): r.spearman for r in rows}
    pairs = list(dict.fromkeys((r.source, r.target) for r in rows))
    table = [[f"{a}→{b}"] + [_f(by[a, b, s]) for s in systems] for a, b in pairs]
    table.append(["mean"] + [_f(_mean([by[a, b, s] for a, b in pairs])) for s in systems])
    for text in render([], header, table):
        print(text, file=out)


def engine_shortfalls(
    folders: Sequence[FolderReport], topics: Sequence[Topic], sts: Sequence[Correlation]
) -> list[str]:
    """Every place where the engine scores below a raw model, one line each."""
    # (what, metric) -> system -> value
    table: dict[tuple[str, str], dict[str, float]] = {}

    def put(what: str, metric: str, system: str, value: float | None) -> None:
        if value is not None:
            table.setdefault((what, metric), {})[system] = value

    for report in folders:
        for r in report.rows:
            what = f"{report.name} {r.level} {r.source}→{r.target}"
            if r.metrics is not None:
                put(what, "R@1", r.system, r.metrics.recall_at_1)
                put(what, "MRR", r.system, r.metrics.mrr)
    for t in topics:
        if t.agreement is not None:
            put(f"SIB {t.source}→{t.target}", "P@10", t.system, t.agreement.precision)
    for c in sts:
        put(f"STS {c.source}→{c.target}", "Spearman", c.system, c.spearman)
    out = []
    for (what, metric), values in table.items():
        engine = values.get(ENGINE)
        if engine is None:
            continue
        for system, value in values.items():
            if system != ENGINE and value > engine:
                out.append(
                    f"{what}: engine {metric} {engine:.3f} < {system} {value:.3f} "
                    f"({engine - value:+.3f})"
                )
    return out


# --- JSON ----------------------------------------------------------------------------------------


def _clean(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 6)


def metadata(argv: Sequence[str], bench: Bench, limit: int | None) -> dict[str, Any]:
    return {
        "command": shlex.join(["qiao", "bench", "quality", *argv]),
        "invocation": shlex.join([sys.executable, *sys.argv]),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb(),
        "numpy": np.__version__,
        "models": bench.models,
        "engine": {"model": DEFAULT_MODEL, "scoring": asdict(Scoring())},
        "limit": limit,
    }


def folder_json(report: FolderReport) -> dict[str, Any]:
    results: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in report.rows:
        entry = results.setdefault(
            (r.level, r.source, r.target),
            {
                "level": r.level,
                "direction": f"{r.source}→{r.target}",
                "source": r.source,
                "target": r.target,
                "queries": None,
                "systems": {},
            },
        )
        if r.metrics is None:
            entry["systems"][r.system] = None
            continue
        entry["queries"] = r.metrics.queries
        entry["systems"][r.system] = {
            "recall_at_1": _clean(r.metrics.recall_at_1),
            "recall_at_10": _clean(r.metrics.recall_at_10),
            "mrr": _clean(r.metrics.mrr),
        }
    return {
        "name": report.name,
        "path": str(report.path),
        "lines": report.lines,
        "total_lines": report.total_lines,
        "languages": report.languages,
        "documents": report.documents,
        "engine_languages": [lang for lang in report.languages if engine_language(lang)],
        "results": list(results.values()),
    }


def run_topics(
    bench: Bench, folder: Path, limit: int | None, out: TextIO
) -> tuple[list[Topic], dict[str, Any]]:
    """Evaluate and print topic agreement; (rows, the JSON section). Skipped with a note when
    the folder is missing or unreadable."""
    title = "SIB-200 topic agreement"
    try:
        if not folder.is_dir():
            raise ValueError(f"{folder} not found")
        data = read_topic_folder(folder, limit)
    except ValueError as exc:
        print(f"\n== {title}: skipped ({exc})", file=out)
        return [], {"skipped": str(exc)}
    rows = evaluate_topics(bench, data)
    note = f"{data.split} split, {len(data.labels)} rows, {len(set(data.labels))} labels"
    print_topics(rows, bench.systems, note, out)
    results = []
    for t in rows:
        g = t.agreement
        results.append(
            {
                "direction": f"{t.source}→{t.target}",
                "system": t.system,
                "topic_precision_at_10": None if g is None else _clean(g.precision),
                "knn_accuracy": None if g is None else _clean(g.knn_accuracy),
            }
        )
    section = {
        "path": str(folder),
        "split": data.split,
        "rows": len(data.labels),
        "labels": sorted(set(data.labels)),
        "languages": sorted(data.texts),
        "k": K_TOPIC,
        "results": results,
    }
    return rows, section


def run_sts(
    bench: Bench, folder: Path, limit: int | None, out: TextIO
) -> tuple[list[Correlation], dict[str, Any]]:
    """Evaluate and print cross-lingual STS; (rows, the JSON section), or a skip note."""
    title = "STS-B cross-lingual Spearman"
    try:
        if not folder.is_dir():
            raise ValueError(f"{folder} not found")
        data = read_sts_folder(folder, limit)
    except ValueError as exc:
        print(f"\n== {title}: skipped ({exc})", file=out)
        return [], {"skipped": str(exc)}
    rows = evaluate_sts(bench, data)
    print_sts(rows, bench.systems, f"{data.split} split, {len(data.gold)} pairs", out)
    section = {
        "path": str(folder),
        "split": data.split,
        "pairs": len(data.gold),
        "languages": sorted(data.first),
        "engine_score": "fused score of the pair (its 0–100 quality is a monotone map of it)",
        "results": [
            {
                "direction": f"{c.source}→{c.target}",
                "system": c.system,
                "spearman": _clean(c.spearman),
            }
            for c in rows
        ],
    }
    return rows, section


# --- main ----------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    models = ",".join(available_embedders())
    p = argparse.ArgumentParser(
        prog="qiao bench quality",
        description="Translation retrieval (recall@1, recall@10, MRR; sentences and documents) "
        "on parallel folders, SIB-200 topic agreement and cross-lingual STS Spearman: the "
        "engine against each raw model. See the module doc of matching.bench_quality.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="folders in the parallel format")
    p.add_argument(
        "--models",
        default=models,
        help=f"comma-separated raw models to compare (default: {models}; '' for none)",
    )
    p.add_argument("--limit", type=int, help="use only the first N lines/rows of every set")
    p.add_argument("--json", metavar="FILE", help="write every number and the run's metadata")
    p.add_argument("--no-extra", action="store_true", help="skip the SIB-200 and STS benchmarks")
    p.add_argument("--sib", default=str(DEFAULT_SIB), help="SIB-200 folder ({lang}.tsv)")
    p.add_argument("--sts", default=str(DEFAULT_STS), help="STS folder (*-{lang}-{split}.csv)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: list[str], out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    stream = out if out is not None else sys.stdout
    started = time.perf_counter()

    def log(message: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:7.1f}s] {message}", file=sys.stderr, flush=True)

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    folders = [Path(p) for p in args.paths]
    for folder in folders:
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return 2
    try:
        bench = make_bench([m.strip() for m in args.models.split(",") if m.strip()], log)
    except EmbedderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    reports: list[FolderReport] = []
    try:
        for folder in folders:
            reports.append(evaluate_folder(bench, folder, args.limit))
            print_folder(reports[-1], bench.systems, stream)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    topics: list[Topic] = []
    sts: list[Correlation] = []
    extra: dict[str, Any] = {"sib": {"skipped": "--no-extra"}, "sts": {"skipped": "--no-extra"}}
    if not args.no_extra:
        topics, extra["sib"] = run_topics(bench, Path(args.sib), args.limit, stream)
        sts, extra["sts"] = run_sts(bench, Path(args.sts), args.limit, stream)

    shortfalls = engine_shortfalls(reports, topics, sts)
    if shortfalls:
        print("\n== Where the engine is below a raw model", file=stream)
        for text in shortfalls:
            print(f"  {text}", file=stream)
    seconds = time.perf_counter() - started
    print(f"\n({seconds:.0f} s)", file=stream)
    if args.json:
        meta = metadata(argv, bench, args.limit)
        meta["seconds"] = round(seconds, 1)
        meta["embedding"] = {
            name: {"texts": e.texts, "seconds": round(e.seconds, 1)}
            for name, e in bench.embedders.items()
        }
        document = {
            "meta": meta,
            "parallel": [folder_json(r) for r in reports],
            **extra,
            "engine_below_raw": shortfalls,
        }
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
        log(f"wrote {path}")
    return 0
