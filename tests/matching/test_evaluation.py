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


# --- graded similarity and topic agreement (pure helpers used by `bench quality`) ---------------


def test_average_ranks_share_ties() -> None:
    from matching.evaluation import average_ranks

    assert average_ranks([3, 1, 3, 2]).tolist() == [3.5, 1.0, 3.5, 2.0]
    assert average_ranks([]).tolist() == []


def test_spearman_by_hand_with_ties() -> None:
    from matching.evaluation import spearman

    # ranks x = [1, 2.5, 2.5, 4], y = [1, 3, 2, 4]; centred: [-1.5, 0, 0, 1.5] and
    # [-1.5, .5, -.5, 1.5]; rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9)
    assert spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(0.9**0.5)
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([1, 2, 3], [0.1, 0.5, 0.2]) == pytest.approx(0.5)
    assert np.isnan(spearman([1, 1, 1], [1, 2, 3]))  # constant side: undefined
    assert np.isnan(spearman([1], [2]))
    with pytest.raises(ValueError):
        spearman([1, 2], [1, 2, 3])


def test_top_k_breaks_ties_by_index_and_excludes() -> None:
    from matching.evaluation import top_k

    assert top_k([0.1, 0.9, 0.5, 0.9], 2) == [1, 3]
    assert top_k([0.1, 0.9, 0.5, 0.9], 2, exclude={1}) == [3, 2]
    assert top_k([0.3, 0.2], 10) == [0, 1]


def test_majority_label_tie_goes_to_the_nearest() -> None:
    from matching.evaluation import majority_label

    assert majority_label(["b", "a", "a"]) == "a"
    assert majority_label(["b", "a", "a", "b"]) == "b"
    assert majority_label([]) is None


def test_topic_agreement_by_hand() -> None:
    from matching.evaluation import topic_agreement

    scores = np.array(
        [
            [0.9, 0.8, 0.7, 0.75],  # own row 0 excluded -> 1 (y), 3 (y): 0/2, majority y: miss
            [0.5, 0.9, 0.4, 0.6],  # row 1 excluded -> 3 (y), 0 (x): 1/2, tie -> y: hit
            [0.3, 0.2, 0.99, 0.2],  # row 2 excluded -> 0 (x), 1 (y; ties 3): 1/2, tie -> x: hit
        ]
    )
    result = topic_agreement(
        scores, ["x", "y", "x"], ["x", "y", "x", "y"], k=2, exclude=[{0}, {1}, {2}]
    )
    assert result.queries == 3
    assert result.precision == pytest.approx(1 / 3)
    assert result.knn_accuracy == pytest.approx(2 / 3)
    without = topic_agreement(scores, ["x", "y", "x"], ["x", "y", "x", "y"], k=1)
    assert without.precision == pytest.approx(1.0)  # each row's best is its own translation
    with pytest.raises(ValueError):
        topic_agreement(scores, ["x"], ["x", "y", "x", "y"])
