"""The e-mail of a notification leaves in the worker, after the action's transaction commits."""

from __future__ import annotations

from django_tasks import task

from qiao.notifications import mail


@task()
def send_email(
    to: str, subject: str, body: str, html: str = "", headers: dict[str, str] | None = None
) -> None:
    mail.send_email(to=to, subject=subject, body=body, html=html, headers=headers)
