"""Applications: apply, statuses for each side, e-mails in the recipient's language, board."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.careers import services
from qiao.careers.models import Application, ApplicationStatus, Posting, PostingStatus
from qiao.careers.tests.factories import PostingFactory
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(student: User, posting: Posting) -> Application:
    app = Application.objects.create(posting=posting, candidate=student)
    return app


def test_student_applies_and_employer_is_told_in_russian(
    student_client: Client,
    student: User,
    employer: User,
    posting: Posting,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = student_client.post(
            reverse("careers:apply", args=[posting.pk]),
            {
                "cover_letter": "我学习焊接技术三年，希望到贵公司实习。",
                "cover_letter_language": "zh",
            },
        )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.candidate == student and application.status == "submitted"
    assert application.cover_letter_language == "zh"
    assert [m.to for m in mail.outbox] == [[employer.email]]
    assert "Заявка" in mail.outbox[0].subject  # the employer reads Russian
    assert f"/careers/applications/{application.pk}/" in mail.outbox[0].body


def test_cover_letter_language_checked(student_client: Client, posting: Posting) -> None:
    response = student_client.post(
        reverse("careers:apply", args=[posting.pk]),
        {"cover_letter": "我学习焊接技术三年，希望到贵公司实习。", "cover_letter_language": "ru"},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_apply_twice_is_refused(student: User, posting: Posting) -> None:
    services.application_submit(actor=student, posting=posting, cover_letter="")
    with pytest.raises(ServiceError):
        services.application_submit(actor=student, posting=posting, cover_letter="")
    assert Application.objects.count() == 1


def test_apply_to_closed_or_draft_posting_refused(
    student: User, ru_enterprise: Organization
) -> None:
    for status in (PostingStatus.DRAFT, PostingStatus.CLOSED, PostingStatus.SUBMITTED):
        posting = PostingFactory.create(employer=ru_enterprise, status=status)
        with pytest.raises(NotAllowed):
            services.application_submit(actor=student, posting=posting, cover_letter="")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 200),
        ("employer_client", 403),
        ("cn_rep_client", 403),
        ("outsider_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 403),
    ],
)
def test_apply_page(
    request: pytest.FixtureRequest, posting: Posting, persona: str, status: int
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(reverse("careers:apply", args=[posting.pk])).status_code == status


def test_student_without_profile_is_sent_to_fill_it(posting: Posting) -> None:
    from qiao.careers.tests.factories import StudentFactory

    client = Client()
    client.force_login(StudentFactory.create())
    response = client.get(reverse("careers:apply", args=[posting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("careers:my-profile")


def test_full_lifecycle_with_emails_in_each_recipients_language(
    student: User,
    employer: User,
    application: Application,
    django_capture_on_commit_callbacks: object,
) -> None:
    steps = [
        (employer, ApplicationStatus.VIEWED, student),
        (employer, ApplicationStatus.SHORTLISTED, student),
        (employer, ApplicationStatus.INTERVIEW, student),
        (employer, ApplicationStatus.OFFER, student),
        (student, ApplicationStatus.ACCEPTED, employer),
    ]
    for actor, status, recipient in steps:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            services.application_set_status(actor=actor, application=application, status=status)
        assert application.status == status
        assert [m.to for m in mail.outbox] == [[recipient.email]]
    # the student reads Chinese, the employer Russian
    assert "接受" in mail.outbox[0].subject or "Принят" in mail.outbox[0].subject
    assert list(application.events.values_list("to_status", flat=True)) == [
        "viewed",
        "shortlisted",
        "interview",
        "offer",
        "accepted",
    ]


def test_student_email_is_chinese(
    student: User,
    employer: User,
    application: Application,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.application_set_status(
            actor=employer, application=application, status=ApplicationStatus.VIEWED
        )
    assert "您的申请" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("actor_name", "from_status", "to_status", "allowed"),
    [
        ("student", "submitted", "withdrawn", True),
        ("student", "submitted", "shortlisted", False),
        ("student", "offer", "accepted", True),
        ("student", "offer", "declined", True),
        ("student", "interview", "accepted", False),
        ("employer", "submitted", "viewed", True),
        ("employer", "viewed", "shortlisted", True),
        ("employer", "shortlisted", "offer", True),
        ("employer", "offer", "accepted", False),  # only the candidate accepts
        ("employer", "submitted", "withdrawn", False),
        ("employer", "withdrawn", "viewed", False),
        ("employer", "interview", "declined", True),
        ("secretariat", "submitted", "viewed", True),
    ],
)
def test_transition_rules(
    request: pytest.FixtureRequest,
    application: Application,
    actor_name: str,
    from_status: str,
    to_status: str,
    allowed: bool,
) -> None:
    application.status = from_status
    application.save()
    actor = request.getfixturevalue(actor_name)
    if allowed:
        services.application_set_status(actor=actor, application=application, status=to_status)
        assert application.status == to_status
    else:
        with pytest.raises(ServiceError):
            services.application_set_status(actor=actor, application=application, status=to_status)
        application.refresh_from_db()
        assert application.status == from_status


@pytest.mark.parametrize("actor_name", ["cn_rep", "outsider", "broker", "other_student"])
def test_others_may_not_change_status(
    request: pytest.FixtureRequest, application: Application, actor_name: str
) -> None:
    with pytest.raises(NotAllowed):
        services.application_set_status(
            actor=request.getfixturevalue(actor_name),
            application=application,
            status=ApplicationStatus.VIEWED,
        )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 200),
        ("other_student_client", 404),
        ("employer_client", 200),
        ("cn_rep_client", 200),  # the student's institution, read only
        ("outsider_client", 404),
        ("broker_client", 404),
        ("secretariat_client", 200),
    ],
)
def test_application_page(
    request: pytest.FixtureRequest, application: Application, persona: str, status: int
) -> None:
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:application", args=[application.pk]))
    assert response.status_code == status
    if persona == "cn_rep_client":
        assert response.context["transitions"] == []


def test_employer_opening_marks_viewed(employer_client: Client, application: Application) -> None:
    employer_client.get(reverse("careers:application", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.VIEWED


def test_status_post_from_the_page(employer_client: Client, application: Application) -> None:
    application.status = ApplicationStatus.VIEWED
    application.save()
    url = reverse("careers:application-status", args=[application.pk])
    employer_client.post(url, {"status": "shortlisted"})
    application.refresh_from_db()
    assert application.status == "shortlisted"
    employer_client.post(url, {"status": "accepted"})  # not the employer's to make
    application.refresh_from_db()
    assert application.status == "shortlisted"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("employer_client", 200),
        ("cn_rep_client", 403),
        ("outsider_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_board_of_applicants(
    request: pytest.FixtureRequest, application: Application, persona: str, status: int
) -> None:
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:board", args=[application.posting_id]))
    assert response.status_code == status
    if status == 200:
        columns = {value: apps for value, _label, apps in response.context["columns"]}
        assert columns["submitted"] == [application]
        assert [f.profile.user for f in response.context["fits"]] == [application.candidate]


def test_my_applications_only_own(
    student_client: Client, application: Application, other_student: User, posting: Posting
) -> None:
    Application.objects.create(posting=posting, candidate=other_student)
    response = student_client.get(reverse("careers:my-applications"))
    assert list(response.context["applications"]) == [application]


def test_text_without_a_declared_language_names_what_is_missing() -> None:
    from django.core.exceptions import ValidationError

    from qiao.careers.services import check_text_language

    with pytest.raises(ValidationError) as refused:
        check_text_language("Хочу пройти стажировку.", "")
    assert refused.value.message_dict["language"] == [
        "Please choose the language the text is written in."
    ]
