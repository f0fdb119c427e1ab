"""Lecturers see attendance and scores per trainee; the secretariat the enrolment numbers of
every cohort, exportable as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.training import services, simulation
from qiao.training.models import Assignment, Cohort, Enrolment, Session

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("trainee_client", 403),
        ("other_lecturer_client", 200),
        ("lecturer_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_progress_permissions(
    request: pytest.FixtureRequest, persona: str, status: int, cohort: Cohort
) -> None:
    request.getfixturevalue("lecturer")
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("training:progress", args=[cohort.pk])).status_code == status


def test_progress_shows_attendance_and_scores(
    lecturer_client: Client,
    lecturer: User,
    trainee: User,
    past_session: Session,
    harbin_session: Session,
    assignment: Assignment,
    cohort: Cohort,
) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    services.attendance_record(actor=lecturer, session=past_session, present={enrolment.pk: True})
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    offer = assignment.offers.get(title="奶酪发酵菌种")
    simulation.attempt_choose_partner(actor=trainee, attempt=attempt, offer=offer, chosen=True)
    attempt = simulation.attempt_submit(
        actor=trainee, attempt=attempt, justification="j", language="en"
    )
    response = lecturer_client.get(reverse("training:progress", args=[cohort.pk]))
    (row,) = response.context["rows"]
    # The Harbin session is in 2027: only the past one is held so far.
    assert (row.attended, row.held, row.attendance_percent) == (1, 1, 100)
    assert row.scores == [attempt.total_score]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("trainee_client", 403),
        ("lecturer_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_numbers_permissions(request: pytest.FixtureRequest, persona: str, status: int) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("training:numbers")).status_code == status
    assert client.get(reverse("training:numbers") + "?format=csv").status_code == status


def test_numbers_export(
    secretariat_client: Client, trainee: User, applicant: User, cohort: Cohort
) -> None:
    response = secretariat_client.get(reverse("training:numbers") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "cohort",
        "starts_on",
        "capacity",
        "applied",
        "accepted",
        "waitlisted",
        "rejected",
        "withdrawn",
    ]
    assert rows[1][2:] == ["2", "1", "1", "0", "0", "0"]
