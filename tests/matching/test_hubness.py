"""Hubness reduction: neighbour lists kept up to date, and the engine's use of them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from matching import Document, Engine, Scoring
from matching.hubness import Neighbourhoods
from matching.index import Hit
from matching.types import LANGUAGES, Language


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=-1, keepdims=True)).astype(np.float32)


class BruteForce:
    """An exact search within one language over a dict of vectors (what the engine's index
    does)."""

    def __init__(self) -> None:
        self.vectors: dict[str, np.ndarray] = {}
        self.languages: dict[str, Language] = {}

    def __call__(self, ids: Sequence[str], k: int, language: Language) -> list[list[Hit]]:
        others = sorted(i for i in self.vectors if self.languages[i] == language)
        out = []
        for doc_id in ids:
            hits = [Hit(o, float(self.vectors[doc_id] @ self.vectors[o])) for o in others]
            hits.sort(key=lambda h: (-h.score, h.id))
            out.append(hits[:k])
        return out

    def dense(self, ids: Sequence[str], language: Language) -> tuple[np.ndarray, list[str]]:
        others = sorted(i for i in self.vectors if self.languages[i] == language)
        queries = np.vstack([self.vectors[i] for i in ids])
        if not others:
            return np.zeros((len(ids), 0), np.float32), others
        return queries @ np.vstack([self.vectors[i] for i in others]).T, others

    def exact(self, doc_id: str, k: int, toward: Language) -> tuple[Hit, ...]:
        hits = self([doc_id], len(self.vectors), toward)[0]
        return tuple(h for h in hits if h.id != doc_id)[:k]


@pytest.mark.parametrize("how", ["dense", "search"])
def test_lists_equal_an_exact_search_after_adds_replacements_and_removals(how: str) -> None:
    """With similarities to the whole language (the exact index) lists are exact; so they
    are with searches when `reverse` covers the corpus."""
    rng = np.random.default_rng(7)
    search = BruteForce()
    hubs = Neighbourhoods(4, reverse=4 if how == "dense" else 1000)
    dense = search.dense if how == "dense" else None
    languages: list[Language] = ["ru", "zh"]
    for batch in range(6):
        new = {f"d{batch}-{j}": languages[j % 2] for j in range(9)}
        stale = hubs.forget(new)
        for doc_id, language in new.items():
            search.vectors[doc_id] = unit(rng.normal(size=16))
            search.languages[doc_id] = language
        hubs.add(new, search, dense)
        hubs.refresh(stale, search)
    # replace three documents (new vectors) and remove four
    replaced = {"d0-1": "zh", "d2-2": "ru", "d5-0": "ru"}
    stale = hubs.forget(replaced)
    for doc_id in replaced:
        search.vectors[doc_id] = unit(rng.normal(size=16))
    hubs.add(replaced, search, dense)  # type: ignore[arg-type]
    hubs.refresh(stale - set(replaced), search)
    removed = ["d1-3", "d3-3", "d4-4", "d0-0"]
    stale = hubs.forget(removed)
    for doc_id in removed:
        del search.vectors[doc_id], search.languages[doc_id]
    hubs.refresh(stale, search)

    assert len(hubs) == len(search.vectors) == 6 * 9 - 4
    for doc_id in search.vectors:
        for toward in ("ru", "zh"):
            expected = search.exact(doc_id, 4, toward)
            got = hubs.neighbours(doc_id, toward)
            assert [h.id for h in got] == [h.id for h in expected], (doc_id, toward)
            assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-6)
            assert all(search.languages[h.id] == toward for h in expected)
            mean = np.mean([h.score for h in expected])
            assert hubs.hubness(doc_id, toward) == pytest.approx(mean)
        assert hubs.neighbours(doc_id, "en") == ()  # no English documents
        assert hubs.hubness(doc_id, "en") is None
    # the language means, kept up to date change by change, equal a count from scratch
    copy = Neighbourhoods(4)
    copy.restore_state(*hubs.state())
    for language in ("ru", "zh"):
        own = [d for d, lang in search.languages.items() if lang == language]
        for toward in ("ru", "zh"):
            values = [hubs.hubness(d, toward) for d in own]
            count, mean = hubs.language_mean(language, toward)  # type: ignore[arg-type]
            assert count == len(own)
            assert mean == pytest.approx(float(np.mean(values)), abs=1e-9)
            assert copy.language_mean(language, toward) == (count, mean)  # type: ignore[arg-type]


def test_language_mean_does_not_depend_on_the_order_of_writes() -> None:
    rng = np.random.default_rng(3)
    vectors = {f"d{i}": unit(rng.normal(size=8)) for i in range(40)}
    means = []
    for order in (sorted(vectors), sorted(vectors, reverse=True)):
        search = BruteForce()
        hubs = Neighbourhoods(5, reverse=1000)
        for doc_id in order:
            search.vectors[doc_id] = vectors[doc_id]
            search.languages[doc_id] = "en"
            hubs.add({doc_id: "en"}, search)
        means.append(hubs.language_mean("en", "en"))
    assert means[0] == means[1]
    assert means[0][0] == 40
    assert hubs.language_mean("zh", "en") == (0, 0.0)
    assert hubs.language_mean("en", "zh") == (0, 0.0)


class TableEmbedder:
    """Vectors looked up by text, so a test can place documents exactly."""

    name = "table"

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table
        self.dim = len(next(iter(table.values())))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.table[t.strip()] for t in texts]).astype(np.float32)


def hub_corpus() -> tuple[dict[str, np.ndarray], str]:
    """120 Russian documents: random ones, a hub near 40 of them, and the true answer of a
    query that the raw cosine ranks just below the hub."""
    rng = np.random.default_rng(11)
    dim = 48
    table = {f"t{i}": unit(rng.normal(size=dim)) for i in range(118)}
    table["hub"] = unit(np.mean([table[f"t{i}"] for i in range(40)], axis=0))
    table["answer"] = unit(rng.normal(size=dim))
    table["query"] = unit(table["answer"] + 1.02 * table["hub"])
    return table, "query"


def engine_with(table: dict[str, np.ndarray], scoring: Scoring) -> Engine:
    engine = Engine(TableEmbedder(table), scoring=scoring)
    engine.upsert(
        [Document(id=t, language="ru", fields={"text": t}) for t in table if t != "query"]
    )
    return engine


def test_a_hub_loses_its_borrowed_rank() -> None:
    table, query = hub_corpus()
    assert table[query] @ table["hub"] > table[query] @ table["answer"]  # raw cosine: the hub
    probe = Document(id="q", language="ru", fields={"text": query})

    plain = engine_with(table, Scoring(hub_weight=0.0))
    assert plain.match(probe, k=1)[0].doc_id == "hub"
    assert plain.hubness("hub") is None  # not computed when unused

    engine = engine_with(table, Scoring())
    hub, answer = engine.hubness("hub"), engine.hubness("answer")
    assert hub is not None and answer is not None and hub > answer + 0.1
    best = engine.match(probe, k=2)
    assert [m.doc_id for m in best] == ["answer", "hub"]
    assert best[0].explanation.semantic == pytest.approx(float(table[query] @ table["answer"]))


def test_no_penalty_below_the_minimum_language_size() -> None:
    table, query = hub_corpus()
    engine = engine_with(table, Scoring(hub_min_docs=len(table)))  # one more than indexed
    probe = Document(id="q", language="ru", fields={"text": query})
    assert engine.hubness("hub") is not None
    assert engine.match(probe, k=1)[0].doc_id == "hub"


def test_neighbours_survive_save_and_open_and_follow_removals(
    engine: Engine, tmp_path: Path
) -> None:
    ids = engine.ids()
    languages = ("zh", "ru", "en")
    before = {(i, to): engine.hubness(i, to) for i in ids for to in languages}
    assert all(value is not None for value in before.values())
    engine.save(tmp_path / "index")
    reopened = Engine.open(tmp_path / "index")
    assert {(i, to): reopened.hubness(i, to) for i in ids for to in languages} == before

    gone = ids[0]
    reopened.remove([gone])
    assert reopened.hubness(gone) is None
    for doc_id in reopened.ids():
        for toward in languages:
            assert all(h.id != gone for h in reopened._hubs.neighbours(doc_id, toward))


def test_an_index_saved_with_same_language_lists_is_brought_up_to_date(
    engine: Engine, tmp_path: Path
) -> None:
    """Before 0007 `neighbours` was one same-language list; such an index computes the
    lists toward every language on its first read, as if written now."""
    engine.save(tmp_path / "index")
    generation = next(p for p in (tmp_path / "index").iterdir() if p.is_dir())
    records = [
        json.loads(line)
        for line in (generation / "documents.jsonl").read_text("utf-8").splitlines()
    ]
    for r in records:
        r["neighbours"] = r["neighbours"][r["language"]]
    (generation / "documents.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
    )
    reopened = Engine.open(tmp_path / "index")
    assert reopened.hub_penalties() == engine.hub_penalties()


def cross_corpus() -> tuple[dict[str, np.ndarray], str]:
    """120 Chinese and 120 Russian documents. "hub" (Russian) sits near 40 Chinese documents
    but nowhere special among Russian ones; a Chinese query ranks it just above its answer."""
    rng = np.random.default_rng(5)
    dim = 48
    table = {f"zh{i}": unit(rng.normal(size=dim)) for i in range(120)}
    table.update({f"ru{i}": unit(rng.normal(size=dim)) for i in range(118)})
    table["hub"] = unit(np.mean([table[f"zh{i}"] for i in range(40)], axis=0))
    table["answer"] = unit(rng.normal(size=dim))
    table["query"] = unit(table["answer"] + 1.02 * table["hub"])
    return table, "query"


def test_the_penalty_depends_on_the_query_language() -> None:
    """CSLS: a document crowded by Chinese documents loses rank for Chinese queries only."""
    table, query = cross_corpus()
    engine = Engine(TableEmbedder(table), scoring=Scoring())
    languages: dict[str, Language] = {t: "zh" if t.startswith("zh") else "ru" for t in table}
    engine.upsert(
        [
            Document(
                id=t,
                language=languages[t],
                fields={"text": t},
                attributes={"language": frozenset({languages[t]})},
            )
            for t in table
            if t != query
        ]
    )
    hub_zh, answer_zh = engine.hubness("hub", "zh"), engine.hubness("answer", "zh")
    assert hub_zh is not None and answer_zh is not None and hub_zh > answer_zh + 0.1
    penalties = engine.hub_penalties()
    zh, ru = LANGUAGES.index("zh"), LANGUAGES.index("ru")
    assert penalties["hub"][zh] > 0.05 > abs(penalties["hub"][ru])

    russian_only = {"language": frozenset({"ru"})}
    for language, best in (("zh", "answer"), ("ru", "hub")):
        probe = Document(id="q", language=language, fields={"text": query})
        matches = engine.match(probe, k=1, filters=russian_only)
        assert matches[0].doc_id == best, language
