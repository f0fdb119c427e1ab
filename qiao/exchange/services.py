"""Writes to technology profiles and matches. Each service checks permission, validates,
writes atomically, records the audit event and schedules re-indexing after commit."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.core.errors import NotAllowed, ServiceError
from qiao.exchange import permissions
from qiao.exchange.models import (
    Match,
    MatchStatus,
    Profile,
    ProfileEvent,
    ProfileKind,
    ProfileStatus,
    Sector,
)
from qiao.search.collections import profiles as profiles_collection
from qiao.search.selectors import detect_language
from qiao.search.services import search_request

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.organizations.models import Organization


# Limits shared by the form, the API and the importer.
MAX_KEYWORDS = 12
MAX_KEYWORD_CHARS = 64


@dataclass(frozen=True)
class ProfileData:
    """Validated profile fields, as produced by the form, the API serializer or the importer."""

    kind: str
    language: str
    title: str
    summary: str
    description: str
    development_stage: str
    ipr_status: str
    advantages: str = ""
    technical_specification: str = ""
    sectors: tuple[Sector, ...] = ()
    keywords: tuple[str, ...] = ()
    partnership_types: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    # None keeps the stored value (the importer and older API clients do not send them).
    interest_open: bool | None = None
    anonymous: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_TEXT_FIELDS = (
    "kind",
    "language",
    "title",
    "summary",
    "description",
    "development_stage",
    "ipr_status",
    "advantages",
    "technical_specification",
)


def _apply(profile: Profile, data: ProfileData) -> None:
    for name in _TEXT_FIELDS:
        setattr(profile, name, getattr(data, name))
    profile.keywords = list(data.keywords)
    profile.partnership_types = list(data.partnership_types)
    profile.target_countries = list(data.target_countries)
    if data.interest_open is not None:
        profile.interest_open = data.interest_open
    if data.anonymous is not None:
        profile.anonymous = data.anonymous


def check_profile_language(data: ProfileData) -> None:
    """The declared language must be the one the text is written in."""
    detected = detect_language(f"{data.title}\n{data.summary}\n{data.description}")
    if detected is None:
        raise ValidationError(
            {"language": _("The text must be written in Chinese, Russian or English.")}
        )
    if detected != data.language:
        raise ValidationError(
            {
                "language": _(
                    "The text looks like %(detected)s but the language is set to %(declared)s."
                )
                % {"detected": _language_name(detected), "declared": _language_name(data.language)}
            }
        )


def _language_name(code: str) -> str:
    from qiao.core.languages import ContentLanguage

    return str(ContentLanguage(code).label) if code in ContentLanguage.values else code


def _record(profile: Profile, actor: User | None, from_status: str, note: str = "") -> None:
    ProfileEvent.objects.create(
        profile=profile,
        actor=actor,
        from_status=from_status,
        to_status=profile.status,
        note=note,
    )


_deferred = threading.local()


@contextmanager
def deferred_indexing() -> Iterator[list[int]]:
    """Bulk writes (import, demo data): collect the profiles to index and ask for them in one
    outbox write at the end, instead of one per profile. Nested calls add to the outermost
    collection. Yields the ids."""
    outer: list[int] | None = getattr(_deferred, "ids", None)
    if outer is not None:
        yield outer
        return
    ids: list[int] = []
    _deferred.ids = ids
    try:
        yield ids
    finally:
        _deferred.ids = None
    if ids:
        search_request(collection=profiles_collection.NAME, sources=[str(pk) for pk in ids])


def _schedule_indexing(profile: Profile) -> None:
    """In the transaction that changed the profile: the index request commits with it."""
    deferred: list[int] | None = getattr(_deferred, "ids", None)
    if deferred is not None:
        deferred.append(profile.pk)
        return
    search_request(collection=profiles_collection.NAME, sources=[str(profile.pk)])


def profile_create(*, actor: User, organization: Organization, data: ProfileData) -> Profile:
    if not permissions.can_manage_organization_profiles(actor, organization):
        raise NotAllowed(_("You may not create profiles for this organisation."))
    check_profile_language(data)
    profile = Profile(organization=organization, created_by=actor, status=ProfileStatus.DRAFT)
    _apply(profile, data)
    with transaction.atomic():
        profile.full_clean(exclude=["sectors"])
        profile.save()
        profile.sectors.set(data.sectors)
        _record(profile, actor, "")
    return profile


def profile_update(*, actor: User, profile: Profile, data: ProfileData) -> Profile:
    if not permissions.can_edit_profile(actor, profile):
        raise NotAllowed(_("You may not edit this profile."))
    check_profile_language(data)
    _apply(profile, data)
    with transaction.atomic():
        profile.full_clean(exclude=["sectors"])
        profile.save()
        profile.sectors.set(data.sectors)
        if profile.status == ProfileStatus.PUBLISHED:
            _schedule_indexing(profile)
    return profile


def _transition(
    profile: Profile,
    *,
    actor: User | None,
    allowed_from: Iterable[str],
    to: str,
    note: str = "",
    **updates: Any,
) -> Profile:
    with transaction.atomic():
        locked = Profile.objects.select_for_update().get(pk=profile.pk)
        if locked.status not in allowed_from:
            raise ServiceError(
                _("This action is not possible while the profile is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        from_status = locked.status
        locked.status = to
        for name, value in updates.items():
            setattr(locked, name, value)
        locked.save()
        _record(locked, actor, from_status, note)
        # Entering or leaving "published" changes what the index must hold.
        if ProfileStatus.PUBLISHED in (from_status, to):
            _schedule_indexing(locked)
    profile.refresh_from_db()
    return profile


def profile_submit(*, actor: User, profile: Profile) -> Profile:
    if not permissions.can_edit_profile(actor, profile):
        raise NotAllowed(_("You may not submit this profile."))
    return _transition(
        profile,
        actor=actor,
        allowed_from=(ProfileStatus.DRAFT, ProfileStatus.REJECTED),
        to=ProfileStatus.SUBMITTED,
        submitted_at=timezone.now(),
        rejection_reason="",
    )


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.QIAO_PROFILE_VALIDITY_DAYS)


def profile_publish(*, actor: User, profile: Profile) -> Profile:
    if not permissions.can_review_profiles(actor):
        raise NotAllowed(_("Only technology managers and the secretariat may publish profiles."))
    now = timezone.now()
    return _transition(
        profile,
        actor=actor,
        allowed_from=(ProfileStatus.SUBMITTED,),
        to=ProfileStatus.PUBLISHED,
        published_at=now,
        expires_at=_expiry(now),
    )


def profile_reject(*, actor: User, profile: Profile, reason: str) -> Profile:
    if not permissions.can_review_profiles(actor):
        raise NotAllowed(_("Only technology managers and the secretariat may reject profiles."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    return _transition(
        profile,
        actor=actor,
        allowed_from=(ProfileStatus.SUBMITTED,),
        to=ProfileStatus.REJECTED,
        note=reason,
        rejection_reason=reason,
    )


def profile_renew(*, actor: User, profile: Profile) -> Profile:
    if not permissions.can_edit_profile(actor, profile):
        raise NotAllowed(_("You may not renew this profile."))
    return _transition(
        profile,
        actor=actor,
        allowed_from=(ProfileStatus.PUBLISHED, ProfileStatus.EXPIRED),
        to=ProfileStatus.PUBLISHED,
        expires_at=_expiry(timezone.now()),
    )


def profile_archive(*, actor: User, profile: Profile) -> Profile:
    if not permissions.can_edit_profile(actor, profile):
        raise NotAllowed(_("You may not archive this profile."))
    return _transition(
        profile,
        actor=actor,
        allowed_from=[s for s in ProfileStatus.values if s != ProfileStatus.ARCHIVED],
        to=ProfileStatus.ARCHIVED,
    )


def profiles_expire_due(*, now: datetime | None = None) -> int:
    """Expire published profiles whose validity ended; run daily by the worker or cron."""
    now = now or timezone.now()
    due = Profile.objects.filter(status=ProfileStatus.PUBLISHED, expires_at__lte=now)
    count = 0
    for profile in due:
        _transition(
            profile,
            actor=None,
            allowed_from=(ProfileStatus.PUBLISHED,),
            to=ProfileStatus.EXPIRED,
            note="expired",
        )
        count += 1
    return count


def match_set_status(*, actor: User, match: Match, side: str, status: str) -> Match:
    if side not in ("offer", "request"):
        raise ValidationError({"side": _("Unknown side.")})
    if status not in MatchStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not permissions.can_set_match_status(actor, match, side):
        raise NotAllowed(_("You may not change this match."))
    field_name = f"{side}_status"
    setattr(match, field_name, status)
    match.save(update_fields=[field_name, "updated_at"])
    return match


def side_for(profile: Profile) -> str:
    return "offer" if profile.kind == ProfileKind.OFFER else "request"
