"""Writes of saved searches and the alert run. Alert e-mails are written in the recipient's
preferred language and carry a signed unsubscribe link that works without logging in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.alerts import selectors
from qiao.alerts.models import AlertDelivery, Frequency, SavedSearch
from qiao.core.errors import NotAllowed
from qiao.core.languages import ContentLanguage
from qiao.exchange.models import DevelopmentStage, Profile, ProfileKind, Sector
from qiao.notifications.services import notify
from qiao.organizations.models import Country

if TYPE_CHECKING:
    from qiao.accounts.models import User

UNSUBSCRIBE_SALT = "qiao.alerts.unsubscribe"
MAX_SAVED_SEARCHES = 50
# How long each frequency waits between two runs for the same search.
PERIOD = {
    Frequency.IMMEDIATE: timedelta(0),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}


@dataclass(frozen=True)
class SearchData:
    name: str
    query: str = ""
    kind: str = ""
    country: str = ""
    sector: str = ""
    stage: str = ""
    language: str = ""
    frequency: str = Frequency.DAILY


def check_search_data(data: SearchData) -> None:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("Please name the search.")
    for field, allowed in (
        ("kind", ProfileKind.values),
        ("country", Country.values),
        ("stage", DevelopmentStage.values),
        ("language", ContentLanguage.values),
        ("frequency", Frequency.values),
    ):
        value = getattr(data, field)
        if value and value not in allowed:
            errors[field] = _("Select a valid choice.")
    if data.sector and not Sector.objects.filter(code=data.sector).exists():
        errors["sector"] = _("Select a valid choice.")
    if len(data.query) > 500:
        errors["query"] = _("At most %(max)d characters, please.") % {"max": 500}
    if errors:
        raise ValidationError(errors)


def saved_search_create(*, actor: User, data: SearchData) -> SavedSearch:
    if not (actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Log in to save a search."))
    check_search_data(data)
    with transaction.atomic():
        if SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                _("You can keep at most %(max)d saved searches.") % {"max": MAX_SAVED_SEARCHES}
            )
        return SavedSearch.objects.create(
            user=actor,
            name=data.name.strip(),
            query=data.query.strip(),
            kind=data.kind,
            country=data.country,
            sector=data.sector,
            stage=data.stage,
            language=data.language,
            frequency=data.frequency,
            # Alerts are about what is published from now on.
            checked_until=timezone.now(),
        )


def _require_owner(actor: User, search: SavedSearch) -> None:
    from qiao.alerts.permissions import can_manage_saved_search

    if not can_manage_saved_search(actor, search):
        raise NotAllowed(_("This is not your saved search."))


def saved_search_set_alerts(
    *, actor: User, search: SavedSearch, frequency: str, active: bool
) -> SavedSearch:
    _require_owner(actor, search)
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Select a valid choice.")})
    search.frequency = frequency
    if active and not search.active:
        # Switching alerts back on must not mail everything published meanwhile.
        search.checked_until = timezone.now()
    search.active = active
    search.save(update_fields=["frequency", "active", "checked_until", "updated_at"])
    return search


def saved_search_delete(*, actor: User, search: SavedSearch) -> None:
    _require_owner(actor, search)
    search.delete()


def unsubscribe_token(search: SavedSearch) -> str:
    return signing.dumps(search.pk, salt=UNSUBSCRIBE_SALT)


def saved_search_from_token(token: str) -> SavedSearch | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return SavedSearch.objects.filter(pk=pk).select_related("user").first()


def saved_search_unsubscribe(*, token: str) -> SavedSearch | None:
    """Turn the search's alerts off; None when the link is forged or the search is gone."""
    search = saved_search_from_token(token)
    if search is not None and search.active:
        search.active = False
        search.save(update_fields=["active", "updated_at"])
    return search


def _absolute(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def render_alert(search: SavedSearch, profiles: list[Profile]) -> tuple[str, str, str]:
    """(subject, text, html) in the recipient's preferred language."""
    unsubscribe_url = _absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(search)]))
    context = {
        "search": search,
        "recipient": search.user,
        "profiles": [(p, _absolute(reverse("exchange:profile", args=[p.pk]))) for p in profiles],
        "unsubscribe_url": unsubscribe_url,
        "searches_url": _absolute(reverse("alerts:list")),
    }
    with translation.override(search.user.preferred_language):
        subject = render_to_string("alerts/email/alert_subject.txt", context)
        text = render_to_string("alerts/email/alert.txt", context)
        html = render_to_string("alerts/email/alert.html", context)
    return " ".join(subject.split()), text, html


