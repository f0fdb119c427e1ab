"""Engine.dump / Engine.restore: a process starts from a snapshot and serves exactly what the
engine that wrote it served, without embedding or rebuilding anything."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import pytest
from test_hubness import TableEmbedder, hub_corpus, unit  # this folder is on sys.path

from matching import Document, Engine, Scoring, StorageError


def _engine(table: dict[str, np.ndarray], **options: object) -> Engine:
    languages = ("ru", "zh", "en")
    engine = Engine(TableEmbedder(table), scoring=Scoring(hub_min_docs=10), **options)  # type: ignore[arg-type]
    engine.upsert(
        [
            Document(
                id=t,
                language=languages[i % 3],
                fields={"text": t},
                attributes={"kind": frozenset({"offer" if i % 2 else "request"})},
            )
            for i, t in enumerate(table)
            if t != "query"
        ]
    )
    engine.remove(["t7", "t8"])  # a snapshot also carries removals and free slots
    return engine


def _round_trip(engine: Engine, **options: object) -> Engine:
    buffer = io.BytesIO()
    assert engine.dump(buffer) == len(engine)
    buffer.seek(0)
    restored = Engine(engine.embedder, scoring=engine.scoring, **options)  # type: ignore[arg-type]
    assert restored.restore(buffer) == len(engine)
    return restored


def _answers(engine: Engine, probes: Sequence[Document]) -> list[object]:
    return [
        [(m.doc_id, round(m.score, 6), m.explanation.shared_terms) for m in engine.match(p, k=5)]
        + [(m.doc_id, round(m.score, 6)) for m in engine.match(p, k=5, filters={"kind": {"offer"}})]
        for p in probes
    ]


@pytest.mark.parametrize("ann_threshold", [20_000, 50], ids=["exact", "graph"])
def test_a_restored_engine_answers_exactly_like_the_one_that_dumped(ann_threshold: int) -> None:
    table, query = hub_corpus()
    engine = _engine(table, ann_threshold=ann_threshold)
    restored = _round_trip(engine, ann_threshold=ann_threshold)
    assert restored.index_kind == engine.index_kind == ("hnsw" if ann_threshold == 50 else "exact")
    assert restored.ids() == engine.ids()
    assert restored.hub_penalties() == engine.hub_penalties()
    probes = [Document(id="q", language=lang, fields={"text": query}) for lang in ("ru", "en")]
    assert _answers(restored, probes) == _answers(engine, probes)
    assert restored.get("t3") == engine.get("t3")


def test_a_restored_engine_keeps_changing_like_the_original() -> None:
    table, query = hub_corpus()
    engine = _engine(table)
    restored = _round_trip(engine)
    table["late"] = unit(table["answer"] + 0.1 * table["t1"])
    for e in (engine, restored):
        e.upsert([Document(id="late", language="ru", fields={"text": "late"})])
        e.remove(["t1", "t2"])
    probe = Document(id="q", language="ru", fields={"text": query})
    assert _answers(restored, [probe]) == _answers(engine, [probe])
    assert restored.hub_penalties() == engine.hub_penalties()


def test_a_snapshot_of_another_model_or_into_a_used_engine_is_refused() -> None:
    table, _ = hub_corpus()
    engine = _engine(table)
    buffer = io.BytesIO()
    engine.dump(buffer)
    other = TableEmbedder(table)
    other.name = "another-model"
    buffer.seek(0)
    with pytest.raises(ValueError, match=r"another-model|table"):
        Engine(other).restore(buffer)
    buffer.seek(0)
    with pytest.raises(RuntimeError):
        _engine(table).restore(buffer)
    with pytest.raises(StorageError):
        Engine(engine.embedder).restore(io.BytesIO(_zip_with_header({"format": "nonsense"})))


def _zip_with_header(header: dict[str, object]) -> bytes:
    import json
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("header.json", json.dumps(header))
    return buffer.getvalue()
