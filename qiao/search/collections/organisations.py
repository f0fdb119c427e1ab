"""Organisations that describe themselves ("5"), for meeting-partner suggestions at events:
ranked by their descriptions in whatever language each wrote."""

from __future__ import annotations

from django.db.models import QuerySet

from matching import Document
from qiao.organizations.models import Organization
from qiao.search.collections.base import RecordCollection, register

NAME = "organisations"


def organisation_document(organization: Organization) -> Document:
    language = organization.description_language or "en"
    names = organization.names()
    # The name in the description's language, else any: never the reader's UI language, so
    # every process stores the same document.
    name = names.get(language) or next((n for n in names.values() if n), "")
    return Document(
        id=str(organization.pk),
        language=language,  # type: ignore[arg-type]
        fields={
            "name": name,
            "description": organization.description,
        },
        attributes={"id": frozenset({str(organization.pk)})},
    )


@register
class Organisations(RecordCollection):
    name = NAME

    def indexable(self) -> QuerySet[Organization]:
        return Organization.objects.exclude(description="")

    def to_documents(self, record: Organization) -> list[Document]:
        return [organisation_document(record)]
