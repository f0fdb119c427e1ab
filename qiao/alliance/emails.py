"""E-mails to applicants, always in the language they chose on the form."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from qiao.accounts.models import Role, User
from qiao.alliance.models import ApplicationStatus, MembershipApplication
from qiao.notifications.services import notify, send_email_later

KINDS = ("received", "more_info", "rejected", "approved")


def _link(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def _status_link(application: MembershipApplication) -> str:
    return _link(reverse("alliance:application-status", args=[application.token]))


def _compose(
    application: MembershipApplication, kind: str, *, password_link: bool = True
) -> tuple[str, str]:
    name = application.display_name()
    greeting = _("Dear %(name)s,") % {"name": application.rep_name}
    status = _("Follow your application here: %(url)s") % {"url": _status_link(application)}
    signature = _("The secretariat of the China–Russia Vocational Education Alliance")
    if kind == "received":
        subject = _("We received the application of %(organisation)s") % {"organisation": name}
        lines = [
            _(
                "Thank you: the application of %(organisation)s to join the China–Russia "
                "Vocational Education Alliance has reached the secretariat, which will review it."
            )
            % {"organisation": name},
            status,
        ]
    elif kind == "more_info":
        subject = _("More information needed for the application of %(organisation)s") % {
            "organisation": name
        }
        request = application.events.filter(to_status=ApplicationStatus.MORE_INFO).last()
        lines = [
            _("The secretariat needs more information before it can decide:"),
            request.message if request else "",
            _("Please answer and add documents on the page of your application: %(url)s")
            % {"url": _status_link(application)},
        ]
    elif kind == "rejected":
        subject = _("Decision on the application of %(organisation)s") % {"organisation": name}
        lines = [
            _(
                "We are sorry: the secretariat has not accepted the application of "
                "%(organisation)s to join the alliance."
            )
            % {"organisation": name},
            _("Reason: %(reason)s") % {"reason": application.decision_reason},
            status,
        ]
    elif kind == "approved":
        subject = _("Welcome to the alliance, %(organisation)s") % {"organisation": name}
        lines = [
            _(
                "The application of %(organisation)s has been approved: it is now a member of "
                "the China–Russia Vocational Education Alliance."
            )
            % {"organisation": name},
        ]
        user = application.representative
        if user is not None and password_link:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            lines.append(
                _("Your account name is %(username)s. Choose your password here: %(url)s")
                % {
                    "username": user.username,
                    "url": _link(reverse("accounts:password_reset_confirm", args=[uid, token])),
                }
            )
    else:
        raise ValueError(f"unknown e-mail kind {kind!r}; valid: {', '.join(KINDS)}")
    body = "\n\n".join([greeting, *[line for line in lines if line], signature])
    return subject, body + "\n"


def send_application_email(application: MembershipApplication, kind: str) -> None:
    """The applicant is an address, not (yet) an account: by e-mail only. Once approved, the
    new representative also finds the welcome in the app, without the password link (a
    one-time secret that belongs in the mailbox, not in the database)."""
    with translation.override(application.language):
        subject, body = _compose(application, kind)
    send_email_later(to=application.rep_email, subject=subject, body=body)
    user = application.representative
    if kind == "approved" and user is not None:
        with translation.override(user.preferred_language):
            subject, body = _compose(application, kind, password_link=False)
        url = reverse("alliance:member", args=[application.organization_id])
        notify(recipient=user, subject=subject, body=body, url=url, by_email=False)
    if kind == "received":
        notify_secretariat(application)


def notify_secretariat(application: MembershipApplication) -> None:
    """Each secretariat member is told in their own language."""
    url = reverse("alliance:review-detail", args=[application.pk])
    for user in User.objects.filter(role=Role.SECRETARIAT, is_active=True):
        with translation.override(user.preferred_language):
            subject = _("New membership application: %(organisation)s") % {
                "organisation": application.display_name()
            }
            body = _("Review it here: %(url)s") % {"url": _link(url)}
        notify(recipient=user, subject=subject, body=body + "\n", url=url)
