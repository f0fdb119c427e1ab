"""Cross-language search over teaching resources with the matching engine: a query in
Chinese finds resources written in Russian or English, and the other way round."""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.conf import settings

from matching import Document, Engine, get_embedder
from qiao.resources.models import Resource

_cache: OrderedDict[tuple[object, ...], Engine] = OrderedDict()
_lock = threading.Lock()


def resource_document(resource: Resource) -> Document:
    return Document(
        id=str(resource.pk),
        language=resource.language,  # type: ignore[arg-type]
        fields={"title": resource.title, "description": resource.description},
    )


def _engine(resources: list[Resource]) -> Engine:
    key = (settings.QIAO_EMBEDDING_MODEL, *((r.pk, r.updated_at) for r in resources))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
    engine.upsert([resource_document(r) for r in resources])
    with _lock:
        _cache[key] = engine
        while len(_cache) > 4:
            _cache.popitem(last=False)
    return engine


def search(query: str, resources: list[Resource], *, k: int = 20) -> list[tuple[Resource, float]]:
    """The resources that fit the query best, with their 0–100 match quality."""
    if not query.strip() or not resources:
        return []
    by_id = {str(r.pk): r for r in resources}
    engine = _engine(sorted(resources, key=lambda r: r.pk))
    floor = getattr(settings, "QIAO_SEARCH_MIN_QUALITY", 0)
    return [
        (by_id[m.doc_id], round(m.score))
        for m in engine.search(query, k=k)
        if m.doc_id in by_id and m.score >= floor
    ]
