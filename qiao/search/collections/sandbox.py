"""The simulation's fictitious offers ("sandbox-offer:7"), one source per assignment pool
("4"), filtered by assignment at query time. A collection of its own: a simulation can
neither read nor write live profiles."""

from __future__ import annotations

from django.db.models import QuerySet

from matching import Document
from qiao.search.collections.base import RecordCollection, register
from qiao.training.models import Assignment, SandboxOffer

NAME = "sandbox"


def offer_document(offer: SandboxOffer) -> Document:
    return Document(
        id=f"sandbox-offer:{offer.pk}",
        language=offer.language,  # type: ignore[arg-type]
        fields={"title": offer.title, "summary": offer.summary},
        attributes={"assignment": frozenset({str(offer.assignment_id)})},
    )


def offer_pk_of(doc_id: str) -> int:
    return int(doc_id.split(":")[1])


@register
class Sandbox(RecordCollection):
    name = NAME

    def indexable(self) -> QuerySet[Assignment]:
        with_offers = Assignment.objects.filter(offers__isnull=False).distinct()
        return with_offers.prefetch_related("offers")

    def to_documents(self, record: Assignment) -> list[Document]:
        return [offer_document(o) for o in sorted(record.offers.all(), key=lambda o: o.pk)]
