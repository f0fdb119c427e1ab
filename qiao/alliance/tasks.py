"""Background work: just another interface onto the same code."""

from __future__ import annotations

from django_tasks import task

from qiao.alliance import emails
from qiao.alliance.models import MembershipApplication


@task()
def send_application_email(application_id: int, kind: str) -> None:
    application = MembershipApplication.objects.get(pk=application_id)
    emails.send_application_email(application, kind)
