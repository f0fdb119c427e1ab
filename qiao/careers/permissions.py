"""Who may see and change postings, talent profiles and applications.

Roles as the careers app sees them:
- candidate: a student or graduate (accounts role "student"; they sign up themselves and keep a
  talent profile);
- employer: a representative of the organisation that posts (enterprise or institution);
- institution: a representative of the organisation a candidate studies at;
- secretariat: reviews postings and may see everything.
Technology managers have no special rights here.

Postings: published, closed and expired ones are public; drafts, submitted and rejected ones
only to the employer's representatives and the secretariat. Only the secretariat publishes or
rejects.

Talent profiles are personal data, visible only to the candidate, representatives of the
employers the candidate applied to or allowed (explicitly, or all employers with a published
posting when the candidate joined the talent pool), representatives of the candidate's own
institution and the secretariat. The CV follows the profile.

Applications: the candidate, the employer's representatives, the candidate's institution
(read only) and the secretariat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.careers.models import (
    Application,
    ApplicationStatus,
    Posting,
    PostingStatus,
    TalentProfile,
)

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.organizations.models import Organization

    AnyUser = User | AnonymousUser

PUBLIC_POSTING_STATUSES = (PostingStatus.PUBLISHED, PostingStatus.CLOSED, PostingStatus.EXPIRED)
EDITABLE_POSTING_STATUSES = (
    PostingStatus.DRAFT,
    PostingStatus.SUBMITTED,
    PostingStatus.REJECTED,
    PostingStatus.PUBLISHED,
)
OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.VIEWED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
)

# Which status an employer may move an application to, from each status.
EMPLOYER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.SUBMITTED: (ApplicationStatus.VIEWED, ApplicationStatus.DECLINED),
    ApplicationStatus.VIEWED: (
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.DECLINED,
    ),
    ApplicationStatus.SHORTLISTED: (
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFER,
        ApplicationStatus.DECLINED,
    ),
    ApplicationStatus.INTERVIEW: (ApplicationStatus.OFFER, ApplicationStatus.DECLINED),
    ApplicationStatus.OFFER: (ApplicationStatus.DECLINED,),
}
# ... and the candidate: withdraw while open, accept or decline an offer.
CANDIDATE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    **{s: (ApplicationStatus.WITHDRAWN,) for s in OPEN_APPLICATION_STATUSES},
    ApplicationStatus.OFFER: (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
    ),
}


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def is_candidate(user: AnyUser) -> bool:
    """Students and graduates: the accounts role, not a guess from a missing organisation."""
    u = _user(user)
    return u is not None and u.is_student


def can_manage_postings(user: AnyUser, employer: Organization) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or (u.organization_id is not None and u.organization_id == employer.pk)


def can_create_postings(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and (u.is_secretariat or u.organization_id is not None)


def can_search_talent(user: AnyUser) -> bool:
    """Search candidates' profiles (each result still filtered by can_view_talent_profile):
    organisation representatives and the secretariat."""
    return can_create_postings(user)


def can_view_posting(user: AnyUser, posting: Posting) -> bool:
    return posting.status in PUBLIC_POSTING_STATUSES or can_manage_postings(user, posting.employer)


def can_edit_posting(user: AnyUser, posting: Posting) -> bool:
    return posting.status in EDITABLE_POSTING_STATUSES and can_manage_postings(
        user, posting.employer
    )


def can_review_postings(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_secretariat


def can_see_applicants(user: AnyUser, posting: Posting) -> bool:
    return can_manage_postings(user, posting.employer)


def can_apply(user: AnyUser, posting: Posting) -> bool:
    return posting.status == PostingStatus.PUBLISHED and is_candidate(user)


def can_view_talent_profile(user: AnyUser, profile: TalentProfile) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.pk == profile.user_id or u.is_secretariat:
        return True
    org_id = u.organization_id
    if org_id is None:
        return False
    if org_id == profile.institution_id:
        return True
    if Application.objects.filter(
        candidate_id=profile.user_id, posting__employer_id=org_id
    ).exists():
        return True
    if profile.allowed_employers.filter(pk=org_id).exists():
        return True
    return (
        profile.in_talent_pool
        and Posting.objects.filter(employer_id=org_id, status=PostingStatus.PUBLISHED).exists()
    )


def can_edit_talent_profile(user: AnyUser, profile: TalentProfile) -> bool:
    u = _user(user)
    return u is not None and u.pk == profile.user_id


def can_view_application(user: AnyUser, application: Application) -> bool:
    u = _user(user)
    if u is None:
        return False
    if u.is_secretariat or (u.pk is not None and u.pk == application.candidate_id):
        return True
    if can_manage_postings(u, application.posting.employer):
        return True
    profile = (
        getattr(application.candidate, "talent_profile", None) if application.candidate else None
    )
    return profile is not None and u.organization_id == profile.institution_id


def application_side(user: AnyUser, application: Application) -> str | None:
    """ "candidate" or "employer": whose transitions this user may make (None: neither)."""
    u = _user(user)
    if u is None:
        return None
    if application.candidate_id is not None and u.pk == application.candidate_id:
        return "candidate"
    if can_manage_postings(u, application.posting.employer):
        return "employer"
    return None


def allowed_transitions(user: AnyUser, application: Application) -> tuple[str, ...]:
    side = application_side(user, application)
    if side == "candidate":
        return CANDIDATE_TRANSITIONS.get(application.status, ())
    if side == "employer":
        return EMPLOYER_TRANSITIONS.get(application.status, ())
    return ()
