"""Personal data: a candidate's export of everything the platform holds about them, and the
deletion of their account (applications kept for the employers, anonymised)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qiao.careers.models import Application, PoolMatch, TalentProfile
from qiao.core.errors import NotAllowed
from qiao.search.collections import careers as careers_collection
from qiao.search.collections.careers import talent_key
from qiao.search.services import search_request

if TYPE_CHECKING:
    from qiao.accounts.models import User

EXPORT_FORMAT = "qiao-personal-data/1"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data(user: User) -> dict[str, Any]:
    """Everything about the user, as plain JSON-ready data."""
    profile = TalentProfile.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
        },
        "talent_profile": None,
        "applications": [],
        "pool_matches": [],
    }
    if profile is not None:
        data["talent_profile"] = {
            "institution": str(profile.institution.display_name()),
            "language": profile.language,
            "headline": profile.headline,
            "specialty": profile.specialty,
            "study_level": profile.study_level,
            "skills": list(profile.skills),
            "experience": profile.experience,
            "chinese_level": profile.chinese_level,
            "russian_level": profile.russian_level,
            "english_level": profile.english_level,
            "preferred_countries": list(profile.preferred_countries),
            "available_from": _iso(profile.available_from),
            "available_to": _iso(profile.available_to),
            "in_talent_pool": profile.in_talent_pool,
            "allowed_employers": [str(o.display_name()) for o in profile.allowed_employers.all()],
            "cv_file": f"cv/{profile.cv_name}" if profile.cv else None,
            "created_at": _iso(profile.created_at),
            "updated_at": _iso(profile.updated_at),
        }
        data["pool_matches"] = [
            {"posting": m.posting.title, "posting_id": m.posting_id, "score": m.score}
            for m in PoolMatch.objects.filter(profile=profile).select_related("posting")
        ]
    for app in (
        Application.objects.filter(candidate=user)
        .select_related("posting__employer")
        .prefetch_related("events")
    ):
        data["applications"].append(
            {
                "posting_id": app.posting_id,
                "posting": app.posting.title,
                "employer": str(app.posting.employer.display_name()),
                "status": app.status,
                "cover_letter": app.cover_letter,
                "cover_letter_language": app.cover_letter_language,
                "created_at": _iso(app.created_at),
                "history": [
                    {"from": e.from_status, "to": e.to_status, "at": _iso(e.created_at)}
                    for e in app.events.all()
                ],
            }
        )
    return data


def personal_data_zip(user: User) -> bytes:
    """A zip with data.json and, when there is one, the CV file."""
    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        profile = TalentProfile.objects.filter(user=user).first()
        if profile is not None and profile.cv:
            with profile.cv.open("rb") as handle:
                archive.writestr(f"cv/{profile.cv_name or 'cv'}", handle.read())
    return buffer.getvalue()


def account_delete(*, actor: User, user: User) -> None:
    """Delete a candidate's account: the profile, its CV file, its index entry and pool
    matches go; applications stay for the employer, without candidate or cover letter."""
    if actor.pk != user.pk:
        raise NotAllowed(_("You may only delete your own account."))
    if not user.is_student:
        raise NotAllowed(
            _("Accounts of organisation representatives and staff are closed by the secretariat.")
        )
    from qiao.careers.services import _delete_cv_file

    with transaction.atomic():
        profile = TalentProfile.objects.filter(user=user).first()
        Application.objects.filter(candidate=user).update(
            candidate=None,
            cover_letter="",
            cover_letter_language="",
            anonymised_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if profile is not None:
            cv_name = profile.cv.name if profile.cv else ""
            profile_id = profile.pk
            profile.delete()  # pool matches and allowed employers cascade
            if cv_name:
                transaction.on_commit(lambda: _delete_cv_file(cv_name))
            search_request(collection=careers_collection.NAME, sources=[talent_key(profile_id)])
        user.delete()
