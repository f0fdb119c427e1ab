"""Writes of demand surveys: versions, invitations, answers, and turning a response into a
draft Technology Request."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qiao.core.errors import NotAllowed, ServiceError
from qiao.notifications.mail import send_email
from qiao.surveys import permissions
from qiao.surveys.models import (
    AnswerFile,
    Invitation,
    ProfileField,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
)

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.exchange.models import Profile
    from qiao.organizations.models import Organization


def current_version(questionnaire: Questionnaire) -> QuestionnaireVersion | None:
    return questionnaire.versions.order_by("-number").first()


def version_new(*, actor: User, questionnaire: Questionnaire) -> QuestionnaireVersion:
    """A new editable version with a copy of the latest one's questions."""
    if not permissions.can_manage_surveys(actor):
        raise NotAllowed(_("Only the secretariat manages surveys."))
    with transaction.atomic():
        latest = current_version(questionnaire)
        if latest is not None and latest.frozen_at is None:
            raise ServiceError(_("The latest version is still a draft: edit that one."))
        number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=number)
        if latest is not None:
            for q in latest.questions.all():
                q.pk = None
                q.version = version
                q.save()
    return version


@dataclass
class SendReport:
    sent: list[Invitation] = field(default_factory=list)
    already: list[Organization] = field(default_factory=list)
    no_contact: list[Organization] = field(default_factory=list)


def invitations_send(
    *, actor: User, version: QuestionnaireVersion, organizations: Iterable[Organization]
) -> SendReport:
    """Freeze the version and e-mail each organisation's first representative a personal
    link, in that person's language."""
    if not permissions.can_manage_surveys(actor):
        raise NotAllowed(_("Only the secretariat manages surveys."))
    if not version.questions.exists():
        raise ServiceError(_("This version has no questions yet."))
    report = SendReport()
    with transaction.atomic():
        if version.frozen_at is None:
            version.frozen_at = timezone.now()
            version.save(update_fields=["frozen_at"])
        for organization in organizations:
            if Invitation.objects.filter(version=version, organization=organization).exists():
                report.already.append(organization)
                continue
            contact = (
                organization.representatives.filter(is_active=True)
                .exclude(email="")
                .order_by("id")
                .first()
            )
            if contact is None:
                report.no_contact.append(organization)
                continue
            invitation = Invitation.objects.create(
                version=version,
                organization=organization,
                email=contact.email,
                language=contact.preferred_language,
                sent_by=actor,
                sent_at=timezone.now(),
            )
            report.sent.append(invitation)
    for invitation in report.sent:
        transaction.on_commit(lambda inv=invitation: _send_invitation(inv))  # type: ignore[misc]
    return report


def invitation_url(invitation: Invitation) -> str:
    return settings.BASE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])


def render_invitation(invitation: Invitation) -> tuple[str, str]:
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "questionnaire": invitation.version.questionnaire,
            "url": invitation_url(invitation),
        }
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation.txt", context)
    return " ".join(subject.split()), body


def _send_invitation(invitation: Invitation) -> None:
    subject, body = render_invitation(invitation)
    # An invited enterprise answers without an account: e-mail only, nothing in the app.
    send_email(to=invitation.email, subject=subject, body=body)


# --- answering -------------------------------------------------------------------------------


def _answer_json(question: Question, value: Any) -> Any:
    if value in (None, "", []):
        return None
    if question.kind == QuestionKind.NUMBER:
        return str(value)
    if question.kind in (QuestionKind.CHOICE, QuestionKind.SCALE):
        return int(value)
    if question.kind == QuestionKind.MULTIPLE:
        return [int(v) for v in value]
    if question.kind == QuestionKind.SECTOR:
        return value.code
    return str(value).strip()


