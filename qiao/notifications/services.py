"""Telling people things: every e-mail the platform sends goes through here.

`notify` writes the in-app notification in the caller's transaction (so it exists exactly when
the action that caused it does) and sends the e-mail only once that transaction commits, from
the worker. `send_email_later` is for addresses that are not (yet) an account: an alliance
applicant, a survey respondent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from qiao.notifications import mail
from qiao.notifications.models import Notification

if TYPE_CHECKING:
    from qiao.accounts.models import User


def send_email_later(
    *, to: str, subject: str, body: str, html: str = "", headers: dict[str, str] | None = None
) -> None:
    from qiao.notifications.tasks import send_email

    transaction.on_commit(
        lambda: send_email.enqueue(to, subject, body, html, headers),
    )


def notify(
    *,
    recipient: User,
    subject: str,
    body: str,
    url: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
    email_now: bool = False,
    by_email: bool = True,
) -> Notification | None:
    """Tell one user: a notification now, the same text by e-mail after commit. The caller
    renders subject and body in the recipient's language. `url` may be absolute (as in the
    e-mail); the notification keeps its path. Inactive accounts are told nothing.

    `email_now` sends the e-mail at once, inside the caller's transaction, for a caller whose
    transaction must roll back when the mail server refuses (saved-search alerts retry so);
    `by_email=False` only when the caller has e-mailed the same news another way."""
    if not recipient.is_active:
        return None
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    notification = Notification.objects.create(
        recipient=recipient, subject=subject[:300], body=body.strip(), url=path[:500]
    )
    if by_email and recipient.email:
        send = mail.send_email if email_now else send_email_later
        send(to=recipient.email, subject=subject, body=body, html=html, headers=headers)
    return notification


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first: nobody reads another's."""
    return Notification.objects.filter(recipient=user)


def unread_count(*, user: User) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def notification_open(*, user: User, pk: int) -> Notification:
    """Mark one of the user's notifications read and return it (404 for anyone else's)."""
    notification = notifications_of(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return notifications_of(user=user).filter(read_at__isnull=True).update(read_at=timezone.now())
