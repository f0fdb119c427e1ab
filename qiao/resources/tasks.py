"""Background work: just another interface onto the same code."""

from __future__ import annotations

from django_tasks import task

from qiao.resources import emails
from qiao.resources.models import Authorship


@task()
def send_invitation_email(authorship_id: int) -> None:
    authorship = Authorship.objects.select_related("resource", "user", "invited_by").get(
        pk=authorship_id
    )
    emails.send_invitation_email(authorship)
