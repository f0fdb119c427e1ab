from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matching import Document, Embedder, Engine, IndexMismatchError, Match, Scoring
from matching.engine import PAIR_CALIBRATION, aligned_passages, calibrate, quality

OFFER = {"kind": frozenset({"offer"})}


def ids(matches: list[Match]) -> list[str]:
    return [m.doc_id for m in matches]


def test_contents(engine: Engine, corpus: list[Document]) -> None:
    assert len(engine) == len(corpus)
    assert "zh-wind" in engine and "nope" not in engine
    assert engine.get("zh-wind") == corpus[0]
    assert engine.get("nope") is None
    assert engine.model_name == "use-multilingual-v3-int8"


def test_cross_lingual_match_finds_the_intended_offer(
    engine: Engine, corpus: list[Document]
) -> None:
    by_id = {d.id: d for d in corpus}
    expected = {
        "ru-wind-request": "zh-wind",
        "zh-weld-request": "ru-weld",
        "ru-rice-request": "zh-rice",
        "en-vision-request": "ru-vision",
    }
    for request, offer in expected.items():
        matches = engine.match(by_id[request], filters=OFFER, k=3)
        assert matches[0].doc_id == offer, (request, ids(matches))
        assert all(0.0 <= m.score <= 100.0 for m in matches)
        assert matches[0].score > matches[-1].score


def test_match_never_returns_the_document_itself(engine: Engine, corpus: list[Document]) -> None:
    for document in corpus[:3]:
        assert document.id not in ids(engine.match(document, k=len(corpus)))
    assert len(engine.match(corpus[0], k=100)) == len(corpus) - 1


def test_match_of_an_unindexed_document(engine: Engine) -> None:
    probe = Document(
        id="new",
        language="en",
        fields={
            "title": "Wind turbine controller",
            "summary": "A PLC controller for 5 MW wind turbines.",
        },
    )
    assert engine.match(probe, filters=OFFER, k=1)[0].doc_id == "zh-wind"
    assert set(ids(engine.match(probe, k=2))) == {"zh-wind", "ru-wind-request"}
    assert "new" not in engine


def test_search_in_any_language(engine: Engine) -> None:
    for query in ("LED освещение для теплиц", "温室LED照明", "greenhouse LED lamps"):
        assert engine.search(query, k=1)[0].doc_id == "en-led", query
    assert engine.search("сварка трубопроводов", language="ru", k=1)[0].doc_id == "ru-weld"
    assert engine.search("   ") == []


def test_filters(engine: Engine) -> None:
    hits = engine.search("wind turbine", filters={"kind": {"request"}}, k=10)
    assert ids(hits)[0] == "ru-wind-request"
    assert all(engine.get(i).attributes["kind"] == {"request"} for i in ids(hits))  # type: ignore[union-attr]
    both = engine.search("rice", filters={"kind": {"offer"}, "sector": {"agriculture", "it"}}, k=10)
    assert set(ids(both)) == {"en-led", "zh-rice", "ru-vision"}
    assert engine.search("rice", filters={"kind": {"nothing"}}) == []
    assert engine.search("rice", filters={"missing-attribute": {"x"}}) == []


def test_upsert_replaces_and_remove_forgets(engine: Engine, corpus: list[Document]) -> None:
    changed = Document(
        id="en-led",
        language="en",
        fields={"title": "Rice seeds", "summary": "Early-ripening rice for cold regions."},
        attributes={"kind": frozenset({"offer"}), "sector": frozenset({"agriculture"})},
    )
    engine.upsert([changed])
    assert len(engine) == len(corpus)
    assert engine.get("en-led") == changed
    assert "en-led" not in ids(engine.search("LED lighting for greenhouses", k=1))
    assert "en-led" in ids(engine.search("rice for cold regions", k=2))
    engine.remove(["en-led", "unknown"])
    assert "en-led" not in engine and len(engine) == len(corpus) - 1
    assert "en-led" not in ids(engine.search("rice for cold regions", k=20))
    assert "en-led" not in ids(engine.search("rice", filters={"kind": {"offer"}}, k=20))


