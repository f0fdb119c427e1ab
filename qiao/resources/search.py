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


def resource_documents(resource: Resource) -> list[Document]:
    """One document per language the resource is written or translated in
    ("<pk>:<language>"), so a query finds it through whichever version fits best."""
    return [
        Document(
            id=f"{resource.pk}:{code}",
            language=code,  # type: ignore[arg-type]
            fields={"title": title, "description": description},
        )
        for code, (title, description) in resource.texts().items()
    ]


def _engine(resources: list[Resource]) -> Engine:
    key = (settings.QIAO_EMBEDDING_MODEL, *((r.pk, r.updated_at) for r in resources))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
    engine.upsert([doc for r in resources for doc in resource_documents(r)])
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
    best: dict[str, float] = {}
    for match in engine.search(query, k=k * 3):
        pk = match.doc_id.split(":")[0]
        if pk in by_id and match.score >= floor:
            best[pk] = max(best.get(pk, 0.0), match.score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], int(item[0])))[:k]
    return [(by_id[pk], round(score)) for pk, score in ranked]
