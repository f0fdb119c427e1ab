"""Co-author invitations, e-mailed in the invitee's preferred language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from qiao.core.names import user_name
from qiao.notifications.services import notify
from qiao.resources.models import Authorship, AuthorStatus


def send_invitation_email(authorship: Authorship) -> None:
    user = authorship.user
    if authorship.status != AuthorStatus.INVITED:
        return
    inviter = authorship.invited_by
    url = settings.BASE_URL.rstrip("/") + reverse("resources:library")
    with translation.override(user.preferred_language):
        values = {
            "who": user_name(inviter) if inviter else _("A member"),
            "title": authorship.resource.shown(user.preferred_language).title,
        }
        subject = _("%(who)s invites you to co-author %(title)s") % values
        body = _("Accept or decline the invitation in the teaching-resource library: %(url)s") % {
            "url": url
        }
    notify(recipient=user, subject=subject, body=body + "\n", url=url)
