"""Every training view for every role: visitor, outsider, applicant, trainee, lecturers,
secretariat."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.training.models import (
    ApplicationStatus,
    Attendance,
    Cohort,
    Enrolment,
    Session,
)

pytestmark = pytest.mark.django_db

EVERYONE = [
    "anon_client",
    "outsider_client",
    "applicant_client",
    "trainee_client",
    "lecturer_client",
    "secretariat_client",
]


def _get(request: pytest.FixtureRequest, persona: str) -> Client:
    client: Client = request.getfixturevalue(persona)
    return client


@pytest.mark.parametrize("persona", EVERYONE)
def test_programme_and_cohort_pages_are_public(
    request: pytest.FixtureRequest, persona: str, cohort: Cohort, harbin_session: Session
) -> None:
    client = _get(request, persona)
    assert client.get(reverse("training:list")).status_code == 200
    assert client.get(reverse("training:programme", args=[cohort.programme_id])).status_code == 200
    page = client.get(reverse("training:cohort", args=[cohort.pk]))
    assert page.status_code == 200
    assert harbin_session in [row.session for row in page.context["sessions"]]


@pytest.mark.parametrize(
    ("persona", "status", "applied"),
    [
        ("anon_client", 302, False),
        ("lecturer_client", 403, False),
        ("outsider_client", 302, True),
        ("secretariat_client", 302, True),
    ],
)
def test_apply(
    request: pytest.FixtureRequest, persona: str, status: int, applied: bool, cohort: Cohort
) -> None:
    response = _get(request, persona).post(
        reverse("training:apply", args=[cohort.pk]),
        {"motivation": "Хочу учиться", "motivation_language": "ru"},
    )
    assert response.status_code == status
    assert Enrolment.objects.filter(cohort=cohort).exists() is applied


def test_cannot_apply_when_closed(outsider_client: Client, cohort: Cohort) -> None:
    cohort.applications_open = False
    cohort.save()
    response = outsider_client.post(
        reverse("training:apply", args=[cohort.pk]),
        {"motivation": "x", "motivation_language": "en"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("applicant_client", 403),
        ("trainee_client", 403),
        ("lecturer_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_applications_page(
    request: pytest.FixtureRequest, persona: str, status: int, cohort: Cohort, applicant: User
) -> None:
    response = _get(request, persona).get(reverse("training:applications", args=[cohort.pk]))
    assert response.status_code == status
    if status == 200:
        assert [e.user for e in response.context["applications"]] == [applicant]


@pytest.mark.parametrize(
    ("persona", "status", "decided"),
    [
        ("anon_client", 302, False),
        ("outsider_client", 403, False),
        ("applicant_client", 403, False),
        ("trainee_client", 403, False),
        ("lecturer_client", 403, False),
        ("secretariat_client", 302, True),
    ],
)
def test_decide(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    decided: bool,
    cohort: Cohort,
    applicant: User,
) -> None:
    enrolment = Enrolment.objects.get(user=applicant)
    response = _get(request, persona).post(
        reverse("training:decide", args=[enrolment.pk, "accepted"])
    )
    assert response.status_code == status
    enrolment.refresh_from_db()
    assert (enrolment.status == ApplicationStatus.ACCEPTED) is decided


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("trainee_client", 403),
        ("lecturer_client", 403),
        ("applicant_client", 302),
        ("secretariat_client", 403),
    ],
)
def test_withdraw_only_own_application(
    request: pytest.FixtureRequest, persona: str, status: int, applicant: User
) -> None:
    enrolment = Enrolment.objects.get(user=applicant)
    response = _get(request, persona).post(reverse("training:withdraw", args=[enrolment.pk]))
    assert response.status_code == status
    enrolment.refresh_from_db()
    assert (enrolment.status == ApplicationStatus.WITHDRAWN) is (
        status == 302 and persona == "applicant_client"
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("trainee_client", 403),
        ("lecturer_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_session_form(
    request: pytest.FixtureRequest, persona: str, status: int, cohort: Cohort
) -> None:
    response = _get(request, persona).get(reverse("training:session-new", args=[cohort.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "sees_link"),
    [
        ("anon_client", False),
        ("outsider_client", False),
        ("applicant_client", False),
        ("trainee_client", True),
        ("lecturer_client", True),
        ("secretariat_client", True),
    ],
)
def test_online_link_and_materials_only_for_the_cohort(
    request: pytest.FixtureRequest, persona: str, sees_link: bool, past_session: Session
) -> None:
    response = _get(request, persona).get(reverse("training:session", args=[past_session.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert ("secret-room" in body) is sees_link
    assert ("slides.pdf" in body) is sees_link


@pytest.mark.parametrize(
    ("persona", "status", "recorded"),
    [
        ("anon_client", 302, False),
        ("outsider_client", 403, False),
        ("trainee_client", 403, False),
        ("other_lecturer_client", 403, False),
        ("lecturer_client", 302, True),
        ("secretariat_client", 302, True),
    ],
)
def test_record_attendance(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    recorded: bool,
    past_session: Session,
    trainee: User,
) -> None:
    enrolment = Enrolment.objects.get(user=trainee)
    response = _get(request, persona).post(
        reverse("training:attendance", args=[past_session.pk]), {f"present-{enrolment.pk}": "on"}
    )
    assert response.status_code == status
    assert Attendance.objects.filter(session=past_session, present=True).exists() is recorded


def test_attendance_sheet_shown_only_to_who_records(
    lecturer_client: Client, trainee_client: Client, past_session: Session, trainee: User
) -> None:
    url = reverse("training:session", args=[past_session.pk])
    assert [e.user for e, _ in lecturer_client.get(url).context["sheet"]] == [trainee]
    assert trainee_client.get(url).context["sheet"] == []


@pytest.mark.parametrize(
    ("persona", "sessions"),
    [
        ("outsider_client", 0),
        ("applicant_client", 0),
        ("trainee_client", 2),
        ("lecturer_client", 1),
        ("other_lecturer_client", 0),
        ("secretariat_client", 0),
    ],
)
def test_calendar_lists_only_own_sessions(
    request: pytest.FixtureRequest,
    persona: str,
    sessions: int,
    past_session: Session,
    harbin_session: Session,
) -> None:
    response = _get(request, persona).get(reverse("training:calendar"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content.count(b"BEGIN:VEVENT") == sessions


def test_calendar_needs_login(anon_client: Client) -> None:
    assert anon_client.get(reverse("training:calendar")).status_code == 302


@pytest.mark.parametrize("url_name", ["training:cohort", "training:applications"])
def test_missing_cohort_is_404(secretariat_client: Client, url_name: str) -> None:
    assert secretariat_client.get(reverse(url_name, args=[999])).status_code == 404


def test_unknown_decision_is_404(secretariat_client: Client, applicant: User) -> None:
    enrolment: Any = Enrolment.objects.get(user=applicant)
    response = secretariat_client.post(reverse("training:decide", args=[enrolment.pk, "maybe"]))
    assert response.status_code == 404
