"""Published internship and job postings ("posting:5") and every talent profile ("talent:3"),
in one engine so that either side ranks the other. Who may see a talent profile is decided
at query time: selectors pass the visible ids as a filter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from matching import Document
from qiao.careers.models import Posting, PostingStatus, TalentProfile
from qiao.search.collections.base import Collection, batched, register

NAME = "careers"
POSTING = "posting"
TALENT = "talent"


def posting_key(pk: int) -> str:
    return f"{POSTING}:{pk}"


def talent_key(pk: int) -> str:
    return f"{TALENT}:{pk}"


def pk_of(key: str) -> int:
    return int(key.split(":", 1)[1])


def posting_document(posting: Posting) -> Document:
    return Document(
        id=posting_key(posting.pk),
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
            "id": frozenset({posting_key(posting.pk)}),
            "posting_kind": frozenset({posting.kind}),
            "country": frozenset({posting.country}),
            "language": frozenset({posting.language}),
        },
    )


def talent_document(profile: TalentProfile) -> Document:
    return Document(
        id=talent_key(profile.pk),
        language=profile.language,  # type: ignore[arg-type]
        fields={
            "headline": profile.headline,
            "specialty": profile.specialty,
            "skills": ", ".join(str(s) for s in profile.skills),
            "experience": profile.experience,
        },
        attributes={
            "kind": frozenset({TALENT}),
            "id": frozenset({talent_key(profile.pk)}),
            "study_level": frozenset({profile.study_level}),
            "language": frozenset({profile.language}),
        },
    )


@register
class Careers(Collection):
    name = NAME

    def sources(self) -> Iterator[list[str]]:
        postings = Posting.objects.filter(status=PostingStatus.PUBLISHED).order_by("pk")
        talents = TalentProfile.objects.order_by("pk")
        yield from batched(posting_key(pk) for pk in postings.values_list("pk", flat=True))
        yield from batched(talent_key(pk) for pk in talents.values_list("pk", flat=True))

    def documents(self, sources: Sequence[str]) -> dict[str, list[Document]]:
        wanted = {POSTING: [], TALENT: []}  # type: dict[str, list[int]]
        for source in sources:
            kind, _, pk = source.partition(":")
            wanted[kind].append(int(pk))
        found: dict[str, list[Document]] = {}
        published = Posting.objects.filter(pk__in=wanted[POSTING], status=PostingStatus.PUBLISHED)
        found.update({posting_key(p.pk): [posting_document(p)] for p in published})
        talents = TalentProfile.objects.filter(pk__in=wanted[TALENT])
        found.update({talent_key(p.pk): [talent_document(p)] for p in talents})
        return {s: found.get(s, []) for s in sources}

    def indexed(self, sources: Sequence[str]) -> None:
        """Re-match the talent pool against each published posting (pool_rematch_posting
        skips one that is not published)."""
        from qiao.careers.pool import pool_rematch_posting

        for source in sources:
            if source.startswith(POSTING + ":"):
                pool_rematch_posting(posting_id=pk_of(source))
