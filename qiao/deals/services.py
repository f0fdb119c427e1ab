"""Writes of the broker workspace. Each service checks permission, validates, writes
atomically, records the audit event and sends its e-mails after commit."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.languages import content_language_for_ui
from qiao.deals import emails, permissions
from qiao.deals.models import (
    CLOSED_STAGES,
    OPEN_STAGES,
    STAGE_ORDER,
    AgreementType,
    ChecklistItem,
    Currency,
    Deal,
    DealDocument,
    DealEvent,
    DealEventKind,
    DealNote,
    DealStage,
    DealStep,
    Interest,
    InterestStatus,
    Pass,
    PassReason,
)
from qiao.deals.selectors import organization_contacts
from qiao.exchange.models import Profile

if TYPE_CHECKING:
    from qiao.accounts.models import User

MAX_MESSAGE_CHARS = 2000

# Extension → the magic bytes its content must start with (None: plain text, checked as UTF-8).
DOCUMENT_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain", None),
}


def _secretariat() -> list[User]:
    from qiao.accounts.models import Role, User

    return list(
        User.objects.filter(Q(role=Role.SECRETARIAT) | Q(is_superuser=True), is_active=True)
    )


def deciders_for(profile: Profile) -> list[User]:
    """The owner's technology manager, or the secretariat when the owner has none."""
    broker = profile.organization.broker
    if broker is not None and broker.is_broker:
        return [broker]
    return _secretariat()


def _message_language(text: str, actor: User) -> str:
    from qiao.search.selectors import detect_language

    return detect_language(text) or content_language_for_ui(actor.preferred_language)


# --- expressions of interest -----------------------------------------------------------------


def interest_express(*, actor: User, profile: Profile, message: str) -> Interest:
    if not permissions.can_express_interest(actor, profile):
        raise NotAllowed(_("You may not express interest in this profile."))
    message = message.strip()
    if not message:
        raise ValidationError({"message": _("Please write a short message to the owner.")})
    if len(message) > MAX_MESSAGE_CHARS:
        raise ValidationError(
            {"message": _("At most %(max)d characters, please.") % {"max": MAX_MESSAGE_CHARS}}
        )
    assert actor.organization_id is not None
    interest = Interest(
        profile=profile,
        organization_id=actor.organization_id,
        created_by=actor,
        message=message,
        language=_message_language(message, actor),
    )
    with transaction.atomic():  # the deciders' notifications exist exactly when the interest does
        try:
            with transaction.atomic():
                interest.save()
        except IntegrityError as duplicate:
            raise ServiceError(
                _("Your organisation has already expressed interest in this profile.")
            ) from duplicate
        url = emails.absolute_url(reverse("deals:interest", args=[interest.pk]))
        emails.send_to(
            deciders_for(profile), "interest_received", {"interest": interest, "url": url}
        )
    return interest


def interest_decide(
    *, actor: User, interest: Interest, approve: bool, reason: str = ""
) -> Interest:
    if not permissions.can_decide_interest(actor, interest):
        raise NotAllowed(_("Only the owner's technology manager or the secretariat may decide."))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Please give the reason for declining.")})
    with transaction.atomic():
        locked = Interest.objects.select_for_update().get(pk=interest.pk)
        if locked.status != InterestStatus.PENDING:
            raise ServiceError(_("This expression of interest has already been decided."))
        locked.status = InterestStatus.APPROVED if approve else InterestStatus.DECLINED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save()
        deal = deal_open(actor=actor, interest=locked) if approve else None
        interest.refresh_from_db()
        profile = interest.profile
        context: dict[str, Any] = {"interest": interest, "deal": deal}
        if deal is not None:
            context["url"] = emails.absolute_url(reverse("deals:deal", args=[deal.pk]))
            owner_contacts = organization_contacts(profile.organization_id)
            partner_contacts = organization_contacts(interest.organization_id)
            context["owner_contacts"] = owner_contacts
            context["partner_contacts"] = partner_contacts
            recipients = owner_contacts + partner_contacts + ([deal.broker] if deal.broker else [])
            emails.send_to(recipients, "introduction", context)
        else:
            context["url"] = emails.absolute_url(reverse("deals:interest", args=[interest.pk]))
            senders = [interest.created_by] if interest.created_by else []
            emails.send_to(senders, "interest_declined", context)
    return interest


def deal_open(*, actor: User, interest: Interest) -> Deal:
    """The deal of an approved introduction (interest_decide; the demo loader, which sends no
    e-mails)."""
    profile = interest.profile
    broker = profile.organization.broker
    if broker is None and actor.is_broker:
        broker = actor
    deal = Deal.objects.create(
        interest=interest,
        profile=profile,
        owner=profile.organization,
        partner=interest.organization,
        broker=broker,
        stage=DealStage.INTRODUCED,
        stage_entered_at=timezone.now(),
    )
    _event(deal, actor, DealEventKind.OPENED, new=DealStage.INTRODUCED)
    return deal


