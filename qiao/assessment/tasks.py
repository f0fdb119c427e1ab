"""Background work: just another interface onto the same services."""

from __future__ import annotations

from django_tasks import task

from qiao.assessment import emails, services
from qiao.assessment.models import Certificate


@task()
def render_and_announce_certificate(certificate_id: int) -> None:
    """Make the PDF of a newly issued certificate, then tell its holder it is ready."""
    certificate = Certificate.objects.select_related("enrolment__user").get(pk=certificate_id)
    if certificate.revoked_at is not None:
        return
    certificate = services.certificate_render(certificate=certificate)
    emails.send_certificate_email(certificate)