def _send_alert(search: SavedSearch, profiles: list[Profile]) -> None:
    """Sent inside the claiming transaction: a failed send rolls the claim (and the in-app
    notification) back, so the next run retries instead of losing the alert."""
    subject, text, html = render_alert(search, profiles)
    unsubscribe_url = _absolute(reverse("alerts:unsubscribe", args=[unsubscribe_token(search)]))
    about = (
        reverse("exchange:profile", args=[profiles[0].pk])
        if len(profiles) == 1
        else reverse("alerts:list")
    )
    notify(
        recipient=search.user,
        subject=subject,
        body=text,
        url=about,
        html=html,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        email_now=True,
    )


def alerts_send(*, frequency: str, now: datetime | None = None) -> int:
    """Send the alerts of one frequency that are due; returns the number of e-mails.

    Run `manage.py send_alerts --frequency immediate` every few minutes, `daily` daily and
    `weekly` weekly (cron or the task worker). Profiles published in the last
    QIAO_ALERT_GRACE_SECONDS wait for the next run, so the search index already holds them.
    """
    if frequency not in Frequency.values:
        raise ValueError(f"unknown frequency {frequency!r}; use one of {Frequency.values}")
    now = now or timezone.now()
    until = now - timedelta(seconds=settings.QIAO_ALERT_GRACE_SECONDS)
    due = SavedSearch.objects.filter(
        active=True,
        frequency=frequency,
        checked_until__lte=until - PERIOD[Frequency(frequency)],
        user__is_active=True,
    ).select_related("user")
    sent = 0
    for search in due:
        found = selectors.new_profiles_for(search, since=search.checked_until, until=until)
        with transaction.atomic():
            # Claim the window: a concurrent run then finds nothing due. A failed send rolls
            # the claim back, so the next run retries instead of losing the alert. The claim
            # also locks the row against the immediate alert of alerts_send_for_profile.
            delivered = set(
                AlertDelivery.objects.filter(
                    search=search, profile__in=[p.pk for p in found]
                ).values_list("profile_id", flat=True)
            )
            profiles = [p for p in found if p.pk not in delivered]
            claimed = SavedSearch.objects.filter(
                pk=search.pk, checked_until=search.checked_until
            ).update(checked_until=until, last_sent_at=now if profiles else search.last_sent_at)
            if claimed and profiles and search.user.email:
                AlertDelivery.objects.bulk_create(
                    [AlertDelivery(search=search, profile=p, sent_at=now) for p in profiles]
                )
                _send_alert(search, profiles)
                sent += 1
    return sent


def alerts_send_for_profile(*, profile_id: int, now: datetime | None = None) -> int:
    """Send the "immediate" alerts a newly published profile triggers; returns the number of
    e-mails. Runs as a background task once the index holds the profile (see AlertsConfig);
    the scheduled `send_alerts --frequency immediate` run remains as a catch-up and never
    sends the same profile to the same search twice."""
    from qiao.exchange.models import Profile, ProfileStatus

    profile = Profile.objects.filter(pk=profile_id, status=ProfileStatus.PUBLISHED).first()
    if profile is None or profile.published_at is None:
        return 0
    now = now or timezone.now()
    candidates = SavedSearch.objects.filter(
        active=True,
        frequency=Frequency.IMMEDIATE,
        user__is_active=True,
        # Searches whose scheduled run already covered the profile's publication had their
        # chance; an edit of an old profile is no news.
        checked_until__lt=profile.published_at,
    ).select_related("user")
    sent = 0
    for search in candidates:
        if not search.user.email or not selectors.search_finds(search, profile):
            continue
        with transaction.atomic():
            locked = SavedSearch.objects.select_for_update().filter(pk=search.pk).first()
            if locked is None or not locked.active or locked.checked_until >= profile.published_at:
                continue
            if AlertDelivery.objects.filter(search=search, profile=profile).exists():
                continue
            AlertDelivery.objects.create(search=search, profile=profile, sent_at=now)
            SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=now)
            _send_alert(search, [profile])
            sent += 1
    return sent
