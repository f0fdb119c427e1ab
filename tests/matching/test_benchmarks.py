from __future__ import annotations

from pathlib import Path

import pytest

from matching.benchmarks import (
    UnsupportedFolder,
    as_document,
    engine_rank,
    evaluate_halves,
    evaluate_parallel,
    fit_calibration,
    fit_sts_calibration,
    split_halves,
)
from matching.embedders import Embedder
from matching.engine import Engine, Scoring
from matching.evaluation import ParallelSet, read_parallel_folder

LINES = {
    "en": [
        "The new wind turbine produces five megawatts.",
        "It keeps working in severe frost.",
        "Farmers planted an early rice variety.",
        "The harvest was large despite the cold summer.",
        "The museum opened an exhibition of old maps.",
        "Visitors can see charts from the sixteenth century.",
    ],
    "ru": [
        "Новая ветряная турбина вырабатывает пять мегаватт.",
        "Она продолжает работать в сильный мороз.",
        "Фермеры посадили раннеспелый сорт риса.",
        "Урожай был большим, несмотря на холодное лето.",
        "Музей открыл выставку старинных карт.",
        "Посетители могут увидеть карты шестнадцатого века.",
    ],
    "zh": [
        "新型风力涡轮机可发电五兆瓦。",
        "它在严寒中也能继续工作。",
        "农民种植了早熟水稻品种。",
        "尽管夏天寒冷，收成仍然很好。",
        "博物馆举办了古地图展览。",
        "参观者可以看到十六世纪的海图。",
    ],
}
DOCS = ["wind", "wind", "rice", "rice", "maps", "maps"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for lang, lines in LINES.items():
        (tmp_path / f"{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "doc.txt").write_text("\n".join(DOCS) + "\n", encoding="utf-8")
    return tmp_path


def test_split_halves(folder: Path) -> None:
    halves = split_halves(read_parallel_folder(folder))
    first, second = halves["en"]
    assert first[0] == LINES["en"][0] and second[0] == LINES["en"][1]
    assert len(first) == len(second) == 3
    with pytest.raises(UnsupportedFolder):
        split_halves(ParallelSet("x", {"en": ["a"], "ru": ["б"]}, None))


def test_halves_benchmark_on_an_easy_folder(folder: Path) -> None:
    results = evaluate_halves(
        read_parallel_folder(folder),
        scorings={"default": Scoring(), "raw": Scoring(calibrate=False)},
    )
    for rows in results.values():
        assert [r.direction for r in rows[-2:]] == ["cross-language (mean)", "same-language (mean)"]
        assert len(rows) == 9 + 2
        assert rows[-2].queries == 18 and rows[-1].queries == 9
        assert all(r.recall_at_10 == 1.0 for r in rows)  # 9 candidates: always in the top 10


def test_fit_calibration_gives_one_pair_each(folder: Path) -> None:
    fitted = fit_calibration(read_parallel_folder(folder))
    assert set(fitted) == {
        ("zh", "zh"), ("zh", "ru"), ("zh", "en"), ("ru", "ru"), ("ru", "en"), ("en", "en")
    }  # fmt: skip
    assert all(scale > 0 for _, scale in fitted.values())  # related halves score higher


def test_engine_method_needs_supported_languages(folder: Path) -> None:
    data = ParallelSet("de", {"de": ["Hallo"], "en": ["Hello"]}, None)
    with pytest.raises(UnsupportedFolder):
        evaluate_parallel(data, method="engine")
    assert [r.direction for r in evaluate_parallel(data)] == ["de→en", "en→de"]
    results = evaluate_parallel(read_parallel_folder(folder), method="engine")
    assert len(results) == 12
    assert all(r.recall_at_1 == 1.0 for r in results)


def test_fit_sts_calibration_puts_grades_on_one_scale() -> None:
    """Grade-5 rows are paraphrases, grade-0 rows unrelated: the fitted scale is positive and
    every pair of languages gets its own line."""
    first = {lang: [LINES[lang][i] for i in (0, 2, 4)] for lang in LINES}
    second = {lang: [LINES[lang][i] for i in (0, 5, 1)] for lang in LINES}
    fitted = fit_sts_calibration(first, second, [5.0, 0.0, 0.0])
    assert len(fitted) == 6
    assert all(scale > 0.2 for _, scale in fitted.values())


def test_engine_rank_counts_only_better_non_relevant_documents(embedder: Embedder) -> None:
    engine = Engine(embedder)
    engine.upsert([as_document(str(i), "ru", t) for i, t in enumerate(LINES["ru"])])
    query = engine.analyze([as_document("q", "en", LINES["en"][2])])[0]
    assert engine_rank(engine, query, "en", {"2"}) == 1
    # beyond the top k: the place in the full ordering, at least k + 1
    scores = engine.scores(query, "en")
    worst = min(scores, key=lambda d: scores[d])
    assert engine_rank(engine, query, "en", {worst}, k=2) == len(LINES["ru"])
    assert engine_rank(engine, query, "en", {"missing"}) == 0


def test_scores_among_some_documents_equal_those_of_the_full_ranking(embedder: Embedder) -> None:
    engine = Engine(embedder)
    for lang in ("ru", "zh", "en"):
        engine.upsert([as_document(f"{lang}:{i}", lang, t) for i, t in enumerate(LINES[lang])])
    query = engine.analyze([as_document("q", "en", LINES["en"][2])])[0]
    full = engine.scores(query, "en")
    among = ["zh:1", "en:3", "ru:0", "missing"]
    assert engine.scores(query, "en", among=among) == {d: full[d] for d in among[:3]}
    assert engine.scores(query, "en", among=[]) == {}
