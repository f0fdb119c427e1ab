"""Published technology offers and requests ("17"); their matches are stored when indexed."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from matching import Document
from qiao.exchange.models import Profile, ProfileStatus
from qiao.search.collections.base import RecordCollection, register

NAME = "profiles"


def profile_document(profile: Profile) -> Document:
    sectors: set[str] = set()
    for sector in profile.sectors.all():
        sectors.add(sector.code)
        if sector.parent_id is not None:
            sectors.add(sector.code.split(".")[0])
    return Document(
        id=str(profile.pk),
        language=profile.language,  # type: ignore[arg-type]
        fields={
            "title": profile.title,
            "summary": profile.summary,
            "keywords": ", ".join(str(k) for k in profile.keywords),
            "description": profile.description,
            "advantages": profile.advantages,
            "technical_specification": profile.technical_specification,
        },
        attributes={
            "id": frozenset({str(profile.pk)}),
            "kind": frozenset({profile.kind}),
            "country": frozenset({profile.organization.country}),
            "sector": frozenset(sectors),
            "stage": frozenset({profile.development_stage}),
            "language": frozenset({profile.language}),
            "organization": frozenset({str(profile.organization_id)}),
        },
    )


@register
class Profiles(RecordCollection):
    name = NAME

    def indexable(self) -> QuerySet[Profile]:
        published = Profile.objects.filter(status=ProfileStatus.PUBLISHED)
        return published.select_related("organization").prefetch_related("sectors")

    def to_documents(self, record: Profile) -> list[Document]:
        return [profile_document(record)]

    def indexed(self, sources: Sequence[str]) -> None:
        from qiao.exchange.matches import matches_refresh

        matches_refresh(profile_ids=[int(s) for s in sources])
