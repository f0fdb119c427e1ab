"""The one place the platform hands an e-mail to Django's mail backend."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives


def send_email(
    *, to: str, subject: str, body: str, html: str = "", headers: dict[str, str] | None = None
) -> None:
    message = EmailMultiAlternatives(subject, body, to=[to], headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
