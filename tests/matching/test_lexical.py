from __future__ import annotations

import math

import numpy as np
import pytest

from matching.lexical import (
    BM25Index,
    BM25Params,
    CueIndex,
    cue_kind,
    cue_score,
    idf,
    max_score,
    term_scores,
)
from matching.text import tokenizer_for


def test_idf_by_hand() -> None:
    # N=4, df=1: log(1 + 3.5/1.5)
    assert float(idf(1, 4)) == pytest.approx(math.log(1 + 3.5 / 1.5))
    assert float(idf(4, 4)) == pytest.approx(math.log(1 + 0.5 / 4.5))  # common, still positive


def test_term_scores_by_hand() -> None:
    params = BM25Params(k1=1.2, b=0.75)
    # tf=2, doc as long as average: idf * 2 * 2.2 / (2 + 1.2)
    got = term_scores(np.array([2.0]), np.array([10.0]), 10.0, 1.5, params)
    assert got[0] == pytest.approx(1.5 * 2 * 2.2 / 3.2)
    # a longer document scores lower for the same tf
    longer = term_scores(np.array([2.0]), np.array([20.0]), 10.0, 1.5, params)
    assert longer[0] < got[0]
    assert max_score([1.0, 2.0], params) == pytest.approx(3 * 2.2)


def test_bm25_ranks_and_normalises() -> None:
    index = BM25Index(tokenizer_for("en"))
    index.add_text("a", "pipeline welding for LNG terminals")
    index.add_text("b", "welding robots")
    index.add_text("c", "greenhouse lighting")
    hits = index.search("automatic pipeline welding", k=10)
    assert [h.id for h in hits] == ["a", "b"]
    assert all(0 < h.score <= 1 for h in hits)
    assert index.search("greenhouse", k=10)[0].id == "c"
    assert index.search("greenhouse", k=10, allowed={"a", "b"}) == []


def test_bm25_russian_uses_stems() -> None:
    index = BM25Index(tokenizer_for("ru"))
    index.add_text("weld", "Технология сварки трубопроводов")
    index.add_text("light", "Освещение теплиц")
    assert index.search("сварка трубопровода", k=1)[0].id == "weld"


def test_bm25_chinese_uses_segmentation() -> None:
    index = BM25Index(tokenizer_for("zh"))
    index.add_text("weld", "管道自动焊接技术")
    index.add_text("rice", "寒地水稻品种")
    assert index.search("焊接管道", k=1)[0].id == "weld"


def test_bm25_replace_and_remove() -> None:
    index = BM25Index(tokenizer_for("en"))
    index.add_text("a", "pipeline welding")
    index.add_text("a", "greenhouse lighting")  # replaces
    assert len(index) == 1
    assert index.search("welding", k=5) == []
    index.remove(["a", "unknown"])
    assert len(index) == 0
    assert index.search("greenhouse", k=5) == []


def test_tokenizer_is_injectable() -> None:
    index = BM25Index(str.split)
    index.add_text("x", "alpha beta")
    index.add_text("y", "gamma")
    assert index.search("beta", k=5)[0].id == "x"


def test_cue_kinds() -> None:
    assert cue_kind("5 mw") == "measure"
    assert cue_kind("98%") == "measure"
    assert cue_kind("2025") == "number"
    assert cue_kind("iso 9001") == "code"
    assert cue_kind("5g") == "code"
    assert cue_kind("place:harbin") == cue_kind("name:hlbn") == "name"


def test_cue_score_saturates_and_uses_rarity() -> None:
    assert cue_score([]) == 0.0
    one = cue_score(["5 mw"])
    assert one == pytest.approx(1 - math.exp(-1.0))
    assert cue_score(["5 mw", "iso 9001", "lng"]) > one
    assert cue_score(["5 mw"], rarity={"5 mw": 0.1}) < one


def test_cue_index_candidates_and_rarity() -> None:
    cues = CueIndex()
    cues.add("a", ["5 mw", "plc", "2024"])
    cues.add("b", ["plc", "2024"])
    cues.add("c", ["2024"])
    assert cues.candidates(["5 mw", "plc"]) == ["a", "b"]
    rarity = cues.rarity(["5 mw", "2024"])
    assert rarity["5 mw"] > rarity["2024"]
    cues.remove(["a"])
    assert cues.candidates(["5 mw"]) == []
    assert set(cues.keys("b")) == {"plc", "2024"}


