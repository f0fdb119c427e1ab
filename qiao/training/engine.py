"""Adapter between teaching cases and the framework-free `matching` library.

Its own engine and index (settings.QIAO_INDEX_DIR with "-training" appended), apart from the
profiles' and the careers' ones, following qiao.careers.engine: the worker writes the index,
web processes reload it when the files on disk change. Each language version of a published
case is one document ("case:<pk>:<language>"), so a query in any language finds the case
through whichever version fits it best.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from matching import Document, Engine, get_embedder
from qiao.training.models import Case, CaseText

_lock = threading.RLock()
_engine: Engine | None = None
_loaded: tuple[Path, float | None] | None = None

CASE = "case"


def index_dir() -> Path:
    base = Path(settings.QIAO_INDEX_DIR)
    return base.with_name(base.name + "-training")


def _stamp(path: Path) -> float | None:
    try:
        return (path / "manifest.json").stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return None


def get_engine() -> Engine:
    global _engine, _loaded
    path = index_dir()
    with _lock:
        stamp = _stamp(path)
        if _engine is None or _loaded != (path, stamp):
            _engine = Engine.open(
                path if stamp is not None else None, settings.QIAO_EMBEDDING_MODEL
            )
            _loaded = (path, stamp)
        return _engine


def _save(engine: Engine) -> None:
    global _loaded
    path = index_dir()
    engine.save(path)
    _loaded = (path, _stamp(path))


def doc_id(text: CaseText) -> str:
    return f"{CASE}:{text.case_id}:{text.language}"


def case_pk_of(document_id: str) -> int:
    return int(document_id.split(":")[1])


def to_document(text: CaseText) -> Document:
    case = text.case
    return Document(
        id=doc_id(text),
        language=text.language,  # type: ignore[arg-type]
        fields={
            "title": text.title,
            "technology": text.technology,
            "background": text.background,
            "parties": text.parties,
            "obstacles": text.obstacles,
            "outcome": text.outcome,
            "tags": case.lessons,
        },
        attributes={"kind": frozenset({CASE}), "language": frozenset({text.language})},
    )


def index_case(case_id: int) -> int:
    """Bring the index in line with one case; returns how many language versions it holds."""
    case = Case.objects.filter(pk=case_id).prefetch_related("texts").first()
    with _lock:
        engine = get_engine()
        engine.remove([f"{CASE}:{case_id}:{code}" for code in ("zh", "ru", "en")])
        texts = list(case.texts.all()) if case is not None and case.published else []
        if texts:
            engine.upsert([to_document(t) for t in texts])
        _save(engine)
    return len(texts)


def rebuild_index() -> int:
    global _engine
    texts = list(
        CaseText.objects.filter(case__published=True).select_related("case").order_by("pk")
    )
    with _lock:
        engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
        engine.upsert([to_document(t) for t in texts])
        _save(engine)
        _engine = engine
    return len(texts)


def search_cases(query: str, *, k: int = 20) -> list[tuple[int, float]]:
    """(case pk, score) best first, one row per case, for a query in any language."""
    best: dict[int, float] = {}
    for match in get_engine().search(query, filters={"kind": {CASE}}, k=k * 3):
        pk = case_pk_of(match.doc_id)
        best[pk] = max(best.get(pk, 0.0), match.score)
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:k]
