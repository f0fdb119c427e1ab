"""Who may see and do what in assessment and certification. Roles come from qiao.training:
a *trainee* has an accepted enrolment in a cohort, a *lecturer* a Lecturer row for it.

- Write and edit a module's quiz and its question bank: the secretariat and the lecturers of
  any cohort of the module's programme.
- Take a quiz: a trainee of a cohort of the programme, once the quiz is open; one attempt,
  unless a lecturer of that cohort or the secretariat reopens it.
- See an attempt (and its feedback once submitted): the trainee who took it, the cohort's
  lecturers, the secretariat.
- Completion rules of a programme: the secretariat sets them; everyone involved may read them.
- A cohort's completion table, issuing certificates: the cohort's lecturers and the secretariat.
- Revoking a certificate, the certificate numbers of every cohort: the secretariat.
- A certificate's PDF: its holder while it is valid, the cohort's lecturers, the secretariat.
- The verification page: everyone, without signing in (name, programme and date only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qiao.assessment.models import Certificate, Quiz, QuizAttempt
from qiao.training.models import Cohort, Lecturer, TrainingProgramme
from qiao.training.permissions import is_lecturer, is_secretariat, is_trainee

if TYPE_CHECKING:
    from qiao.accounts.models import User
    from qiao.training.permissions import AnyUser


def _user(user: AnyUser) -> User | None:
    return user if user.is_authenticated and user.is_active else None


def is_programme_lecturer(user: AnyUser, programme: TrainingProgramme) -> bool:
    u = _user(user)
    return u is not None and Lecturer.objects.filter(cohort__programme=programme, user=u).exists()


def can_author_quizzes(user: AnyUser, programme: TrainingProgramme) -> bool:
    return is_secretariat(user) or is_programme_lecturer(user, programme)


def can_take_quiz(user: AnyUser, quiz: Quiz, cohort: Cohort) -> bool:
    return (
        quiz.published
        and quiz.module.programme_id == cohort.programme_id
        and is_trainee(user, cohort)
    )


def can_view_quiz_attempt(user: AnyUser, attempt: QuizAttempt) -> bool:
    u = _user(user)
    if u is None:
        return False
    if attempt.enrolment.user_id == u.pk:
        return True
    return can_reopen_quiz_attempt(u, attempt)


def can_reopen_quiz_attempt(user: AnyUser, attempt: QuizAttempt) -> bool:
    return is_secretariat(user) or is_lecturer(user, attempt.enrolment.cohort)


def can_set_completion_rules(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_view_completion(user: AnyUser, cohort: Cohort) -> bool:
    return is_secretariat(user) or is_lecturer(user, cohort)


def can_issue_certificates(user: AnyUser, cohort: Cohort) -> bool:
    return is_secretariat(user) or is_lecturer(user, cohort)


def can_revoke_certificate(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_download_certificate(user: AnyUser, certificate: Certificate) -> bool:
    u = _user(user)
    if u is None:
        return False
    if certificate.enrolment.user_id == u.pk and certificate.valid:
        return True
    return is_secretariat(u) or is_lecturer(u, certificate.enrolment.cohort)


def can_view_certificate_numbers(user: AnyUser) -> bool:
    return is_secretariat(user)


def can_view_assessment(user: AnyUser, cohort: Cohort) -> bool:
    """The cohort's assessment page: its trainees, the programme's lecturers, the secretariat."""
    return (
        is_secretariat(user)
        or is_trainee(user, cohort)
        or is_programme_lecturer(user, cohort.programme)
    )
