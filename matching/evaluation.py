"""Retrieval metrics and the parallel-corpus benchmark format, as pure functions.

A parallel folder holds line-aligned `{lang}.txt` files (line i of each is the same sentence)
and optionally `doc.txt` (line i's document id). For a direction A→B, every line (or document)
of A is a query and every line (or document) of B the corpus; the gold answer is the same line
(or document), plus any line whose text is identical on either side (Tatoeba has duplicates).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np


class RetrievalMetrics(NamedTuple):
    direction: str  # e.g. "ru→zh" or "ru→zh (documents)"
    queries: int
    recall_at_1: float
    recall_at_10: float
    mrr: float


class ParallelSet(NamedTuple):
    name: str
    lines: dict[str, list[str]]  # language code -> lines, all the same length
    doc_ids: list[str] | None  # line i's document id, when the folder has doc.txt


def first_relevant_ranks(scores: np.ndarray, relevant: Sequence[Collection[int]]) -> np.ndarray:
    """1-based rank of the best-scored relevant column for each row of a query×corpus matrix.

    Rank = 1 + the number of non-relevant columns scoring strictly higher (a tie goes to the
    relevant item; exact float ties between different texts do not occur in practice).
    Rows with no relevant column get rank 0, which counts as a miss everywhere.
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != len(relevant):
        raise ValueError("scores must be a (queries × corpus) matrix with one gold set per row")
    ranks = np.zeros(len(relevant), dtype=np.int64)
    for i, gold in enumerate(relevant):
        gold_idx = np.fromiter(gold, dtype=np.int64)
        if gold_idx.size == 0:
            continue
        best = scores[i, gold_idx].max()
        higher = scores[i] > best
        higher[gold_idx] = False
        ranks[i] = 1 + int(higher.sum())
    return ranks


def recall_at_k(ranks: np.ndarray, k: int) -> float:
    """Share of queries whose first relevant item is within the top k."""
    ranks = np.asarray(ranks)
    if ranks.size == 0:
        return 0.0
    return float(((ranks >= 1) & (ranks <= k)).mean())


def mean_reciprocal_rank(ranks: np.ndarray) -> float:
    """Mean of 1/rank, counting a miss (rank 0) as 0."""
    ranks = np.asarray(ranks, dtype=np.float64)
    if ranks.size == 0:
        return 0.0
    safe = np.where(ranks >= 1, ranks, np.inf)
    return float((1.0 / safe).mean())


def metrics(direction: str, ranks: np.ndarray) -> RetrievalMetrics:
    return RetrievalMetrics(
        direction=direction,
        queries=int(np.asarray(ranks).size),
        recall_at_1=recall_at_k(ranks, 1),
        recall_at_10=recall_at_k(ranks, 10),
        mrr=mean_reciprocal_rank(ranks),
    )


def line_relevance(source: Sequence[str], target: Sequence[str]) -> list[set[int]]:
    """Gold target lines for each source line: the aligned line, any target line with the same
    text, and the aligned line of any source duplicate."""
    if len(source) != len(target):
        raise ValueError("parallel files must have the same number of lines")
    by_target: dict[str, set[int]] = {}
    by_source: dict[str, set[int]] = {}
    for j, (s, t) in enumerate(zip(source, target, strict=True)):
        by_target.setdefault(t.strip(), set()).add(j)
        by_source.setdefault(s.strip(), set()).add(j)
    return [
        {i} | by_target[target[i].strip()] | by_source[source[i].strip()]
        for i in range(len(source))
    ]


