"""A deleted certificate takes its PDF with it: the file carries the holder's name, and
deleting an account (which cascades to its enrolments and certificates) must not leave it
behind in private storage."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from qiao.assessment.models import Certificate


@receiver(post_delete, sender=Certificate, dispatch_uid="assessment.certificate_pdf_cleanup")
def delete_certificate_pdf(sender: type[Certificate], instance: Certificate, **kwargs: Any) -> None:
    name = instance.pdf.name
    if not name:
        return
    storage = instance.pdf.storage
    # After commit: a rolled-back deletion keeps its file.
    transaction.on_commit(lambda: storage.delete(name))
