"""Shared teaching resources that are not withdrawn, one document per language the resource
is written or translated in ("12:ru"), so a query finds it through whichever fits best."""

from __future__ import annotations

from django.db.models import QuerySet

from matching import Document
from qiao.resources.models import Resource
from qiao.search.collections.base import RecordCollection, register

NAME = "resources"


def resource_documents(resource: Resource) -> list[Document]:
    return [
        Document(
            id=f"{resource.pk}:{code}",
            language=code,  # type: ignore[arg-type]
            fields={"title": title, "description": description},
            attributes={"resource": frozenset({str(resource.pk)})},
        )
        for code, (title, description) in sorted(resource.texts().items())
    ]


def resource_pk_of(doc_id: str) -> int:
    return int(doc_id.split(":")[0])


@register
class Resources(RecordCollection):
    name = NAME

    def indexable(self) -> QuerySet[Resource]:
        return Resource.objects.filter(withdrawn_at__isnull=True)

    def to_documents(self, record: Resource) -> list[Document]:
        return resource_documents(record)