def test_deterministic_with_ties_broken_by_id(make_engine: Callable[..., Engine]) -> None:
    twin = {"title": "Pipeline welding", "summary": "Automatic welding of pipelines."}
    docs = [Document(i, "en", twin) for i in ("b", "c", "a")]
    engine = make_engine(docs)
    first = engine.search("pipeline welding", k=3)
    assert ids(first) == ["a", "b", "c"]
    assert engine.search("pipeline welding", k=3) == first
    again = make_engine(list(reversed(docs))).search("pipeline welding", k=3)
    assert [(m.doc_id, m.score) for m in again] == [(m.doc_id, m.score) for m in first]


def test_explanation_of_a_ru_zh_pair(engine: Engine, corpus: list[Document]) -> None:
    request = next(d for d in corpus if d.id == "ru-wind-request")
    best = engine.match(request, filters=OFFER, k=1)[0]
    e = best.explanation
    assert best.doc_id == "zh-wind"
    assert 0.4 < e.semantic <= 1.0
    assert 0.0 < e.lexical <= 1.0
    assert 1 <= len(e.passages) <= 3
    assert [p.similarity for p in e.passages] == sorted(
        (p.similarity for p in e.passages), reverse=True
    )
    assert any("ветро" in p.query_passage and "风力" in p.match_passage for p in e.passages)
    assert "5 МВт ↔ 5兆瓦" in e.shared_numbers
    assert any(n.startswith("Харбина ↔ 哈尔滨") for n in e.shared_names)
    assert "ПЛК ↔ PLC" in e.shared_names
    assert e.shared_terms == ()  # different languages: no shared words, only cues


def test_explanation_of_a_same_language_pair(make_engine: Callable[..., Engine]) -> None:
    docs = [
        Document(
            "a", "ru", {"title": "Сварка трубопроводов", "summary": "Орбитальная сварка труб."}
        ),
        Document("b", "ru", {"title": "Освещение теплиц", "summary": "Светодиодные лампы."}),
        Document("c", "ru", {"title": "Сорта риса", "summary": "Раннеспелые сорта."}),
    ]
    engine = make_engine(docs)
    best = engine.search("Нужна технология сварки трубопроводов", k=1)[0]
    assert best.doc_id == "a"
    assert "сварки" in best.explanation.shared_terms  # surface form, not the stem "сварк"
    assert "трубопроводов" in best.explanation.shared_terms


def test_save_and_open_round_trip(engine: Engine, corpus: list[Document], tmp_path: Path) -> None:
    path = tmp_path / "index"
    engine.save(path)
    assert (path / "manifest.json").exists()
    reopened = Engine.open(path)
    assert len(reopened) == len(engine)
    assert reopened.get("zh-wind") == engine.get("zh-wind")
    for document in corpus:
        assert reopened.match(document, k=5) == engine.match(document, k=5)
    assert reopened.search("温室LED照明", k=3) == engine.search("温室LED照明", k=3)
    reopened.remove(["zh-wind"])
    reopened.save(path)
    assert "zh-wind" not in Engine.open(path)
    assert len(list(path.glob("gen-*"))) == 2  # the current and the previous generation


def test_open_without_saved_state_is_empty(tmp_path: Path) -> None:
    assert len(Engine.open(None)) == 0
    assert len(Engine.open(tmp_path / "nothing-here")) == 0


def test_open_refuses_an_index_of_another_model(engine: Engine, tmp_path: Path) -> None:
    engine.save(tmp_path / "index")
    with pytest.raises(IndexMismatchError, match="use-multilingual-v3-int8"):
        Engine.open(tmp_path / "index", model="use-multilingual-v3-numpy")


def test_large_index_uses_hnsw(make_engine: Callable[..., Engine], corpus: list[Document]) -> None:
    engine = make_engine(ann_threshold=5)
    assert engine.index_kind == "hnsw"
    request = next(d for d in corpus if d.id == "ru-rice-request")
    assert engine.match(request, filters=OFFER, k=1)[0].doc_id == "zh-rice"


