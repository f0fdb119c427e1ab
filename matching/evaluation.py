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
