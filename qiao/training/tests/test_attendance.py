from __future__ import annotations

import pytest

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.training import services
from qiao.training.models import Attendance, Enrolment, Session

pytestmark = pytest.mark.django_db


def test_lecturer_records_and_corrects_attendance(
    lecturer: User, trainee: User, past_session: Session
) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    services.attendance_record(actor=lecturer, session=past_session, present={enrolment.pk: True})
    services.attendance_record(actor=lecturer, session=past_session, present={enrolment.pk: False})
    row = Attendance.objects.get()
    assert (row.present, row.recorded_by) == (False, lecturer)


def test_only_the_cohorts_trainees(lecturer: User, applicant: User, past_session: Session) -> None:
    enrolment = Enrolment.objects.get(user=applicant)  # applied, not accepted
    with pytest.raises(ServiceError):
        services.attendance_record(
            actor=lecturer, session=past_session, present={enrolment.pk: True}
        )
    assert not Attendance.objects.exists()


def test_not_before_the_session_starts(
    secretariat: User, trainee: User, harbin_session: Session
) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    with pytest.raises(ServiceError):
        services.attendance_record(
            actor=secretariat, session=harbin_session, present={enrolment.pk: True}
        )


def test_trainee_cannot_record(trainee: User, past_session: Session) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    with pytest.raises(NotAllowed):
        services.attendance_record(
            actor=trainee, session=past_session, present={enrolment.pk: True}
        )
    with pytest.raises(NotAllowed):
        services.attendance_record(
            actor=UserFactory.create(), session=past_session, present={enrolment.pk: True}
        )
