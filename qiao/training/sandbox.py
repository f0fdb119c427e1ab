"""The simulation's own engine index (settings.QIAO_INDEX_DIR with "-sandbox" appended): the
offers of every assignment's pool, filtered by assignment at query time. It is never the live
profiles' index (qiao.exchange.engine), so a simulation can neither read nor write live data."""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from matching import Document, Engine
from qiao.training.models import Assignment, SandboxOffer

_lock = threading.RLock()
_engine: Engine | None = None
_loaded: tuple[Path, float | None] | None = None


def index_dir() -> Path:
    base = Path(settings.QIAO_INDEX_DIR)
    return base.with_name(base.name + "-sandbox")


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


def doc_id(offer_pk: int) -> str:
    return f"sandbox-offer:{offer_pk}"


def to_document(offer: SandboxOffer) -> Document:
    return Document(
        id=doc_id(offer.pk),
        language=offer.language,  # type: ignore[arg-type]
        fields={"title": offer.title, "summary": offer.summary},
        attributes={"assignment": frozenset({str(offer.assignment_id)})},
    )


def index_assignment(assignment_id: int) -> int:
    """Re-index one assignment's pool; returns the number of offers indexed."""
    global _loaded
    offers = list(SandboxOffer.objects.filter(assignment_id=assignment_id))
    with _lock:
        engine = get_engine()
        # Offers deleted from any pool leave the index too.
        indexed = [d for d in engine.ids() if d.startswith("sandbox-offer:")]
        existing = {
            doc_id(pk)
            for pk in SandboxOffer.objects.filter(
                pk__in=[int(d.split(":")[1]) for d in indexed]
            ).values_list("pk", flat=True)
        }
        engine.remove([d for d in indexed if d not in existing])
        engine.upsert([to_document(o) for o in offers])
        path = index_dir()
        engine.save(path)
        _loaded = (path, _stamp(path))
    return len(offers)


def search(assignment: Assignment, query: str, *, k: int = 10) -> list[tuple[int, float]]:
    """(offer pk, score) of the assignment's pool for a query in any language, best first."""
    matches = get_engine().search(query, filters={"assignment": {str(assignment.pk)}}, k=k)
    return [(int(m.doc_id.split(":")[1]), m.score) for m in matches]
