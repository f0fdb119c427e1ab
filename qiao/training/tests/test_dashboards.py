"""Lecturers see attendance and scores per trainee and module (CSV and XLSX export); the
secretariat the enrolment numbers and funnel of every cohort (chart, table, CSV and XLSX)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qiao.accounts.models import User
from qiao.training import selectors, services, simulation
from qiao.training.models import Assignment, Cohort, Enrolment, Module, Session

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("applicant_client", 403),
        ("trainee_client", 403),
        ("foreign_lecturer_client", 403),
        ("other_lecturer_client", 200),
        ("lecturer_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_progress_permissions(
    request: pytest.FixtureRequest, persona: str, status: int, cohort: Cohort
) -> None:
    for who in ("lecturer", "applicant", "foreign_lecturer"):
        request.getfixturevalue(who)
    client: Client = request.getfixturevalue(persona)
    url = reverse("training:progress", args=[cohort.pk])
    assert client.get(url).status_code == status
    assert client.get(url + "?format=csv").status_code == status
    assert client.get(url + "?format=xlsx").status_code == status


@pytest.fixture
def progress(
    lecturer: User,
    trainee: User,
    past_session: Session,
    harbin_session: Session,
    assignment: Assignment,
    modules: list[Module],
) -> Assignment:
    """The trainee attended the past session (module 2) and submitted the assignment, which
    belongs to module 1; a second assignment has no module and no submission."""
    assignment.module = modules[0]
    assignment.save()
    Assignment.objects.create(
        cohort=assignment.cohort,
        title_en="Loose exercise",
        situation_en="Without a module.",
        partners_due=assignment.partners_due,
        deal_due=assignment.deal_due,
    )
    enrolment = Enrolment.objects.get(user=trainee)
    services.attendance_record(actor=lecturer, session=past_session, present={enrolment.pk: True})
    attempt = simulation.attempt_start(actor=trainee, assignment=assignment)
    offer = assignment.offers.get(title="奶酪发酵菌种")
    simulation.attempt_choose_partner(actor=trainee, attempt=attempt, offer=offer, chosen=True)
    return simulation.attempt_submit(
        actor=trainee, attempt=attempt, justification="j", language="en"
    ).assignment


def test_progress_per_module(
    lecturer_client: Client,
    progress: Assignment,
    cohort: Cohort,
    modules: list[Module],
    django_assert_max_num_queries: pytest.FixtureRequest,
) -> None:
    attempt = progress.attempts.get()
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = lecturer_client.get(reverse("training:progress", args=[cohort.pk]))
    report: selectors.ProgressReport = response.context["report"]
    # Module 1 (the Harbin session, in 2027, and the assignment), module 2 (the past session),
    # then the assignment without a module. Module 3 has neither.
    assert [c.module for c in report.columns] == [modules[0], modules[1], None]
    assert [c.held for c in report.columns] == [0, 1, 0]
    (row,) = report.rows
    # Only the past session is held so far.
    assert (row.attended, row.held, row.attendance_percent) == (1, 1, 100)
    first, second, loose = row.modules
    assert (first.attended, first.held, first.scores) == (0, 0, [attempt.total_score])
    assert first.average_score == attempt.total_score
    assert (second.attended, second.held, second.attendance_percent) == (1, 1, 100)
    assert (loose.scores, loose.average_score) == ([None], None)
    assert row.scores == [attempt.total_score, None]
    chart = response.context["chart"]["modules"]
    assert chart["datasets"][0]["values"] == [None, 100, None]
    assert chart["datasets"][1]["values"] == [attempt.total_score, None, None]


def test_progress_export(
    secretariat_client: Client, progress: Assignment, cohort: Cohort, modules: list[Module]
) -> None:
    attempt = progress.attempts.get()
    url = reverse("training:progress", args=[cohort.pk])
    response = secretariat_client.get(url + "?format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text[1:])))
    first = modules[0].title()
    assert header[:4] == ["Trainee", "User name", "Sessions attended", "Sessions held"]
    assert header[4:8] == [
        f"{first}: sessions attended",
        f"{first}: sessions held",
        f"{first}: {progress.title()}",
        f"{first}: average score",
    ]
    assert row[1:4] == ["trainee", "1", "1"]
    assert row[4:8] == ["0", "0", str(attempt.total_score), str(attempt.total_score)]
    book = load_workbook(io.BytesIO(secretariat_client.get(url + "?format=xlsx").content))
    sheet = book.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1:4] == ("trainee", 1, 1)
    assert values[1][6] == attempt.total_score


def test_unknown_export_format(secretariat_client: Client, cohort: Cohort) -> None:
    url = reverse("training:progress", args=[cohort.pk])
    assert secretariat_client.get(url + "?format=pdf").status_code == 404
    assert secretariat_client.get(reverse("training:numbers") + "?format=pdf").status_code == 404


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
def test_numbers_permissions(request: pytest.FixtureRequest, persona: str, status: int) -> None:
    client: Client = request.getfixturevalue(persona)
    for suffix in ("", "?format=csv", "?format=xlsx"):
        assert client.get(reverse("training:numbers") + suffix).status_code == status


def test_numbers_funnel(
    secretariat_client: Client,
    applicant: User,
    progress: Assignment,
    cohort: Cohort,
    django_assert_max_num_queries: pytest.FixtureRequest,
) -> None:
    # 8 for the page, plus the assessment app's completion per cohort (a fixed number each)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = secretariat_client.get(reverse("training:numbers"))
    ((listed, funnel),) = response.context["funnels"]
    assert listed == cohort
    # Two applications, one accepted, who attended and submitted a simulation.
    assert [(s.key, s.count) for s in funnel] == [
        ("applications", 2),
        ("accepted", 1),
        ("attending", 1),
        ("simulating", 1),
        ("completed", 1),  # the default rules: attended, no quiz yet, simulation submitted
        ("certified", 0),
    ]
    chart = response.context["chart"]["funnel"]
    assert chart["datasets"] == [{"label": cohort.title(), "values": [2, 1, 1, 1, 1, 0]}]


def test_numbers_export(
    secretariat_client: Client, applicant: User, progress: Assignment, cohort: Cohort
) -> None:
    response = secretariat_client.get(reverse("training:numbers") + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == [
        "cohort",
        "starts_on",
        "capacity",
        "applied",
        "accepted",
        "waitlisted",
        "rejected",
        "withdrawn",
        "applications",
        "attending",
        "simulating",
        "completed",
        "certified",
    ]
    assert rows[1][2:] == ["2", "1", "1", "0", "0", "0", "2", "1", "1", "1", "0"]
    response = secretariat_client.get(reverse("training:numbers") + "?format=xlsx")
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert list(sheet.iter_rows(values_only=True))[1][2:] == (2, 1, 1, 0, 0, 0, 2, 1, 1, 1, 0)


def test_outcome_hook_adds_columns(
    secretariat_client: Client, trainee: User, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the assessment app will plug in: its steps reach the table, chart and exports."""
    monkeypatch.setattr(
        selectors,
        "cohort_outcomes",
        lambda *, cohort: [selectors.FunnelStep("certified", "Certified", 1)],
    )
    page = secretariat_client.get(reverse("training:numbers"))
    assert page.context["steps"][-1] == "Certified"
    assert page.context["chart"]["funnel"]["datasets"][0]["values"][-1] == 1
    response = secretariat_client.get(reverse("training:numbers") + "?format=csv")
    header, row = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert (header[-1], row[-1]) == ("certified", "1")


def test_outcomes_come_from_the_assessment_app(cohort: Cohort, trainee: User) -> None:
    """The assessment app registers its provider; with no rules met and no certificate issued
    its counts are zero, not invented."""
    steps = selectors.cohort_outcomes(cohort=cohort)
    assert [(step.key, step.count) for step in steps] == [("completed", 0), ("certified", 0)]