def pass_record(*, actor: User, profile: Profile, reason: str, comment: str = "") -> Pass:
    if not permissions.can_pass(actor, profile):
        raise NotAllowed(_("You may not pass on this profile."))
    if reason not in PassReason.values:
        raise ValidationError({"reason": _("Please choose a reason.")})
    comment = comment.strip()
    if reason == PassReason.OTHER and not comment:
        raise ValidationError({"comment": _("Please say briefly why.")})
    assert actor.organization_id is not None
    with transaction.atomic():
        before = (
            Pass.objects.select_for_update()
            .filter(profile=profile, organization_id=actor.organization_id)
            .values_list("reason", "comment")
            .first()
        )
        passed, _created = Pass.objects.update_or_create(
            profile=profile,
            organization_id=actor.organization_id,
            defaults={"reason": reason, "comment": comment, "created_by": actor},
        )
        if before != (reason, comment):
            # Reported back to the owner's representatives, without naming who passed (the
            # profile page shows the owner the same: counts per reason and the comments).
            from qiao.accounts.models import User

            recipients = list(
                User.objects.filter(organization_id=profile.organization_id, is_active=True)
            )
            url = emails.absolute_url(reverse("exchange:profile", args=[profile.pk]))
            context = {"passed": passed, "profile": profile, "url": url}
            emails.send_to(recipients, "pass_reported", context)
    return passed


# --- deals -----------------------------------------------------------------------------------


def _event(
    deal: Deal,
    actor: User | None,
    kind: str,
    *,
    old: str = "",
    new: str = "",
    step: ChecklistItem | None = None,
) -> None:
    DealEvent.objects.create(
        deal=deal, actor=actor, kind=kind, old_value=old[:300], new_value=new[:300], step=step
    )


def _require_manager(actor: User, deal: Deal) -> None:
    if not permissions.can_manage_deal(actor, deal):
        raise NotAllowed(_("Only the deal's technology manager or the secretariat may do this."))


def _require_open(deal: Deal) -> None:
    if deal.is_closed:
        raise ServiceError(_("This deal is closed."))


def open_required_steps(deal: Deal) -> list[ChecklistItem]:
    done = DealStep.objects.filter(deal=deal).values("item_id")
    return list(
        ChecklistItem.objects.filter(stage=deal.stage, required=True, active=True).exclude(
            pk__in=done
        )
    )


def next_stages(deal: Deal) -> list[str]:
    """Where the deal may go from here: the next stage, or closed (lost) from any open stage."""
    if deal.is_closed:
        return []
    index = STAGE_ORDER.index(deal.stage)
    following = STAGE_ORDER[index + 1]
    return [following] if following == DealStage.CLOSED_WON else [following, DealStage.CLOSED_LOST]


def deal_move(*, actor: User, deal: Deal, to_stage: str) -> Deal:
    _require_manager(actor, deal)
    with transaction.atomic():
        locked = Deal.objects.select_for_update().get(pk=deal.pk)
        _require_open(locked)
        if to_stage not in next_stages(locked):
            raise ValidationError({"stage": _("The deal cannot move to that stage from here.")})
        if to_stage != DealStage.CLOSED_LOST:
            missing = open_required_steps(locked)
            if missing:
                raise ServiceError(
                    _("Complete the required steps of this stage first: %(steps)s")
                    % {"steps": "; ".join(item.label() for item in missing)}
                )
            if locked.stage == DealStage.AGREEMENT and not locked.agreement_type:
                raise ServiceError(_("Record the agreement type before leaving this stage."))
        old = locked.stage
        locked.stage = to_stage
        locked.stage_entered_at = timezone.now()
        # A deadline belongs to the stage it was set for.
        locked.deadline = None
        locked.reminder_sent_for = None
        if to_stage in CLOSED_STAGES:
            locked.closed_at = locked.stage_entered_at
        locked.save()
        _event(locked, actor, DealEventKind.STAGE, old=old, new=to_stage)
    deal.refresh_from_db()
    return deal


def deal_set_step(*, actor: User, deal: Deal, item: ChecklistItem, done: bool) -> Deal:
    _require_manager(actor, deal)
    _require_open(deal)
    if item.stage != deal.stage or not item.active:
        raise ValidationError({"item": _("This step does not belong to the deal's stage.")})
    with transaction.atomic():
        if done:
            _step, created = DealStep.objects.get_or_create(
                deal=deal, item=item, defaults={"done_by": actor}
            )
        else:
            created = DealStep.objects.filter(deal=deal, item=item).delete()[0] > 0
        if created:
            _event(
                deal,
                actor,
                DealEventKind.STEP,
                old="" if done else item.label_en,
                new=item.label_en if done else "",
                step=item,
            )
    return deal


def deal_set_deadline(*, actor: User, deal: Deal, deadline: date | None) -> Deal:
    _require_manager(actor, deal)
    _require_open(deal)
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    with transaction.atomic():
        old = deal.deadline
        deal.deadline = deadline
        deal.reminder_sent_for = None
        deal.save(update_fields=["deadline", "reminder_sent_for", "updated_at"])
        _event(
            deal,
            actor,
            DealEventKind.DEADLINE,
            old=old.isoformat() if old else "",
            new=deadline.isoformat() if deadline else "",
        )
    return deal


