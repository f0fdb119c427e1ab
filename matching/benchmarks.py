"""Benchmark runners over folders in the parallel format (see matching.evaluation).

- `evaluate_parallel`: translation retrieval, every direction, lines and documents.
- `evaluate_halves`: topical matching in a mixed-language corpus. The first half of each
  document is a query; the corpus holds the second halves in every language. For a query in
  language a, the gold answer in language b is the same document's second half, competing
  with every other document in every language. It measures what translation retrieval
  cannot: whether a related text in another language outranks unrelated texts in the
  query's own language ("cross"), and the reverse ("same").
- `fit_calibration`: per-language-pair (offset, scale) from mixed-language halves (the first
  calibration).
- `fit_sts_calibration`: the per-language-pair (offset, scale) behind engine.PAIR_CALIBRATION:
  cosine against graded STS similarity, every language pair (0004-engine-scoring.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from matching import evaluation
from matching.embedders import DEFAULT_MODEL, get_embedder
from matching.engine import Analysis, Engine, Scoring
from matching.types import LANGUAGES, Document, Language


class UnsupportedFolder(ValueError):
    """The folder lacks what a benchmark needs (zh/ru/en files, doc.txt)."""


def as_document(doc_id: str, language: str, text: str) -> Document:
    lang: Language = language if language in LANGUAGES else "en"
    return Document(id=doc_id, language=lang, fields={"text": text})


def _supported(data: evaluation.ParallelSet) -> list[Language]:
    langs = [lang for lang in LANGUAGES if lang in data.lines]
    extra = sorted(set(data.lines) - set(langs))
    if extra:
        raise UnsupportedFolder(f"the engine handles zh/ru/en files only, got {extra}")
    return langs


def evaluate_parallel(
    data: evaluation.ParallelSet, model: str = DEFAULT_MODEL, *, method: str = "embedding"
) -> list[evaluation.RetrievalMetrics]:
    """Every direction at line level, then at document level when doc.txt exists.

    "embedding": full ranking by cosine (the standard measure; any language files).
    "engine": the whole engine (calibration, BM25, cues); zh/ru/en files only. R@1 and R@10
    come from what `Engine.match` returns (its top 10); a query whose answer is not there
    gets its rank in the engine's full ordering (`Engine.scores`), so MRR is over all ranks,
    as for "embedding", and the two methods compare fairly.
    """
    if method == "embedding":
        return _by_embedding(data, model)
    if method != "engine":
        raise ValueError(f"unknown method {method!r}; valid: embedding, engine")
    langs = sorted(_supported(data))
    levels: list[tuple[str, dict[str, tuple[list[str], list[str]]]]] = [
        ("", {lang: ([str(i) for i in range(len(v))], v) for lang, v in data.lines.items()})
    ]
    if data.doc_ids is not None:
        doc_ids = data.doc_ids
        grouped = {lang: evaluation.group_documents(v, doc_ids) for lang, v in data.lines.items()}
        levels.append((" (documents)", grouped))
    results = []
    for suffix, corpora in levels:
        engine = Engine(get_embedder(model))
        queries = {
            lang: engine.analyze([as_document(f"query:{i}", lang, t) for i, t in enumerate(texts)])
            for lang, (_, texts) in corpora.items()
        }
        for b in langs:
            engine = Engine(get_embedder(model))
            ids, texts = corpora[b]
            engine.upsert([as_document(i, b, t) for i, t in zip(ids, texts, strict=True)])
            for a in langs:
                if a == b:
                    continue
                gold = (
                    evaluation.line_relevance(data.lines[a], data.lines[b])
                    if not suffix
                    else [{i} for i in range(len(corpora[a][0]))]
                )
                ranks = np.array(
                    [
                        engine_rank(engine, query, a, {ids[j] for j in relevant})
                        for query, relevant in zip(queries[a], gold, strict=True)
                    ],
                    dtype=np.int64,
                )
                results.append(evaluation.metrics(f"{a}→{b}{suffix}", ranks))
    results.sort(key=lambda r: ("(documents)" in r.direction, r.direction))
    return results


def engine_rank(
    engine: Engine, query: Analysis, language: Language, relevant: set[str], *, k: int = 10
) -> int:
    """1-based rank of the first relevant document: its place in `engine.match_analyzed`'s
    top k, else (k + 1 at best) its place in the full fused ordering, where, as in
    `evaluation.first_relevant_ranks`, only non-relevant documents scoring higher count."""
    for rank, m in enumerate(engine.match_analyzed(query, language, k=k), 1):
        if m.doc_id in relevant:
            return rank
    scores = engine.scores(query, language)
    best = max((scores[d] for d in relevant if d in scores), default=None)
    if best is None:
        return 0
    higher = sum(1 for d, s in scores.items() if s > best and d not in relevant)
    return max(k + 1, 1 + higher)


def _by_embedding(data: evaluation.ParallelSet, model: str) -> list[evaluation.RetrievalMetrics]:
    embedder = get_embedder(model)
    results = []
    vectors = {lang: embedder.embed(lines) for lang, lines in data.lines.items()}
    for a, b in evaluation.directions(data.lines):
        gold = evaluation.line_relevance(data.lines[a], data.lines[b])
        ranks = evaluation.first_relevant_ranks(vectors[a] @ vectors[b].T, gold)
        results.append(evaluation.metrics(f"{a}→{b}", ranks))
    if data.doc_ids is not None:
        # Documents are represented as the engine represents them (its document vector).
        engine = Engine(embedder)
        doc_vectors = {}
        for lang, lines in data.lines.items():
            ids, texts = evaluation.group_documents(lines, data.doc_ids)
            docs = [as_document(i, lang, t) for i, t in zip(ids, texts, strict=True)]
            doc_vectors[lang] = np.vstack([a.vector for a in engine.analyze(docs)])
        for a, b in evaluation.directions(data.lines):
            gold = [{i} for i in range(len(doc_vectors[a]))]
            ranks = evaluation.first_relevant_ranks(doc_vectors[a] @ doc_vectors[b].T, gold)
            results.append(evaluation.metrics(f"{a}→{b} (documents)", ranks))
    return results


def split_halves(data: evaluation.ParallelSet) -> dict[str, tuple[list[str], list[str]]]:
    """language -> (first halves, second halves) of every document with at least two lines."""
    if data.doc_ids is None:
        raise UnsupportedFolder(f"{data.name}: needs doc.txt (documents) for this benchmark")
    out = {}
    for lang, lines in data.lines.items():
        _, texts = evaluation.group_documents(lines, data.doc_ids)
        parts = [t.split("\n") for t in texts]
        kept = [p for p in parts if len(p) >= 2]
        first = ["\n".join(p[: len(p) // 2]) for p in kept]
        second = ["\n".join(p[len(p) // 2 :]) for p in kept]
        out[lang] = (first, second)
    return out


def evaluate_halves(
    data: evaluation.ParallelSet,
    model: str = DEFAULT_MODEL,
    *,
    scorings: Mapping[str, Scoring] | None = None,
) -> dict[str, list[evaluation.RetrievalMetrics]]:
    """Mixed-language topical matching (module doc), for each named scoring configuration:
    one result per direction, then "cross" and "same" averages over the directions."""
    langs = _supported(data)
    halves = split_halves(data)
    scorings = scorings or {"default": Scoring()}
    first_scoring = next(iter(scorings.values()))
    engine = Engine(get_embedder(model), scoring=first_scoring)
    for lang in langs:
        second = halves[lang][1]
        engine.upsert([as_document(f"{lang}:{j}", lang, t) for j, t in enumerate(second)])
    queries = {
        lang: engine.analyze(
            [as_document(f"q:{j}", lang, t) for j, t in enumerate(halves[lang][0])]
        )
        for lang in langs
    }
    out: dict[str, list[evaluation.RetrievalMetrics]] = {}
    for name, scoring in scorings.items():
        if scoring.doc_vector != first_scoring.doc_vector:
            raise ValueError("all scorings of one run must share doc_vector")
        engine.scoring = scoring
        ranks: dict[tuple[str, str], list[int]] = {(a, b): [] for a in langs for b in langs}
        for a in langs:
            for j, query in enumerate(queries[a]):
                scores = engine.scores(query, a)
                others = np.array([s for d, s in scores.items() if d.split(":")[1] != str(j)])
                for b in langs:
                    best = scores[f"{b}:{j}"]
                    ranks[a, b].append(1 + int((others > best).sum()))
        results = [
            evaluation.metrics(f"{a}→{b}", np.array(r)) for (a, b), r in sorted(ranks.items())
        ]
        cross = np.concatenate([r for (a, b), r in ranks.items() if a != b])
        same = np.concatenate([r for (a, b), r in ranks.items() if a == b])
        results.append(evaluation.metrics("cross-language (mean)", cross))
        results.append(evaluation.metrics("same-language (mean)", same))
        out[name] = results
    return out


def fit_calibration(
    data: evaluation.ParallelSet, model: str = DEFAULT_MODEL
) -> dict[tuple[str, str], tuple[float, float]]:
    """(offset, scale) per unordered language pair from document-vector cosines: offset =
    mean cosine of unrelated pairs (different documents), scale = how much more related pairs
    (two halves of one document) score on average."""
    langs = _supported(data)
    halves = split_halves(data)
    engine = Engine(get_embedder(model))
    vectors = {}
    for lang in langs:
        for part in (0, 1):
            docs = [as_document(str(j), lang, t) for j, t in enumerate(halves[lang][part])]
            vectors[lang, part] = np.vstack([a.vector for a in engine.analyze(docs)])
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for i, a in enumerate(langs):
        for b in langs[i:]:
            sims = np.concatenate(
                [
                    (vectors[a, 0] @ vectors[b, 1].T).ravel(),
                    (vectors[b, 0] @ vectors[a, 1].T).ravel(),
                ]
            )
            n = len(vectors[a, 0])
            related = np.concatenate([np.eye(n, dtype=bool).ravel()] * 2)
            offset = float(sims[~related].mean())
            out[a, b] = (offset, float(sims[related].mean()) - offset)
    return out


def fit_sts_calibration(
    first: Mapping[str, Sequence[str]],
    second: Mapping[str, Sequence[str]],
    grades: Sequence[float],
    model: str = DEFAULT_MODEL,
) -> dict[tuple[str, str], tuple[float, float]]:
    """(offset, scale) per unordered language pair such that cosine ≈ offset + scale · grade/5:
    least squares of the engine's document-vector cosine on the gold grade (0–5), over rows
    whose sentence 1 is in language a and sentence 2 in b (and, for a ≠ b, the reverse).
    `first[lang]` / `second[lang]` are the rows' sentences, aligned across languages."""
    langs = [lang for lang in LANGUAGES if lang in first and lang in second]
    engine = Engine(get_embedder(model))

    def vectors(texts: Sequence[str], lang: Language) -> np.ndarray:
        docs = [as_document(str(j), lang, t) for j, t in enumerate(texts)]
        return np.vstack([a.vector for a in engine.analyze(docs)])

    one = {lang: vectors(first[lang], lang) for lang in langs}
    two = {lang: vectors(second[lang], lang) for lang in langs}
    x = np.asarray(grades, dtype=np.float64) / 5.0
    out: dict[tuple[str, str], tuple[float, float]] = {}
    for i, a in enumerate(langs):
        for b in langs[i:]:
            pairs = {(a, b), (b, a)}
            cos = np.concatenate([np.einsum("ij,ij->i", one[p], two[q]) for p, q in sorted(pairs)])
            xs = np.concatenate([x] * len(pairs))
            scale, offset = np.polyfit(xs, cos, 1)
            out[a, b] = (float(offset), float(scale))
    return out
