"""E-mails of the careers app, each rendered in its recipient's preferred language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qiao.notifications.services import notify

if TYPE_CHECKING:
    from qiao.accounts.models import User


def send_to(user: User, template: str, context: dict[str, Any], *, url: str) -> bool:
    """Render careers/email/<template>_subject.txt and _body.txt in the user's language and
    tell the user (in the app now, by e-mail after commit); `url` is what it is about."""
    if not user.is_active:
        return False
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        ctx = {**context, "recipient": user, "base_url": settings.BASE_URL.rstrip("/")}
        subject = render_to_string(f"careers/email/{template}_subject.txt", ctx)
        body = render_to_string(f"careers/email/{template}_body.txt", ctx)
    notify(recipient=user, subject=" ".join(subject.split()), body=body, url=url)
    return True


def send_to_all(users: Iterable[User], template: str, context: dict[str, Any], *, url: str) -> int:
    return sum(1 for user in users if send_to(user, template, context, url=url))