def _corpus(index: BM25Index, ids: list[str]) -> None:
    words = ["weld", "pipe", "lng", "rice", "frost", "steel", "robot", "sensor"]
    for n, doc_id in enumerate(ids):
        index.add(doc_id, [words[(n * 3 + j) % len(words)] for j in range(1 + n % 5)])


def test_bm25_compaction_changes_no_score() -> None:
    """The delta folded into the segment, with removed rows dropped, scores as before."""
    ids = [f"d{n:03d}" for n in range(300)]
    grown = BM25Index(str.split, delta_share=1e9)  # never compacts by itself
    _corpus(grown, ids)
    grown.remove(ids[::7])
    before = grown.score_tokens(["weld", "rice", "robot", "unknown"])
    grown.compact()
    assert grown.score_tokens(["weld", "rice", "robot", "unknown"]) == before
    assert len(grown) == 300 - len(ids[::7])
    eager = BM25Index(str.split, delta_share=0.0, min_delta=0)  # compacts on every write
    _corpus(eager, ids)
    eager.remove(ids[::7])
    assert eager.score_tokens(["weld", "rice", "robot", "unknown"]) == pytest.approx(before)


def test_bm25_top_list_breaks_ties_by_id_whatever_the_row_order() -> None:
    forward, backward = BM25Index(str.split), BM25Index(str.split)
    ids = [f"t{n:02d}" for n in range(40)]
    for doc_id in ids:
        forward.add(doc_id, ["same", "words"])
    for doc_id in reversed(ids):
        backward.add(doc_id, ["same", "words"])
    for index in (forward, backward):
        assert [h.id for h in index.scores(["same"]).best(5)] == ids[:5]
        # a large allowed set filters the ranked rows; a small one is looked up
        large = set(ids[10:])
        assert [h.id for h in index.scores(["same"]).best(3, large)] == ids[10:13]
        assert [h.id for h in index.scores(["same"]).best(3, {"t39", "t07", "zz"})] == [
            "t07",
            "t39",
        ]


def test_bm25_large_allowed_set_still_finds_rare_allowed_documents() -> None:
    index = BM25Index(str.split)
    for n in range(6000):
        index.add(f"a{n:05d}", ["common"] * (1 + n % 3))
    allowed = {f"a{n:05d}" for n in range(5990, 6000)} | {f"x{n}" for n in range(6000)}
    best = index.scores(["common"]).best(4, allowed)
    assert len(best) == 4 and all(h.id in allowed for h in best)
    scores = index.score_tokens(["common"], allowed=allowed)
    assert [h.id for h in best] == sorted(scores, key=lambda d: (-scores[d], d))[:4]


def test_bm25_state_round_trip() -> None:
    index = BM25Index(str.split)
    _corpus(index, [f"d{n}" for n in range(50)])
    index.remove(["d3"])
    plain, arrays = index.state()
    copy = BM25Index(str.split)
    copy.restore_state(plain, arrays)
    assert copy.score_tokens(["pipe", "frost"]) == index.score_tokens(["pipe", "frost"])
    copy.add("new", ["pipe"])
    assert "new" in copy.score_tokens(["pipe"]) and len(copy) == 50


def test_bm25_document_frequencies_follow_removals_and_restores() -> None:
    index = BM25Index(str.split, delta_share=1e9)
    _corpus(index, [f"d{n}" for n in range(40)])
    index.remove(["d1", "d9", "missing"])
    plain, arrays = index.state()
    restored = BM25Index(str.split)
    restored.restore_state(plain, arrays)  # tokens read off the postings
    for copy in (index, restored):
        for word in ("weld", "pipe", "robot"):
            holders = copy.score_tokens([word])
            assert copy.doc_freq(word) == len(holders) > 0
    restored.remove(["d2"])  # a removal after a restore lowers the counts too
    assert restored.doc_freq("lng") == len(restored.score_tokens(["lng"]))


def test_a_long_query_is_scored_on_its_most_telling_words() -> None:
    index = BM25Index(str.split)
    index.add("rare", ["laser", "common"])
    for n in range(30):
        index.add(f"c{n:02d}", ["common", "filler"])
    query = ["laser", "common", "common", "filler", "unknown"]
    full = index.scores(query)
    short = index.scores(query, max_terms=1)
    assert set(short.idf) == set(full.idf)  # every word's idf, for explanations
    # "unknown" is rarest but in no document: "laser" is the word kept
    assert short.get("rare") > full.get("rare") > 0.0
    assert short.get("c00") == 0.0 and full.get("c00") > 0.0
    assert index.scores(query, max_terms=10).get("c00") == full.get("c00")
