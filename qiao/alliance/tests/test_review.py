"""The secretariat reviews applications: approve, reject with a reason, or ask for more
information. Nobody else may see the queue, the applications or their documents."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import Role, User
from qiao.alliance import services
from qiao.alliance.models import (
    ApplicationStatus,
    Membership,
    MembershipApplication,
    MembershipStatus,
)
from qiao.alliance.tests.conftest import application_data, pdf
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization

pytestmark = pytest.mark.django_db

DENIED = [
    ("anon_client", 302),
    ("student_client", 403),
    ("cn_rep_client", 403),
    ("ru_rep_client", 403),
    ("broker_client", 403),
    ("secretariat_client", 200),
]


@pytest.mark.parametrize(("persona", "status"), DENIED)
def test_review_pages_are_for_the_secretariat_only(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    application: MembershipApplication,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    document = application.documents.get()
    urls = [
        reverse("alliance:review"),
        reverse("alliance:review-detail", args=[application.pk]),
        reverse("alliance:review-document", args=[application.pk, document.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("persona", "status"), DENIED)
def test_only_the_secretariat_may_decide(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    application: MembershipApplication,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(
        reverse("alliance:review-detail", args=[application.pk]), {"decision": "approve"}
    )
    assert response.status_code == (302 if status == 200 else status)
    application.refresh_from_db()
    expected = ApplicationStatus.APPROVED if status == 200 else ApplicationStatus.SUBMITTED
    assert application.status == expected


def test_services_refuse_non_secretariat(
    application: MembershipApplication, broker: User, ru_rep: User
) -> None:
    for user in (broker, ru_rep):
        with pytest.raises(NotAllowed):
            services.application_approve(actor=user, application=application)
        with pytest.raises(NotAllowed):
            services.application_reject(actor=user, application=application, reason="no")
        with pytest.raises(NotAllowed):
            services.application_request_info(actor=user, application=application, message="?")


def test_review_list_queries_do_not_grow_with_the_number_of_applications(
    secretariat_client: Client,
    application: MembershipApplication,
    django_assert_max_num_queries: Any,
) -> None:
    for i in range(5):
        services.application_submit(
            data=application_data(name_en=f"College {i}", name_ru=f"Колледж {i}"),
            uploads=[services.Upload(kind="registration", file=pdf())],
        )
    with django_assert_max_num_queries(8):
        response = secretariat_client.get(reverse("alliance:review"))
    assert len(response.context["page"]) == 6


def test_approval_makes_a_member_with_an_account_and_welcomes_in_their_language(
    secretariat_client: Client,
    application: MembershipApplication,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(
            reverse("alliance:review-detail", args=[application.pk]),
            {"decision": "approve", "message": "Добро пожаловать"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by is not None and application.decided_at is not None
    organization = application.organization
    assert organization is not None
    assert (organization.name_ru, organization.country, organization.kind) == (
        "Амурский колледж сервиса",
        "RU",
        "secondary_vocational",
    )
    membership = Membership.objects.get(organization=organization)
    assert membership.status == MembershipStatus.MEMBER
    assert membership.region == "RU-AMU"
    assert membership.joined_on is not None
    assert [s.code for s in membership.specialties.all()] == ["welding"]
    user = application.representative
    assert user is not None
    assert (user.email, user.organization_id, user.role, user.preferred_language) == (
        "anna@amur-college.example",
        organization.pk,
        Role.REPRESENTATIVE,
        "ru",
    )
    assert not user.has_usable_password()
    (welcome,) = mail.outbox
    assert welcome.to == ["anna@amur-college.example"]
    assert "Добро пожаловать в альянс" in welcome.subject
    assert "/accounts/password/reset/" in welcome.body
    # The new representative also finds the welcome in the app, without the password link.
    (in_app,) = user.notifications.all()
    assert in_app.subject == welcome.subject
    assert "/accounts/password/" not in in_app.body
    assert in_app.url == reverse("alliance:member", args=[organization.pk])
    # The member appears in the public directory.
    assert Client().get(reverse("alliance:member", args=[organization.pk])).status_code == 200


def test_approving_a_prospective_member_converts_it(
    secretariat: User, application: MembershipApplication
) -> None:
    organization = Organization.objects.create(
        name_ru="Амурский колледж сервиса", kind="secondary_vocational", country="RU"
    )
    prospect = services.prospect_add(actor=secretariat, organization=organization)
    services.application_approve(actor=secretariat, application=application)
    prospect.refresh_from_db()
    assert (prospect.status, prospect.stage) == (MembershipStatus.MEMBER, "")
    assert Organization.objects.filter(name_ru="Амурский колледж сервиса").count() == 1


def test_an_existing_member_cannot_be_approved_twice(
    secretariat: User, application: MembershipApplication
) -> None:
    services.application_approve(actor=secretariat, application=application)
    again = services.application_submit(data=application_data(), uploads=[])
    with pytest.raises(ServiceError, match="already a member"):
        services.application_approve(actor=secretariat, application=again)
    again.refresh_from_db()
    assert again.status == ApplicationStatus.SUBMITTED  # rolled back


def test_rejection_needs_a_reason_and_is_e_mailed(
    secretariat_client: Client,
    application: MembershipApplication,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("alliance:review-detail", args=[application.pk])
    response = secretariat_client.post(url, {"decision": "reject", "message": "  "})
    assert response.status_code == 200
    assert "Give the reason for the rejection." in response.context["form"].errors["message"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(url, {"decision": "reject", "message": "Нет лицензии."})
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("rejected", "Нет лицензии.")
    (email,) = mail.outbox
    assert "Нет лицензии." in email.body
    assert not Membership.objects.exists()
    # A decided application cannot be decided again.
    secretariat_client.post(url, {"decision": "approve"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


def test_more_information_round_trip_keeps_the_whole_history(
    secretariat_client: Client,
    anon_client: Client,
    application: MembershipApplication,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("alliance:review-detail", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(
            url, {"decision": "more_info", "message": "Пришлите копию лицензии."}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MORE_INFO
    (email,) = mail.outbox
    assert "Пришлите копию лицензии." in email.body
    assert str(application.token) in email.body
    # Asking twice is refused.
    secretariat_client.post(url, {"decision": "more_info", "message": "Ещё раз"})
    assert application.events.count() == 2

    status_url = reverse("alliance:application-status", args=[application.token])
    response = anon_client.post(
        status_url, {"message": "Лицензия во вложении.", "document": pdf("licence.pdf")}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.documents.count() == 2
    messages = list(application.events.values_list("to_status", "message"))
    assert messages == [
        ("submitted", ""),
        ("more_info", "Пришлите копию лицензии."),
        ("submitted", "Лицензия во вложении."),
    ]
