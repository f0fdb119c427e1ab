"""The secretariat's decision on an application, in the applicant's language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.notifications.services import notify
from qiao.training.models import ApplicationStatus, Enrolment


def send_decision_email(enrolment: Enrolment) -> None:
    user = enrolment.user
    with translation.override(user.preferred_language):
        values = {"cohort": enrolment.cohort.title()}
        subject, body = {
            ApplicationStatus.ACCEPTED: (
                _("You are accepted to %(cohort)s") % values,
                _("Welcome: you are a trainee of %(cohort)s.") % values,
            ),
            ApplicationStatus.WAITLISTED: (
                _("You are on the waiting list for %(cohort)s") % values,
                _("We will write to you if a place becomes free."),
            ),
            ApplicationStatus.REJECTED: (
                _("Your application to %(cohort)s was not accepted") % values,
                _("Reason: %(reason)s") % {"reason": enrolment.reason},
            ),
        }[ApplicationStatus(enrolment.status)]
        url = settings.BASE_URL.rstrip("/") + reverse("training:cohort", args=[enrolment.cohort_id])
    notify(recipient=user, subject=subject, body=f"{body}\n\n{url}\n", url=url)
