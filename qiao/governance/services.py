"""Writes to governance records: append-only. Each service checks permission, validates and
writes atomically; version and decision numbers are assigned under a lock."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from qiao.core.errors import NotAllowed, ServiceError
from qiao.governance import permissions
from qiao.governance.models import (
    RECORD_MODELS,
    SINGLE_HOLDER,
    CharterVersion,
    Correction,
    CouncilTerm,
    Decision,
    ExpertMember,
    GoverningMeeting,
    MinutesVersion,
    VoteResult,
    Votes,
)

if TYPE_CHECKING:
    from qiao.accounts.models import User


def _require(actor: User) -> None:
    if not permissions.can_record(actor):
        raise NotAllowed(_("Only the secretariat records governance."))


def check_votes(record: Votes) -> None:
    """An adopted text needs more votes for than against; a rejected one does not have them."""
    adopted = record.votes_for > record.votes_against
    if record.result == VoteResult.ADOPTED and not adopted:
        raise ValidationError({"result": _("Adopted needs more votes for than against.")})
    if record.result == VoteResult.REJECTED and adopted:
        raise ValidationError({"result": _("More votes for than against: the result is adopted.")})


def charter_version_add(*, actor: User, version: CharterVersion) -> CharterVersion:
    _require(actor)
    check_votes(version)
    with transaction.atomic():
        # Lock the table's latest row so two secretaries cannot take the same number.
        latest = CharterVersion.objects.select_for_update().order_by("-version").first()
        version.version = (latest.version if latest else 0) + 1
        version.recorded_by = actor
        version.full_clean()
        version.save()
    return version


def council_appoint(*, actor: User, term: CouncilTerm) -> CouncilTerm:
    """Appoint a holder; for a single-holder position the current term ends the day the new
    one starts (kept in the history, not overwritten)."""
    _require(actor)
    with transaction.atomic():
        if term.position in SINGLE_HOLDER:
            for current in CouncilTerm.objects.select_for_update().filter(
                position=term.position, ends_on__isnull=True
            ):
                if current.starts_on > term.starts_on:
                    raise ServiceError(
                        _("The new term cannot start before the current holder's term began.")
                    )
                current.ends_on = term.starts_on
                current.save(update_fields=["ends_on"])
        term.ends_on = None
        term.full_clean()
        term.save()
    return term


def council_term_end(*, actor: User, term: CouncilTerm, ends_on: date) -> CouncilTerm:
    _require(actor)
    with transaction.atomic():
        locked = CouncilTerm.objects.select_for_update().get(pk=term.pk)
        if locked.ends_on is not None:
            raise ServiceError(_("This term has already ended."))
        if ends_on < locked.starts_on:
            raise ServiceError(_("A term cannot end before it starts."))
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
    return locked


def expert_add(*, actor: User, expert: ExpertMember) -> ExpertMember:
    _require(actor)
    with transaction.atomic():
        expert.ends_on = None
        expert.full_clean()
        expert.save()
    return expert


def expert_end(*, actor: User, expert: ExpertMember, ends_on: date) -> ExpertMember:
    _require(actor)
    with transaction.atomic():
        locked = ExpertMember.objects.select_for_update().get(pk=expert.pk)
        if locked.ends_on is not None:
            raise ServiceError(_("This membership has already ended."))
        if ends_on < locked.starts_on:
            raise ServiceError(_("A term cannot end before it starts."))
        locked.ends_on = ends_on
        locked.save(update_fields=["ends_on"])
    return locked


def meeting_create(*, actor: User, meeting: GoverningMeeting) -> GoverningMeeting:
    _require(actor)
    with transaction.atomic():
        meeting.full_clean()
        meeting.save()
    return meeting


def minutes_add(*, actor: User, minutes: MinutesVersion) -> MinutesVersion:
    """A new version of the minutes; earlier versions stay readable."""
    _require(actor)
    with transaction.atomic():
        meeting = GoverningMeeting.objects.select_for_update().get(pk=minutes.meeting_id)
        latest = meeting.minutes.aggregate(n=Max("version"))["n"] or 0
        minutes.version = latest + 1
        minutes.recorded_by = actor
        minutes.full_clean()
        minutes.save()
    return minutes


def decision_add(*, actor: User, decision: Decision) -> Decision:
    _require(actor)
    check_votes(decision)
    with transaction.atomic():
        meeting = GoverningMeeting.objects.select_for_update().get(pk=decision.meeting_id)
        latest = meeting.decisions.aggregate(n=Max("number"))["n"] or 0
        decision.number = latest + 1
        decision.recorded_by = actor
        decision.full_clean()
        decision.save()
    return decision


# What a correction may change, per kind of record. Never the numbers (charter version,
# decision), the meeting a record belongs to, a council position or the end of a term: those
# have their own services, which keep the history in their own way.
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "charter": (
        "text_zh", "text_ru", "text_en", "vote_date",
        "votes_for", "votes_against", "votes_abstained", "result",
    ),
    "council": ("holder_name", "organization", "starts_on"),
    "expert": ("name", "organization", "field_zh", "field_ru", "field_en", "starts_on"),
    "meeting": (
        "kind", "held_on", "venue", "title_zh", "title_ru", "title_en",
        "agenda_zh", "agenda_ru", "agenda_en",
    ),
    "decision": (
        "text_zh", "text_ru", "text_en",
        "votes_for", "votes_against", "votes_abstained", "result",
    ),
}  # fmt: skip


def _as_text(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name)
        if related is None:
            return ""
        return str(related.display_name()) if hasattr(related, "display_name") else str(related)
    value = getattr(record, name)
    return (
        "" if value is None else (value.isoformat() if hasattr(value, "isoformat") else str(value))
    )


def kind_of(record: models.Model) -> str:
    return next(kind for kind, model in RECORD_MODELS.items() if isinstance(record, model))


def record_correct(*, actor: User, record: models.Model, reason: str) -> Correction:
    """Correct a governance record in place and keep what it said before, who corrected it,
    when and why, as a Correction: the history is never lost."""
    _require(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the correction.")})
    kind = kind_of(record)
    if isinstance(record, Votes):
        check_votes(record)
    for name in CORRECTABLE[kind]:
        value = getattr(record, name)
        if isinstance(value, str):  # browsers send CRLF line ends from text areas
            setattr(record, name, value.replace("\r\n", "\n"))
    with transaction.atomic():
        stored = type(record)._default_manager.select_for_update().get(pk=record.pk)
        changed = {
            name: _as_text(stored, name)
            for name in CORRECTABLE[kind]
            if getattr(stored, name) != getattr(record, name)
        }
        if not changed:
            raise ServiceError(_("Nothing was changed."))
        for name in changed:
            setattr(stored, name, getattr(record, name))
        stored.full_clean()
        stored.save()
        return Correction.objects.create(
            kind=kind, record_id=stored.pk, previous=changed, reason=reason, recorded_by=actor
        )
