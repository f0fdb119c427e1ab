"""Writes to accounts: self-service sign-up of students and graduates."""

from __future__ import annotations

from django.db import transaction

from qiao.accounts.models import Role, User


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
