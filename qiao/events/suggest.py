"""Meeting partners suggested by the matching engine: the descriptions of the other
participating organisations, in whatever language each wrote, ranked against one's own."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from matching import Document, Engine, get_embedder
from qiao.organizations.models import Organization

_CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], Engine] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Suggestion:
    organization: Organization
    score: float
    shared_terms: tuple[str, ...]


def organisation_document(organization: Organization) -> Document:
    language = organization.description_language or "en"
    return Document(
        id=str(organization.pk),
        language=language,  # type: ignore[arg-type]
        fields={
            "name": organization.names().get(language) or organization.display_name(),
            "description": organization.description,
        },
    )


def _engine_for(organizations: list[Organization]) -> Engine:
    """An in-memory engine over these organisations, reused while none of them changes."""
    key = (
        settings.QIAO_EMBEDDING_MODEL,
        *((o.pk, o.updated_at) for o in organizations),
    )
    with _lock:
        engine = _cache.get(key)
        if engine is not None:
            _cache.move_to_end(key)
            return engine
    engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
    engine.upsert([organisation_document(o) for o in organizations])
    with _lock:
        _cache[key] = engine
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return engine


def suggest_partners(
    organization: Organization, participants: list[Organization], *, k: int = 5
) -> list[Suggestion]:
    others = [o for o in participants if o.pk != organization.pk and o.description]
    if not organization.description or not others:
        return []
    engine = _engine_for(sorted(others, key=lambda o: o.pk))
    by_id = {str(o.pk): o for o in others}
    return [
        Suggestion(by_id[m.doc_id], round(m.score), m.explanation.shared_terms[:5])
        for m in engine.match(organisation_document(organization), k=k)
        if m.doc_id in by_id
    ]
