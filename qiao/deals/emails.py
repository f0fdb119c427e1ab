"""E-mails of the broker workspace, each in its recipient's preferred language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qiao.notifications.services import notify

if TYPE_CHECKING:
    from qiao.accounts.models import User


def absolute_url(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def render_email(template: str, recipient: User, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of deals/email/<template>, rendered in the recipient's language."""
    with translation.override(recipient.preferred_language):
        ctx = {**context, "recipient": recipient}
        subject = render_to_string(f"deals/email/{template}_subject.txt", ctx)
        body = render_to_string(f"deals/email/{template}.txt", ctx)
    return " ".join(subject.split()), body


def send_to(users: Iterable[User], template: str, context: dict[str, Any]) -> int:
    """Tell each active user once (in the app now, by e-mail after commit); returns how many."""
    told = 0
    seen: set[int] = set()
    for user in users:
        if not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        subject, body = render_email(template, user, context)
        notify(recipient=user, subject=subject, body=body, url=context.get("url", ""))
        told += 1
    return told
