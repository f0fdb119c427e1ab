"""Background work: just another interface onto the same code."""

from __future__ import annotations

from django_tasks import task

from qiao.training import emails
from qiao.training.models import Enrolment


@task()
def send_decision_email(enrolment_id: int) -> None:
    enrolment = Enrolment.objects.select_related("cohort", "user").get(pk=enrolment_id)
    emails.send_decision_email(enrolment)


@task()
def index_case(case_id: int) -> int:
    from qiao.training.engine import index_case as index

    return index(case_id)


@task()
def index_sandbox(assignment_id: int) -> int:
    from qiao.training.sandbox import index_assignment

    return index_assignment(assignment_id)