def test_concurrent_reads_and_writes(engine: Engine, corpus: list[Document]) -> None:
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(5):
                assert engine.search("wind turbine control", k=3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def writer() -> None:
        try:
            for i in range(5):
                engine.upsert([Document(f"t{i}", "en", {"title": f"Temporary {i}"})])
                engine.remove([f"t{i}"])
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=f) for f in (reader, reader, writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(engine) == len(corpus)


def test_searches_go_on_while_a_write_compacts_a_keyword_index(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, finishes_meanwhile: Callable[..., Any]
) -> None:
    from matching.lexical import BM25Index

    compacting, release = threading.Event(), threading.Event()
    compaction = BM25Index.compaction

    def held_compaction(self: BM25Index) -> object:
        compacting.set()
        assert release.wait(10)
        return compaction(self)

    monkeypatch.setattr(BM25Index, "compaction_due", lambda self: self is engine._bm25["en"])
    monkeypatch.setattr(BM25Index, "compaction", held_compaction)
    new = Document("en-new", "en", {"title": "Wind turbine blade de-icing by heated coating"})
    writer = threading.Thread(target=engine.upsert, args=([new],))
    writer.start()
    try:
        assert compacting.wait(30)
        found = finishes_meanwhile(lambda: engine.search("wind turbine blade de-icing", k=3))
        assert "en-new" in ids(found)  # written before the compaction began
    finally:
        release.set()
        writer.join(10)
    monkeypatch.undo()
    assert ids(engine.search("wind turbine blade de-icing", k=1)) == ["en-new"]


def test_calibration_is_symmetric_and_neutralises_language_pairs() -> None:
    for pair, (offset, scale) in PAIR_CALIBRATION.items():
        assert 0 < offset < 0.5 and 0 < scale < 1, pair
        assert calibrate(offset, *sorted(pair) * (2 // len(pair))) == pytest.approx(0.0)  # type: ignore[arg-type]
    assert calibrate(0.5, "ru", "zh") == calibrate(0.5, "zh", "ru")
    # the same cosine means more across languages, where cosines run lower
    assert calibrate(0.5, "ru", "zh") > calibrate(0.5, "zh", "zh")


def test_quality_is_monotone_and_bounded() -> None:
    scoring = Scoring()
    values = [quality(x / 10, scoring) for x in range(-20, 30)]
    assert values == sorted(values)
    assert all(0.0 <= v <= 100.0 for v in values)
    assert quality(scoring.midpoint, scoring) == pytest.approx(50.0)


def test_aligned_passages_are_one_to_one(embedder: Embedder) -> None:
    left = ["Ветрогенератор мощностью 5 МВт.", "Работает при -40 °C."]
    right = ["可在零下40℃运行。", "5兆瓦风力发电机。", "价格合理。"]
    pairs = aligned_passages(left, embedder.embed(left), right, embedder.embed(right), limit=3)
    assert len(pairs) == 2
    assert {p.match_passage for p in pairs} == {"可在零下40℃运行。", "5兆瓦风力发电机。"}
    assert pairs[0].similarity >= pairs[1].similarity


class _Counting:
    """An embedder that records every batch it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.batches: list[list[str]] = []

    def embed(self, texts: list[str]) -> object:
        self.batches.append(list(texts))
        return self.inner.embed(texts)


def test_short_documents_use_their_whole_text_and_embed_it_once(embedder: Embedder) -> None:
    counting = _Counting(embedder)
    engine = Engine(counting)  # type: ignore[arg-type]
    one = Document(id="one", language="en", fields={"text": "Wind turbines for cold climates."})
    two = Document(
        id="two",
        language="en",
        fields={"text": "Wind turbines for cold climates. They keep working in severe frost."},
    )
    engine.upsert([one, two])
    # each distinct text once: one's text is also its only passage and two's first passage
    assert sorted(counting.batches[0]) == sorted(
        [one.text, "They keep working in severe frost.", two.text]
    )
    whole = embedder.embed([two.text])[0]
    analysis = engine.analyze([two])[0]
    # the whole-text vector (up to batch padding), not a mix with the passages
    assert float(analysis.vector @ whole) == pytest.approx(1.0, abs=1e-3)


def test_a_repeated_query_is_analysed_once(embedder: Embedder, corpus: list[Document]) -> None:
    counting = _Counting(embedder)
    engine = Engine(counting)  # type: ignore[arg-type]
    engine.upsert(corpus)
    counting.batches.clear()
    first = engine.search("wind turbine control", k=3)
    assert engine.search("wind turbine control", k=3) == first
    assert engine.search("wind turbine control", k=3, filters=OFFER)
    assert len(counting.batches) == 1  # the text depends on nothing indexed: embedded once
    engine.search("wind turbine control", language="ru", k=3)  # another language, another one
    assert len(counting.batches) == 2
    # a new document is found by a query analysed before it came
    engine.upsert([Document(id="new", language="en", fields={"text": "Wind turbine control."})])
    assert "new" in ids(engine.search("wind turbine control", k=3))
    assert len(counting.batches) == 3  # the new document's embedding, not the query's
    engine._queries.limit = 2
    for text in ("solar panels", "pipeline welding", "wind turbine control"):
        engine.search(text, k=1)
    assert len(engine._queries) == 2 and len(counting.batches) == 6  # the oldest was let go


def test_match_analyzed_equals_match(engine: Engine, corpus: list[Document]) -> None:
    query = Document(
        id="q", language="ru", fields={"text": "ветровая турбина для холодного климата"}
    )
    analysis = engine.analyze([query])[0]
    assert ids(engine.match_analyzed(analysis, "ru", k=3)) == ids(engine.match(query, k=3))
    assert engine.match_analyzed(analysis, "ru", k=0) == []
    top = ids(engine.match(query, k=1))[0]
    assert top not in ids(engine.match_analyzed(analysis, "ru", k=3, exclude=top))


def test_stored_documents_share_their_token_strings(engine: Engine) -> None:
    """~250 tokens a profile: as strings of their own they were most of a document's memory."""
    documents = [
        Document("a", "en", {"text": "laser cladding of turbine blades"}),
        Document("b", "en", {"text": "turbine blades repaired by laser cladding"}),
    ]
    engine.put(documents, engine.analyze(documents))
    a, b = engine.analysis("a"), engine.analysis("b")
    assert a is not None and b is not None
    shared = set(a.tokens) & set(b.tokens)
    assert shared
    for token in shared:
        assert next(t for t in a.tokens if t == token) is next(t for t in b.tokens if t == token)
    assert all(k != v for k, v in a.surfaces.items())  # only surfaces that differ are kept


_AFTER_WARM_UP = """
import gc
from matching.engine import Engine, _lexical
from matching.types import Document
Engine.warm_up()
gc.collect()
gc.freeze()
texts = {
    "zh": "李明研究员与哈尔滨工业大学合作开发臺式激光雷达，符合GB/T 19001。",
    "ru": "Доцент Петров из Новосибирска: лидар по ГОСТ Р 51321.1, 12 кВт.",
    "en": "Dr Brown of Tomsk: a lidar to IEC 61850, 12 kW.",
}
_lexical([Document(id="", language=k, fields={"text": v}) for k, v in texts.items()])
gc.collect()
print(len(gc.get_objects()))
"""


def test_warm_up_loads_what_analysis_loads_later() -> None:
    """Analysis after a warm-up creates no tables a full collection would walk from then on
    (pypinyin's alone were 200,000 objects, loaded by the first Chinese name)."""
    run = subprocess.run(
        [sys.executable, "-c", _AFTER_WARM_UP], capture_output=True, text=True, check=True
    )
    assert int(run.stdout.split()[-1]) < 5_000
