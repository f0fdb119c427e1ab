from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A business rule refused the action; the message is translated and safe to show."""


class NotAllowed(PermissionDenied):
    """The acting user may not do this."""
