"""E-mails of the careers app, each rendered in its recipient's preferred language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from qiao.accounts.models import User


def send_to(user: User, template: str, context: dict[str, Any]) -> bool:
    """Render careers/email/<template>_subject.txt and _body.txt in the user's language."""
    if not user.email or not user.is_active:
        return False
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        ctx = {**context, "recipient": user, "base_url": settings.BASE_URL.rstrip("/")}
        subject = render_to_string(f"careers/email/{template}_subject.txt", ctx)
        body = render_to_string(f"careers/email/{template}_body.txt", ctx)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True


def send_to_all(users: Iterable[User], template: str, context: dict[str, Any]) -> int:
    return sum(1 for user in users if send_to(user, template, context))
