"""Writes to programmes and student applications: permission, validation, one atomic write
with its history step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qiao.core.errors import NotAllowed, ServiceError
from qiao.programmes import permissions
from qiao.programmes.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    ApplicationStep,
    Programme,
    StudentApplication,
    Torfl,
)

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.organizations.models import Organization


def programme_create(
    *, actor: User, programme: Programme, partners: list[Organization]
) -> Programme:
    if not permissions.can_create_programme(actor):
        raise NotAllowed(_("Only member organisations and the secretariat publish programmes."))
    if not actor.is_secretariat and programme.lead_id != actor.organization_id:
        raise NotAllowed(_("You may only publish programmes led by your own organisation."))
    with transaction.atomic():
        programme.full_clean()
        programme.save()
        programme.partners.set([p for p in partners if p.pk != programme.lead_id])
    return programme


def programme_update(
    *, actor: User, programme: Programme, partners: list[Organization]
) -> Programme:
    """Save an edit made on `programme` (a form-bound instance). The quota may not fall below
    the places already offered or accepted."""
    stored = Programme.objects.filter(pk=programme.pk).first()
    if stored is None or not permissions.can_edit_programme(actor, stored):
        raise NotAllowed(_("You may not change this programme."))
    if not actor.is_secretariat and programme.lead_id != actor.organization_id:
        raise NotAllowed(_("You may only publish programmes led by your own organisation."))
    with transaction.atomic():
        Programme.objects.select_for_update().filter(pk=programme.pk).first()
        taken = StudentApplication.objects.filter(
            programme_id=programme.pk,
            status__in=[ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED],
        ).count()
        if programme.quota is not None and programme.quota < taken:
            raise ValidationError(
                {
                    "quota": _(
                        "%(taken)s places are already offered or accepted; the quota cannot be "
                        "lower."
                    )
                    % {"taken": taken}
                }
            )
        programme.full_clean()
        programme.save()
        programme.partners.set([p for p in partners if p.pk != programme.lead_id])
    return programme


def check_language_levels(
    programme: Programme, *, hsk_level: int | None, torfl_level: int | None
) -> None:
    """An applicant below the programme's required HSK or ТРКИ level is told so."""
    errors: dict[str, str] = {}
    if programme.hsk_required and (hsk_level or 0) < programme.hsk_required:
        errors["hsk_level"] = _("This programme requires HSK %(level)d or higher.") % {
            "level": programme.hsk_required
        }
    if programme.torfl_required and (torfl_level or 0) < programme.torfl_required:
        errors["torfl_level"] = _("This programme requires %(level)s or higher.") % {
            "level": Torfl(programme.torfl_required).label
        }
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class ApplicationData:
    motivation: str
    motivation_language: str
    hsk_level: int | None = None
    torfl_level: int | None = None


def application_submit(
    *, actor: User, programme: Programme, data: ApplicationData
) -> StudentApplication:
    if not permissions.can_apply(actor):
        raise NotAllowed(_("Only students and graduates apply to programmes."))
    if not programme.open_for_applications:
        raise ServiceError(_("This programme is not taking applications."))
    check_language_levels(programme, hsk_level=data.hsk_level, torfl_level=data.torfl_level)
    application = StudentApplication(
        programme=programme,
        student=actor,
        motivation=data.motivation.strip(),
        motivation_language=data.motivation_language,
        hsk_level=data.hsk_level,
        torfl_level=data.torfl_level,
    )
    try:
        with transaction.atomic():
            application.full_clean(validate_constraints=False)
            application.save()
            ApplicationStep.objects.create(
                application=application, actor=actor, to_status=application.status
            )
    except IntegrityError as duplicate:
        raise ServiceError(_("You already have an open application to this programme.")) from (
            duplicate
        )
    return application


# Which side moves an application from one status to the next.
INSTITUTION_MOVES: dict[str, tuple[str, ...]] = {
    ApplicationStatus.RECEIVED: (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.DECLINED),
    ApplicationStatus.UNDER_REVIEW: (ApplicationStatus.OFFER, ApplicationStatus.DECLINED),
}
STUDENT_MOVES: dict[str, tuple[str, ...]] = {
    ApplicationStatus.OFFER: (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)
}


def application_move(
    *, actor: User, application: StudentApplication, to: str, reason: str = ""
) -> StudentApplication:
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            StudentApplication.objects.select_for_update()
            .select_related("programme")
            .get(pk=application.pk)
        )
        by_student = locked.student_id == actor.pk and to in STUDENT_MOVES.get(locked.status, ())
        by_institution = permissions.runs_programme(actor, locked.programme) and to in (
            INSTITUTION_MOVES.get(locked.status, ())
        )
        if not (by_student or by_institution):
            if not permissions.can_view_application(actor, locked):
                raise NotAllowed(_("You may not change this application."))
            raise ServiceError(
                _("An application that is %(status)s cannot move to %(to)s.")
                % {
                    "status": locked.get_status_display(),
                    "to": ApplicationStatus(to).label if to in ApplicationStatus.values else to,
                }
            )
        if to == ApplicationStatus.DECLINED and not reason:
            raise ServiceError(pgettext("alliance", "Please give the reason for declining."))
        if to == ApplicationStatus.OFFER:
            # Lock the programme so two offers cannot both take the last place.
            programme = Programme.objects.select_for_update().get(pk=locked.programme_id)
            taken = programme.applications.filter(
                status__in=[ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED]
            ).count()
            if taken >= programme.quota:
                raise ServiceError(_("All places of this programme are already offered."))
        from_status = locked.status
        locked.status = to
        locked.declined_by_student = to == ApplicationStatus.DECLINED and by_student
        locked.save(update_fields=["status", "declined_by_student", "updated_at"])
        ApplicationStep.objects.create(
            application=locked, actor=actor, from_status=from_status, to_status=to, reason=reason
        )
    return locked


def is_open(application: StudentApplication) -> bool:
    return application.status in OPEN_STATUSES
