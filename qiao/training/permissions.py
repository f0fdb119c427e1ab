"""Who may see and do what in the technology-manager training.

Roles come from relations, not from the account's role: a *trainee* has an accepted
enrolment in a cohort, a *lecturer* a Lecturer row for it; the *secretariat* runs everything.

- Programmes, cohorts, modules and the session timetable: everyone, including visitors.
- Apply: any signed-in person who is not a lecturer of the cohort, while applications are open.
- Withdraw: the applicant, until rejected.
- Decide applications (accept, waitlist, reject), see the applicants: the secretariat.
- Online links and materials of a session: its cohort's trainees and lecturers, the secretariat.
- Record attendance: the session's lecturers and the secretariat.
- Calendar export: any signed-in person, of their own sessions only.
- Add and remove a session's materials (links and files): the cohort's lecturers, the
  secretariat. Download an uploaded material: whoever sees the session's details.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from qiao.deals import permissions as deal_permissions
from qiao.deals.models import Deal, DealStage
from qiao.training.models import (
    ApplicationStatus,
    Assignment,
    Attempt,
    Case,
    Cohort,
    Enrolment,
    Lecturer,
    Session,
)

if TYPE_CHECKING:
    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def is_secretariat(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and u.is_secretariat


def is_trainee(user: AnyUser, cohort: Cohort) -> bool:
    u = _user(user)
    return (
        u is not None
        and Enrolment.objects.filter(
            cohort=cohort, user=u, status=ApplicationStatus.ACCEPTED
        ).exists()
    )


def is_lecturer(user: AnyUser, cohort: Cohort) -> bool:
    u = _user(user)
    return u is not None and Lecturer.objects.filter(cohort=cohort, user=u).exists()


def can_apply(user: AnyUser, cohort: Cohort) -> bool:
    u = _user(user)
    return u is not None and cohort.applications_open and not is_lecturer(u, cohort)


def can_withdraw(user: AnyUser, enrolment: Enrolment) -> bool:
    u = _user(user)
    return (
        u is not None
        and enrolment.user_id == u.pk
        and enrolment.status
        in (ApplicationStatus.APPLIED, ApplicationStatus.WAITLISTED, ApplicationStatus.ACCEPTED)
    )


def can_manage_cohort(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_see_session_details(user: AnyUser, session: Session) -> bool:
    return (
        is_secretariat(user)
        or is_lecturer(user, session.cohort)
        or is_trainee(user, session.cohort)
    )


def can_record_attendance(user: AnyUser, session: Session) -> bool:
    u = _user(user)
    if u is None:
        return False
    return u.is_secretariat or session.lecturers.filter(user=u).exists()


def can_manage_materials(user: AnyUser, session: Session) -> bool:
    """Add or remove links and files of a session: its cohort's lecturers, the secretariat."""
    return is_secretariat(user) or is_lecturer(user, session.cohort)


def can_download_material(user: AnyUser, session: Session) -> bool:
    return can_see_session_details(user, session)


# --- case library -----------------------------------------------------------------------------
#
# - The library (published cases): the secretariat, lecturers and trainees of any cohort.
# - Teaching notes, unpublished cases, publishing: lecturers of any cohort and the secretariat.
# - Consent to turn a won deal into a case: a representative of either party, for their side.
# - Turning a deal into a case once both parties consented: the deal's technology manager
#   or the secretariat.


def is_any_lecturer(user: AnyUser) -> bool:
    u = _user(user)
    return u is not None and Lecturer.objects.filter(user=u).exists()


def is_any_trainee(user: AnyUser) -> bool:
    u = _user(user)
    return (
        u is not None
        and Enrolment.objects.filter(user=u, status=ApplicationStatus.ACCEPTED).exists()
    )


def can_teach_cases(user: AnyUser) -> bool:
    return is_secretariat(user) or is_any_lecturer(user)


def can_author_cases(user: AnyUser) -> bool:
    """Write, edit and translate cases (texts, tags): lecturers of any cohort, the secretariat."""
    return can_teach_cases(user)


def can_view_case_library(user: AnyUser) -> bool:
    return can_teach_cases(user) or is_any_trainee(user)


def can_view_case(user: AnyUser, case: Case) -> bool:
    if case.published:
        return can_view_case_library(user)
    return can_teach_cases(user)


def can_consent_to_case(user: AnyUser, deal: Deal) -> bool:
    u = _user(user)
    return (
        u is not None
        and deal.stage == DealStage.CLOSED_WON
        and u.organization_id is not None
        and u.organization_id in (deal.owner_id, deal.partner_id)
    )


def can_turn_deal_into_case(user: AnyUser, deal: Deal) -> bool:
    return deal.stage == DealStage.CLOSED_WON and deal_permissions.can_manage_deal(user, deal)


# --- practical simulation -----------------------------------------------------------------------
#
# - Write and edit an assignment, its pool and its reference solution: the cohort's lecturers
#   and the secretariat.
# - See a published assignment: its cohort's trainees, lecturers and the secretariat; drafts
#   and the reference solution: lecturers and the secretariat only.
# - Work an attempt: only the trainee who owns it. See it: that trainee, the cohort's
#   lecturers, the secretariat. Grade it and hide the leaderboard: the cohort's lecturers and
#   the secretariat.
# - The leaderboard: lecturers and the secretariat always; trainees unless hidden.


def can_create_assignment(user: AnyUser, cohort: Cohort) -> bool:
    """Write assignments (and their pools) for a cohort: its lecturers, the secretariat."""
    return is_secretariat(user) or is_lecturer(user, cohort)


def can_manage_assignment(user: AnyUser, assignment: Assignment) -> bool:
    """Edit it, its pool and reference solution, grade, hide the leaderboard."""
    return can_create_assignment(user, assignment.cohort)


def can_view_assignment(user: AnyUser, assignment: Assignment) -> bool:
    if can_manage_assignment(user, assignment):
        return True
    return assignment.published and is_trainee(user, assignment.cohort)


def can_start_attempt(user: AnyUser, assignment: Assignment) -> bool:
    return assignment.published and is_trainee(user, assignment.cohort)


def can_work_attempt(user: AnyUser, attempt: Attempt) -> bool:
    u = _user(user)
    return u is not None and attempt.enrolment.user_id == u.pk


def can_view_attempt(user: AnyUser, attempt: Attempt) -> bool:
    return can_work_attempt(user, attempt) or can_manage_assignment(user, attempt.assignment)


def can_grade_attempt(user: AnyUser, attempt: Attempt) -> bool:
    return can_manage_assignment(user, attempt.assignment)


def can_see_leaderboard(user: AnyUser, assignment: Assignment) -> bool:
    if can_manage_assignment(user, assignment):
        return True
    return not assignment.leaderboard_hidden and can_view_assignment(user, assignment)


# --- dashboards ---------------------------------------------------------------------------------


def can_view_progress(user: AnyUser, cohort: Cohort) -> bool:
    """Attendance and scores per trainee: the cohort's lecturers and the secretariat."""
    return is_secretariat(user) or is_lecturer(user, cohort)


def can_view_numbers(user: AnyUser) -> bool:
    """Enrolment numbers of every cohort (and their export): the secretariat."""
    return is_secretariat(user)