def deal_set_agreement(
    *,
    actor: User,
    deal: Deal,
    agreement_type: str,
    value: Decimal | None,
    currency: str,
    signed_on: date | None,
) -> Deal:
    _require_manager(actor, deal)
    errors: dict[str, str] = {}
    if agreement_type not in AgreementType.values:
        errors["agreement_type"] = _("Please choose the agreement type.")
    if value is not None and value < 0:
        errors["agreement_value"] = _("The value cannot be negative.")
    if value is not None and currency not in Currency.values:
        errors["currency"] = _("Please choose the currency of the value.")
    if signed_on is not None and signed_on > timezone.localdate():
        errors["agreement_signed_on"] = _("The signing date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = _agreement_summary(deal)
        deal.agreement_type = agreement_type
        deal.agreement_value = value
        deal.currency = currency if value is not None else ""
        deal.agreement_signed_on = signed_on
        deal.full_clean()
        deal.save()
        _event(deal, actor, DealEventKind.AGREEMENT, old=old, new=_agreement_summary(deal))
    return deal


def _agreement_summary(deal: Deal) -> str:
    if not deal.agreement_type:
        return ""
    value = f" {deal.agreement_value} {deal.currency}" if deal.agreement_value is not None else ""
    signed = f" {deal.agreement_signed_on.isoformat()}" if deal.agreement_signed_on else ""
    return f"{deal.agreement_type}{value}{signed}"


def deal_add_note(*, actor: User, deal: Deal, text: str) -> DealNote:
    if not permissions.is_deal_party(actor, deal):
        raise NotAllowed(_("Only the deal's parties may add notes."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    if len(text) > 4000:
        raise ValidationError({"text": _("At most %(max)d characters, please.") % {"max": 4000}})
    with transaction.atomic():
        note = DealNote.objects.create(deal=deal, author=actor, text=text)
        _event(deal, actor, DealEventKind.NOTE, new=text[:80])
    return note


def check_document(upload: UploadedFile[Any]) -> tuple[str, str]:
    """(safe file name, content type), or a translated ValidationError."""
    name = PurePath(upload.name or "").name.strip()
    extension = PurePath(name).suffix.lower()
    if extension not in DOCUMENT_TYPES:
        raise ValidationError(
            {
                "file": _("Allowed file types: %(types)s.")
                % {"types": ", ".join(sorted(DOCUMENT_TYPES))}
            }
        )
    limit = settings.QIAO_DEAL_DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 2**20, 1)}}
        )
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, magic = DOCUMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if magic is None:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A cut inside a multi-byte character at the 4096th byte is still text.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationError(
                    {"file": _("The file's content does not match its type.")}
                ) from None
    elif not head.startswith(magic):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    return name[:200], content_type


def deal_add_document(*, actor: User, deal: Deal, upload: UploadedFile[Any]) -> DealDocument:
    if not permissions.is_deal_party(actor, deal):
        raise NotAllowed(_("Only the deal's parties may add documents."))
    name, content_type = check_document(upload)
    document = DealDocument(
        deal=deal, name=name, content_type=content_type, size=upload.size or 0, uploaded_by=actor
    )
    with transaction.atomic():
        # A random stored name: the original one is only metadata, never a path.
        document.file.save(f"{uuid.uuid4().hex}{PurePath(name).suffix.lower()}", upload, save=False)
        try:
            document.save()
            _event(deal, actor, DealEventKind.DOCUMENT, new=name)
        except Exception:
            document.file.delete(save=False)
            raise
    return document


def deals_send_reminders(*, now: datetime | None = None) -> int:
    """E-mail the technology manager of each open deal whose deadline is near or past, once
    per deadline. Run daily by `manage.py send_deal_reminders` or the task worker."""
    today = timezone.localdate(now or timezone.now())
    horizon = today + timedelta(days=settings.QIAO_DEAL_REMINDER_DAYS)
    due = (
        Deal.objects.filter(stage__in=OPEN_STAGES, deadline__isnull=False, deadline__lte=horizon)
        .exclude(reminder_sent_for=F("deadline"))
        .select_related("broker", "profile", "owner", "partner")
    )
    sent = 0
    for deal in due:
        with transaction.atomic():
            locked = Deal.objects.select_for_update().get(pk=deal.pk)
            if locked.deadline is None or locked.reminder_sent_for == locked.deadline:
                continue
            locked.reminder_sent_for = locked.deadline
            locked.save(update_fields=["reminder_sent_for"])
            _event(locked, None, DealEventKind.REMINDER, new=locked.deadline.isoformat())
            recipients = [deal.broker] if deal.broker else _secretariat()
            context = {
                "deal": deal,
                "overdue": deal.deadline is not None and deal.deadline < today,
                "url": emails.absolute_url(reverse("deals:deal", args=[deal.pk])),
            }
            sent += emails.send_to(recipients, "deal_reminder", context)
    return sent
