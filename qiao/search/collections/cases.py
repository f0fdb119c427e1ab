"""Published teaching cases, one document per language version ("case:3:zh"), so a query in
any language finds the case through whichever version fits it best. Source: "3"."""

from __future__ import annotations

from django.db.models import QuerySet

from matching import Document
from qiao.search.collections.base import RecordCollection, register
from qiao.training.models import Case, CaseText

NAME = "cases"


def case_document(text: CaseText, lessons: str) -> Document:
    return Document(
        id=f"case:{text.case_id}:{text.language}",
        language=text.language,  # type: ignore[arg-type]
        fields={
            "title": text.title,
            "technology": text.technology,
            "background": text.background,
            "parties": text.parties,
            "obstacles": text.obstacles,
            "outcome": text.outcome,
            "tags": lessons,
        },
        attributes={"language": frozenset({text.language})},
    )


def case_pk_of(doc_id: str) -> int:
    return int(doc_id.split(":")[1])


@register
class Cases(RecordCollection):
    name = NAME

    def indexable(self) -> QuerySet[Case]:
        return Case.objects.filter(published=True).prefetch_related("texts")

    def to_documents(self, record: Case) -> list[Document]:
        texts = sorted(record.texts.all(), key=lambda t: t.language)
        return [case_document(t, record.lessons) for t in texts]
