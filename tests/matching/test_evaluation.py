from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matching.evaluation import (
    directions,
    first_relevant_ranks,
    group_documents,
    line_relevance,
    mean_reciprocal_rank,
    metrics,
    read_parallel_folder,
    recall_at_k,
)


def test_ranks_by_hand() -> None:
    scores = np.array(
        [
            [0.9, 0.1, 0.5],  # gold 0 is best -> rank 1
            [0.9, 0.1, 0.5],  # gold 1 is last -> rank 3
            [0.2, 0.8, 0.8],  # gold 2 ties with 1 -> the tie goes to the gold item: rank 1
            [0.3, 0.2, 0.1],  # gold {1, 2}: best gold is 1 (0.2), one higher -> rank 2
        ]
    )
    ranks = first_relevant_ranks(scores, [{0}, {1}, {2}, {1, 2}])
    assert ranks.tolist() == [1, 3, 1, 2]


def test_rank_zero_means_no_gold() -> None:
    ranks = first_relevant_ranks(np.zeros((1, 3)), [set()])
    assert ranks.tolist() == [0]
    assert recall_at_k(ranks, 10) == 0.0
    assert mean_reciprocal_rank(ranks) == 0.0


def test_recall_and_mrr_by_hand() -> None:
    ranks = np.array([1, 3, 1, 2, 11, 0])
    assert recall_at_k(ranks, 1) == pytest.approx(2 / 6)
    assert recall_at_k(ranks, 10) == pytest.approx(4 / 6)
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 3 + 1 + 1 / 2 + 1 / 11) / 6)
    m = metrics("ru→zh", ranks)
    assert (m.direction, m.queries) == ("ru→zh", 6)
    assert recall_at_k(np.array([]), 1) == 0.0


def test_line_relevance_counts_duplicates_on_either_side() -> None:
    source = ["Привет", "Пока", "Привет", "Да"]
    target = ["你好", "再见", "您好", "再见"]
    gold = line_relevance(source, target)
    assert gold[0] == {0, 2}  # the other "Привет" line's translation is right too
    assert gold[1] == {1, 3}  # identical target text
    assert gold[3] == {1, 3}
    with pytest.raises(ValueError):
        line_relevance(["a"], [])


def test_group_documents_keeps_first_seen_order() -> None:
    ids, texts = group_documents(["a1", "b1", "a2"], ["A", "B", "A"])
    assert ids == ["A", "B"]
    assert texts == ["a1\na2", "b1"]


def test_directions() -> None:
    assert directions(["zh", "en"]) == [("en", "zh"), ("zh", "en")]
    assert len(directions(["en", "ru", "zh"])) == 6


def test_read_parallel_folder(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("one\ntwo\n", encoding="utf-8")
    (tmp_path / "ru.txt").write_text("один\nдва\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("d1\nd1\n", encoding="utf-8")
    data = read_parallel_folder(tmp_path)
    assert data.lines == {"en": ["one", "two"], "ru": ["один", "два"]}
    assert data.doc_ids == ["d1", "d1"]
    (tmp_path / "zh.txt").write_text("一\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line-aligned"):
        read_parallel_folder(tmp_path)
