"""Adapter between postings / talent profiles and the framework-free `matching` library.

Its own engine and index, apart from the technology profiles' (qiao.exchange.engine): the
directory is settings.QIAO_INDEX_DIR with "-careers" appended. The same pattern: the worker
writes the index; web processes reload it when the files on disk change.

Published postings ("posting:<pk>") and every talent profile ("talent:<pk>") are indexed.
Who may see which profile is decided at query time (selectors pass the allowed ids as a
filter), so the index never needs to know about permissions.
"""

from __future__ import annotations

import threading
from pathlib import Path

from django.conf import settings

from matching import Document, Engine, get_embedder
from qiao.careers.models import Posting, PostingStatus, TalentProfile

_lock = threading.RLock()
_engine: Engine | None = None
_loaded: tuple[Path, float | None] | None = None

POSTING = "posting"
TALENT = "talent"


def index_dir() -> Path:
    base = Path(settings.QIAO_INDEX_DIR)
    return base.with_name(base.name + "-careers")


def _stamp(path: Path) -> float | None:
    try:
        return (path / "manifest.json").stat().st_mtime_ns / 1e9
    except FileNotFoundError:
        return None


def get_engine() -> Engine:
    """The process-wide careers engine, reloaded when another process saved a newer index
    (or the index directory setting changed, as it does between tests)."""
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


def reset_engine() -> None:
    global _engine, _loaded
    with _lock:
        _engine = None
        _loaded = None


def posting_doc_id(pk: int) -> str:
    return f"{POSTING}:{pk}"


def talent_doc_id(pk: int) -> str:
    return f"{TALENT}:{pk}"


def pk_of(doc_id: str) -> int:
    return int(doc_id.split(":", 1)[1])


def posting_to_document(posting: Posting) -> Document:
    return Document(
        id=posting_doc_id(posting.pk),
        language=posting.language,  # type: ignore[arg-type]
        fields={
            "title": posting.title,
            "specialty": posting.specialty,
            "skills": ", ".join(str(s) for s in posting.skills),
            "description": posting.description,
            "requirements": posting.requirements,
        },
        attributes={
            "kind": frozenset({POSTING}),
            "id": frozenset({posting_doc_id(posting.pk)}),
            "posting_kind": frozenset({posting.kind}),
            "country": frozenset({posting.country}),
            "language": frozenset({posting.language}),
        },
    )


def profile_to_document(profile: TalentProfile) -> Document:
    return Document(
        id=talent_doc_id(profile.pk),
        language=profile.language,  # type: ignore[arg-type]
        fields={
            "headline": profile.headline,
            "specialty": profile.specialty,
            "skills": ", ".join(str(s) for s in profile.skills),
            "experience": profile.experience,
        },
        attributes={
            "kind": frozenset({TALENT}),
            "id": frozenset({talent_doc_id(profile.pk)}),
            "study_level": frozenset({profile.study_level}),
            "language": frozenset({profile.language}),
        },
    )


def index_posting(posting_id: int) -> bool:
    """Bring the index in line with one posting; True when it is (now) indexed."""
    posting = Posting.objects.filter(pk=posting_id).first()
    with _lock:
        engine = get_engine()
        if posting is None or posting.status != PostingStatus.PUBLISHED:
            engine.remove([posting_doc_id(posting_id)])
            _save(engine)
            return False
        engine.upsert([posting_to_document(posting)])
        _save(engine)
    return True


def index_profile(profile_id: int) -> bool:
    profile = TalentProfile.objects.filter(pk=profile_id).first()
    with _lock:
        engine = get_engine()
        if profile is None:
            engine.remove([talent_doc_id(profile_id)])
            _save(engine)
            return False
        engine.upsert([profile_to_document(profile)])
        _save(engine)
    return True


def rebuild_index() -> int:
    """Re-embed every published posting and every talent profile into a fresh index."""
    global _engine
    postings = list(Posting.objects.filter(status=PostingStatus.PUBLISHED).order_by("pk"))
    profiles = list(TalentProfile.objects.order_by("pk"))
    with _lock:
        engine = Engine(get_embedder(settings.QIAO_EMBEDDING_MODEL))
        engine.upsert(
            [posting_to_document(p) for p in postings] + [profile_to_document(p) for p in profiles]
        )
        _save(engine)
        _engine = engine
    return len(postings) + len(profiles)
