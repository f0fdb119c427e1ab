"""matching.state: a document's indexed state survives the trip through bytes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from matching import Document, Engine
from matching.engine import Analysis
from matching.state import StateError, decode, encode, fingerprint


def test_a_decoded_state_scores_like_the_original(engine: Engine, corpus: list[Document]) -> None:
    documents = corpus[:4]
    analyses = engine.analyze(documents)
    restored = Engine(engine.embedder)
    states = [encode(d, a) for d, a in zip(documents, analyses, strict=True)]
    decoded = [decode(s, engine.embedder.dim) for s in states]
    restored.put([d for d, _ in decoded], [a for _, a in decoded])
    original = Engine(engine.embedder)
    original.put(documents, analyses)
    query = corpus[0]
    got = [(m.doc_id, round(m.score, 1)) for m in restored.match(query, k=3)]
    want = [(m.doc_id, round(m.score, 1)) for m in original.match(query, k=3)]
    assert got == want  # float16 storage moves scores by far less than a tenth of a point


def test_decode_gives_back_the_document_and_its_text_parts(
    engine: Engine, corpus: list[Document]
) -> None:
    document = corpus[1]
    analysis = engine.analyze([document])[0]
    back, again = decode(encode(document, analysis), engine.embedder.dim)
    assert back == document
    assert again.passages == analysis.passages
    assert again.tokens == analysis.tokens
    # surfaces may be sparse (a key written as itself left out): compare as they are read
    assert {t: again.surfaces.get(t, t) for t in again.tokens} == {
        t: analysis.surfaces.get(t, t) for t in analysis.tokens
    }
    assert again.cues == analysis.cues
    assert again.passage_vectors.shape == analysis.passage_vectors.shape
    assert float(np.linalg.norm(again.vector)) == pytest.approx(1.0, abs=1e-5)
    assert float(again.vector @ analysis.vector) > 0.9999


def test_encoding_is_deterministic_and_the_fingerprint_follows_content(
    engine: Engine, corpus: list[Document]
) -> None:
    document = corpus[2]
    analysis = engine.analyze([document])[0]
    assert encode(document, analysis) == encode(document, analysis)
    changed = type(document)(document.id, document.language, {"title": "другое"})
    assert fingerprint(document, "m") == fingerprint(document, "m")
    assert fingerprint(document, "m") != fingerprint(changed, "m")
    assert fingerprint(document, "m") != fingerprint(document, "other-model")


def test_bytes_that_are_not_a_state_are_refused(engine: Engine, corpus: list[Document]) -> None:
    document = corpus[0]
    state = encode(document, engine.analyze([document])[0])
    with pytest.raises(StateError):
        decode(state._replace(payload=b"not zlib"), engine.embedder.dim)
    with pytest.raises(StateError):
        decode(state._replace(vector=state.vector[:-2]), engine.embedder.dim)


def test_put_refuses_mismatched_input(engine: Engine, corpus: list[Document]) -> None:
    fresh = Engine(engine.embedder)
    with pytest.raises(ValueError):
        fresh.put(corpus[:2], engine.analyze(corpus[:1]))
    with pytest.raises(ValueError):
        fresh.put([corpus[0], corpus[0]], engine.analyze([corpus[0], corpus[0]]))


def test_an_engine_that_loads_its_documents_ranks_and_explains_like_one_that_keeps_them(
    engine: Engine, corpus: list[Document]
) -> None:
    analyses = engine.analyze(corpus)
    states = {d.id: encode(d, a) for d, a in zip(corpus, analyses, strict=True)}
    asked: list[list[str]] = []

    def load(ids: Sequence[str]) -> dict[str, tuple[Document, Analysis]]:
        asked.append(list(ids))
        return {i: decode(states[i], engine.embedder.dim) for i in ids if i in states}

    lean = Engine(engine.embedder, details=load)
    decoded = [decode(states[d.id], engine.embedder.dim, passages=False) for d in corpus]
    lean.put([d for d, _ in decoded], [a for _, a in decoded])
    assert all(e.details is None for e in lean._entries.values())  # only what ranking reads
    full = Engine(engine.embedder)
    full.put(*zip(*(decode(states[d.id], engine.embedder.dim) for d in corpus), strict=True))

    got, want = lean.match(corpus[0], k=3), full.match(corpus[0], k=3)
    assert got == want  # ids, qualities and whole explanations
    assert any(m.explanation.passages for m in got)
    assert sorted(asked[-1]) == sorted(m.doc_id for m in got)  # only the shown candidates
    assert lean.get(corpus[1].id) == corpus[1]
    assert lean.search("wind turbine control", k=3) == full.search("wind turbine control", k=3)

    asked.clear()
    assert lean.match(corpus[0], k=3) == got
    assert asked == []  # what it loaded last is kept
    shown = {corpus[0].id, corpus[1].id} | {m.doc_id for m in got}
    other = next(d for d in corpus if d.id not in shown)
    changed = replace(other, fields={**other.fields, "title": "Wind farm controllers"})
    states[changed.id] = encode(changed, engine.analyze([changed])[0])
    assert lean.get(changed.id) == changed and lean.get(changed.id) == changed
    assert len(asked) == 2  # the store is a change ahead of the engine: not kept
    document, analysis = decode(states[changed.id], engine.embedder.dim, passages=False)
    lean.put([document], [analysis])
    assert lean.get(changed.id) == changed and lean.get(changed.id) == changed
    assert len(asked) == 3  # now the version indexed: kept

    fresh = Engine(engine.embedder, details=load)
    fresh.put([d for d, _ in decoded], [a for _, a in decoded])
    del states[got[0].doc_id]  # gone from the store before its removal reached the engine
    assert [m.doc_id for m in fresh.match(corpus[0], k=3)] == [m.doc_id for m in got[1:]]