def group_documents(lines: Sequence[str], doc_ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """(document ids in first-seen order, each document's lines joined by newlines)."""
    if len(lines) != len(doc_ids):
        raise ValueError("doc.txt must have one id per line")
    order: list[str] = []
    parts: dict[str, list[str]] = {}
    for doc_id, line in zip(doc_ids, lines, strict=True):
        if doc_id not in parts:
            order.append(doc_id)
            parts[doc_id] = []
        parts[doc_id].append(line)
    return order, ["\n".join(parts[d]) for d in order]


def read_parallel_folder(folder: Path) -> ParallelSet:
    """Every `*.txt` except doc.txt is one language, named by the file stem."""
    folder = Path(folder)
    lines: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        if path.stem == "doc":
            continue
        lines[path.stem] = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    if len(lines) < 2:
        raise ValueError(f"{folder}: need at least two {{lang}}.txt files")
    lengths = {lang: len(v) for lang, v in lines.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"{folder}: files are not line-aligned: {lengths}")
    doc_path = folder / "doc.txt"
    doc_ids = None
    if doc_path.exists():
        doc_ids = doc_path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        if len(doc_ids) != next(iter(lengths.values())):
            raise ValueError(f"{folder}: doc.txt has {len(doc_ids)} lines, expected {lengths}")
    return ParallelSet(folder.name, lines, doc_ids)


def directions(languages: Collection[str]) -> list[tuple[str, str]]:
    """Every ordered pair of distinct languages, sorted."""
    langs = sorted(languages)
    return [(a, b) for a in langs for b in langs if a != b]


# --- graded similarity and topic agreement -------------------------------------------------------


def average_ranks(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """1-based ranks of `values` (smallest = 1); tied values share the mean of their positions."""
    x = np.asarray(values, dtype=np.float64).ravel()
    order = np.argsort(x, kind="stable")
    ranks = np.empty(x.size, dtype=np.float64)
    sorted_x = x[order]
    start = 0
    while start < x.size:
        end = start + 1
        while end < x.size and sorted_x[end] == sorted_x[start]:
            end += 1
        ranks[order[start:end]] = (start + 1 + end) / 2.0  # mean of positions start+1..end
        start = end
    return ranks


def spearman(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation: Pearson correlation of the average ranks (ties averaged,
    as scipy.stats.spearmanr does). NaN when either side is constant or has < 2 values."""
    rx, ry = average_ranks(x), average_ranks(y)
    if rx.size != ry.size:
        raise ValueError("spearman needs two sequences of the same length")
    if rx.size < 2:
        return float("nan")
    dx, dy = rx - rx.mean(), ry - ry.mean()
    denominator = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    if denominator == 0.0:
        return float("nan")
    return float((dx * dy).sum() / denominator)


def top_k(scores: Sequence[float] | np.ndarray, k: int, exclude: Collection[int] = ()) -> list[int]:
    """Indices of the k highest scores, best first; ties go to the lower index; `exclude`d
    indices never appear. Fewer than k when fewer remain."""
    row = np.asarray(scores, dtype=np.float64).ravel()
    order = np.argsort(-row, kind="stable")
    skip = set(exclude)
    out: list[int] = []
    for j in order.tolist():
        if j in skip:
            continue
        out.append(j)
        if len(out) >= k:
            break
    return out


class TopicAgreement(NamedTuple):
    queries: int
    precision: float  # mean share of the k neighbours that carry the query's label
    knn_accuracy: float  # share of queries whose neighbours' majority label is the query's


def majority_label(labels: Sequence[str]) -> str | None:
    """The most frequent label; a tie goes to the tied label that appears first (i.e. the one
    held by the nearest neighbour when `labels` is in rank order). None for no labels."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    return next(label for label in labels if counts[label] == best)


def topic_agreement(
    scores: np.ndarray,
    query_labels: Sequence[str],
    corpus_labels: Sequence[str],
    *,
    k: int = 10,
    exclude: Sequence[Collection[int]] | None = None,
) -> TopicAgreement:
    """Topic precision@k and kNN label accuracy of a query×corpus score matrix.

    For query i, its k best-scored corpus items (minus `exclude[i]`, e.g. the aligned
    translation of the query itself) are its neighbours. precision@k = the share of neighbours
    whose label equals query i's label, averaged over queries; kNN accuracy = the share of
    queries whose neighbours' majority label (`majority_label`) equals their own label.
    """
    scores = np.asarray(scores, dtype=np.float64)
    n_queries = len(query_labels)
    if scores.shape != (n_queries, len(corpus_labels)):
        raise ValueError("scores must be a (queries × corpus) matrix matching the labels")
    if exclude is not None and len(exclude) != n_queries:
        raise ValueError("exclude needs one collection per query")
    if n_queries == 0:
        return TopicAgreement(0, 0.0, 0.0)
    precisions = np.zeros(n_queries)
    hits = np.zeros(n_queries)
    for i, label in enumerate(query_labels):
        neighbours = [corpus_labels[j] for j in top_k(scores[i], k, exclude[i] if exclude else ())]
        if not neighbours:
            continue
        precisions[i] = sum(n == label for n in neighbours) / len(neighbours)
        hits[i] = majority_label(neighbours) == label
    return TopicAgreement(n_queries, float(precisions.mean()), float(hits.mean()))