def response_save(
    *,
    invitation: Invitation,
    values: Mapping[str, Any],
    submit: bool,
    language: str,
) -> Invitation:
    """Store the answers (validated by the form); submitting is final. Files are checked
    like deal documents and replace an earlier upload for the same question."""
    from qiao.deals.services import check_document

    questions = {f"q{q.pk}": q for q in invitation.version.questions.all()}
    uploads: list[tuple[Question, UploadedFile[Any]]] = []
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, question in questions.items():
        value = values.get(key)
        if question.kind == QuestionKind.FILE:
            if value:
                try:
                    check_document(value)
                except ValidationError as error:
                    errors[key] = error.messages
                uploads.append((question, value))
            continue
        answers[str(question.pk)] = _answer_json(question, value)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.submitted_at is not None:
            raise ServiceError(_("This survey was already submitted. Thank you!"))
        locked.answers = answers
        locked.answer_language = language
        locked.started_at = locked.started_at or timezone.now()
        for question, upload in uploads:
            name, content_type = check_document(upload)
            AnswerFile.objects.filter(invitation=locked, question=question).delete()
            stored = AnswerFile(
                invitation=locked,
                question=question,
                name=name,
                content_type=content_type,
                size=upload.size or 0,
            )
            # A random stored name; the original is only metadata.
            suffix = PurePath(name).suffix.lower()
            stored.file.save(f"{uuid.uuid4().hex}{suffix}", upload, save=False)
            stored.save()
        if submit:
            missing = [
                q
                for q in questions.values()
                if q.required
                and (
                    not locked.files.filter(question=q).exists()
                    if q.kind == QuestionKind.FILE
                    else answers.get(str(q.pk)) in (None, "", [])
                )
            ]
            if missing:
                raise ValidationError(
                    {f"q{q.pk}": [_("This question needs an answer.")] for q in missing}
                )
            locked.submitted_at = timezone.now()
        locked.save()
    invitation.refresh_from_db()
    return invitation


# --- response → draft Technology Request -----------------------------------------------------


def response_to_request(*, actor: User, invitation: Invitation) -> Profile:
    from qiao.exchange import services as exchange
    from qiao.exchange.models import DevelopmentStage, IPRStatus, ProfileKind, Sector
    from qiao.search.selectors import detect_language

    if not permissions.can_convert_response(actor, invitation):
        raise NotAllowed(_("You may not turn this response into a request."))
    if invitation.request_profile_id is not None:
        raise ServiceError(_("This response was already turned into a request."))
    texts: dict[str, list[str]] = {}
    sectors: list[Sector] = []
    for question in invitation.version.questions.exclude(maps_to=""):
        value = invitation.answers.get(str(question.pk))
        if value in (None, "", []):
            continue
        if question.maps_to == ProfileField.SECTORS and question.kind == QuestionKind.SECTOR:
            sectors += list(Sector.objects.filter(code=value))
        elif question.kind in (QuestionKind.TEXT, QuestionKind.NUMBER):
            texts.setdefault(question.maps_to, []).append(str(value))
    description = "\n\n".join(texts.get(ProfileField.DESCRIPTION, []))
    summary = " ".join(texts.get(ProfileField.SUMMARY, [])) or description
    title = " ".join(texts.get(ProfileField.TITLE, [])) or summary
    if not description:
        raise ServiceError(
            _("The response has no answer mapped to the description; write the request by hand.")
        )
    language = detect_language(f"{title}\n{summary}\n{description}") or "en"
    data = exchange.ProfileData(
        kind=ProfileKind.REQUEST,
        language=language,
        title=title[:256],
        summary=summary[:500],
        description=description[:4000],
        technical_specification="\n\n".join(texts.get(ProfileField.SPECIFICATION, []))[:4000],
        development_stage=DevelopmentStage.CONCEPT,
        ipr_status=IPRStatus.NOT_APPLICABLE,
        sectors=tuple(sectors),
    )
    with transaction.atomic():
        profile = exchange.profile_create(
            actor=actor, organization=invitation.organization, data=data
        )
        Invitation.objects.filter(pk=invitation.pk).update(request_profile=profile)
    invitation.refresh_from_db()
    return profile
