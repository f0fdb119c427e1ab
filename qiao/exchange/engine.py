"""The one adapter between Django records and the framework-free `matching` library.

Published profiles live in a persisted vector index (settings.QIAO_INDEX_DIR). The worker
writes it; web processes reload it when the files on disk change, so every process sees the
same index without a separate service.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from matching import Document, Engine, Explanation
from matching import Match as EngineMatch
from qiao.exchange.models import Match, MatchStatus, Profile, ProfileKind, ProfileStatus

log = logging.getLogger(__name__)

_lock = threading.RLock()
_engine: Engine | None = None
_loaded_stamp: float | None = None


def _index_dir() -> Path:
    return Path(settings.QIAO_INDEX_DIR)


def _stamp(path: Path) -> float | None:
    manifest = path / "manifest.json"
    try:
        return manifest.stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return None


def get_engine() -> Engine:
    """The process-wide engine, reloaded when another process saved a newer index."""
    global _engine, _loaded_stamp
    path = _index_dir()
    with _lock:
        stamp = _stamp(path)
        if _engine is None or stamp != _loaded_stamp:
            _engine = Engine.open(
                path if stamp is not None else None, settings.QIAO_EMBEDDING_MODEL
            )
            _loaded_stamp = stamp
        return _engine


def _save(engine: Engine) -> None:
    global _loaded_stamp
    path = _index_dir()
    engine.save(path)
    _loaded_stamp = _stamp(path)


def reset_engine() -> None:
    """Forget the in-process engine (tests, or after the index directory was replaced)."""
    global _engine, _loaded_stamp
    with _lock:
        _engine = None
        _loaded_stamp = None


def profile_to_document(profile: Profile) -> Document:
    sectors: set[str] = set()
    for sector in profile.sectors.all():
        sectors.add(sector.code)
        if sector.parent_id is not None:
            sectors.add(sector.code.split(".")[0])
    keywords = ", ".join(str(k) for k in profile.keywords)
    return Document(
        id=str(profile.pk),
        language=profile.language,  # type: ignore[arg-type]
        fields={
            "title": profile.title,
            "summary": profile.summary,
            "keywords": keywords,
            "description": profile.description,
            "advantages": profile.advantages,
            "technical_specification": profile.technical_specification,
        },
        attributes={
            "kind": frozenset({profile.kind}),
            "country": frozenset({profile.organization.country}),
            "sector": frozenset(sectors),
            "stage": frozenset({profile.development_stage}),
            "language": frozenset({profile.language}),
            "organization": frozenset({str(profile.organization_id)}),
        },
    )


def explanation_to_json(explanation: Explanation) -> dict[str, object]:
    return {
        "semantic": round(float(explanation.semantic), 4),
        "lexical": round(float(explanation.lexical), 4),
        "passages": [
            {
                "query": p.query_passage,
                "match": p.match_passage,
                "similarity": round(p.similarity, 4),
            }
            for p in explanation.passages
        ],
        "shared_terms": list(explanation.shared_terms),
        "shared_numbers": list(explanation.shared_numbers),
        "shared_names": list(explanation.shared_names),
    }


@dataclass(frozen=True)
class RankedProfile:
    profile: Profile
    score: float
    explanation: dict[str, object]


def index_profile(profile_id: int) -> None:
    """Bring the index and the stored matches in line with one profile's current state."""
    profile = (
        Profile.objects.select_related("organization")
        .prefetch_related("sectors")
        .filter(pk=profile_id)
        .first()
    )
    with _lock:
        engine = get_engine()
        if profile is None or profile.status != ProfileStatus.PUBLISHED:
            engine.remove([str(profile_id)])
            _save(engine)
            Match.objects.filter(offer_id=profile_id, offer_status=MatchStatus.NEW).filter(
                request_status=MatchStatus.NEW
            ).delete()
            Match.objects.filter(request_id=profile_id, offer_status=MatchStatus.NEW).filter(
                request_status=MatchStatus.NEW
            ).delete()
            return
        document = profile_to_document(profile)
        engine.upsert([document])
        _save(engine)
        results = _match_document(engine, profile, document)
    store_matches(profile, results)


def _opposite(kind: str) -> str:
    return ProfileKind.REQUEST if kind == ProfileKind.OFFER else ProfileKind.OFFER


def _match_document(engine: Engine, profile: Profile, document: Document) -> list[EngineMatch]:
    return engine.match(
        document,
        filters={"kind": frozenset({_opposite(profile.kind)})},
        k=settings.QIAO_MATCHES_PER_PROFILE,
    )


def store_matches(profile: Profile, results: list[EngineMatch]) -> None:
    """Upsert this profile's top matches; drop untouched pairs that fell out of the top list."""
    is_offer = profile.kind == ProfileKind.OFFER
    model_name = get_engine().model_name
    live_ids = set(
        Profile.objects.filter(
            pk__in=[int(r.doc_id) for r in results], status=ProfileStatus.PUBLISHED
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        kept: list[int] = []
        for result in results:
            other_id = int(result.doc_id)
            if other_id not in live_ids:
                continue
            offer_id, request_id = (profile.pk, other_id) if is_offer else (other_id, profile.pk)
            match, _created = Match.objects.update_or_create(
                offer_id=offer_id,
                request_id=request_id,
                defaults={
                    "score": round(float(result.score), 2),
                    "explanation": {
                        **explanation_to_json(result.explanation),
                        "query_side": "offer" if is_offer else "request",
                    },
                    "model_name": model_name,
                },
            )
            kept.append(match.pk)
        own = {"offer_id": profile.pk} if is_offer else {"request_id": profile.pk}
        Match.objects.filter(
            **own, offer_status=MatchStatus.NEW, request_status=MatchStatus.NEW
        ).exclude(pk__in=kept).delete()


def rebuild_index(*, progress: bool = False) -> int:
    """Re-embed every published profile into a fresh index and recompute all matches."""
    from matching import get_embedder

    published = list(
        Profile.objects.filter(status=ProfileStatus.PUBLISHED)
        .select_related("organization")
        .prefetch_related("sectors")
        .order_by("pk")
    )
    with _lock:
        engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
        documents = [profile_to_document(p) for p in published]
        engine.upsert(documents)
        _save(engine)
        global _engine
        _engine = engine
        for profile, document in zip(published, documents, strict=True):
            store_matches(profile, _match_document(engine, profile, document))
    Match.objects.exclude(offer__status=ProfileStatus.PUBLISHED).delete()
    Match.objects.exclude(request__status=ProfileStatus.PUBLISHED).delete()
    return len(published)
