"""Background work: just another interface onto the same code."""

from __future__ import annotations

from django_tasks import task

from qiao.training import emails
from qiao.training.models import Enrolment


@task()
def send_decision_email(enrolment_id: int) -> None:
    enrolment = Enrolment.objects.select_related("cohort", "user").get(pk=enrolment_id)
    emails.send_decision_email(enrolment)
