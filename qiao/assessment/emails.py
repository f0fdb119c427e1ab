"""E-mails to a certificate's holder, in their preferred language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.assessment.models import Certificate
from qiao.notifications.services import notify


def _link(name: str, *args: object) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, args=args)


def send_certificate_email(certificate: Certificate) -> None:
    user = certificate.enrolment.user
    with translation.override(user.preferred_language):
        values = {"programme": certificate.programme(), "number": certificate.number}
        subject = _("Your certificate for %(programme)s") % values
        body = (
            _(
                "Congratulations: you completed %(programme)s. Your certificate %(number)s "
                "is ready to download:"
            )
            % values
        )
        url = _link("assessment:cohort", certificate.enrolment.cohort_id)
    notify(recipient=user, subject=subject, body=f"{body}\n\n{url}\n", url=url)


def send_revocation_email(certificate: Certificate) -> None:
    user = certificate.enrolment.user
    with translation.override(user.preferred_language):
        values = {"number": certificate.number}
        subject = _("Your certificate %(number)s was revoked") % values
        body = (
            _(
                "The secretariat revoked certificate %(number)s. Write to the secretariat if you "
                "have questions."
            )
            % values
        )
        url = _link("assessment:verify-number", certificate.number)
    notify(recipient=user, subject=subject, body=f"{body}\n\n{url}\n", url=url)
