"""Writes to accounts: self-service sign-up of students and graduates; API tokens."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from qiao.accounts.models import Role, User
from qiao.core.errors import ServiceError


def student_register(
    *, email: str, password: str, preferred_language: str, first_name: str, last_name: str
) -> User:
    """Create a student account. The e-mail address doubles as the user name, so a student
    logs in with what they remember; the form has already checked it is free."""
    address = email.strip().lower()
    with transaction.atomic():
        user = User(
            username=address,
            email=address,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            role=Role.STUDENT,
            preferred_language=preferred_language,
            organization=None,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
    return user


# --- API tokens (django-rest-knox: stored hashed; the key's first characters name it) ------


def api_tokens_live(*, user: User) -> QuerySet[AuthToken]:
    """The user's tokens that still authenticate, newest first."""
    tokens: QuerySet[AuthToken] = (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .order_by("-created")
    )
    return tokens


def api_token_issue(*, user: User) -> tuple[str, datetime | None]:
    """A new token for the user (shown once: only its hash is kept) and when it expires."""
    with transaction.atomic():
        # Expired tokens no longer count against the limit.
        AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        limit = settings.QIAO_API_TOKENS_PER_USER
        if api_tokens_live(user=user).count() >= limit:
            raise ServiceError(
                _(
                    "You already have %(limit)d API tokens. Revoke one you no longer use on "
                    "your account's API tokens page, then ask again."
                )
                % {"limit": limit}
            )
        instance, token = AuthToken.objects.create(user=user)
    return token, instance.expiry


def api_token_revoke(*, actor: User, token_key: str) -> bool:
    """Revoke one of the actor's own tokens; False when the actor has none by that key."""
    deleted: int = AuthToken.objects.filter(user=actor, token_key=token_key).delete()[0]
    return deleted > 0
