"""Programmes and joint recruitment: a public catalogue; students apply (language levels
checked); the lead and partner institutions move applications with reasons; quotas hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.alliance.models import Membership
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization
from qiao.programmes import services
from qiao.programmes.models import ApplicationStatus, Programme, StudentApplication

pytestmark = pytest.mark.django_db


def _apply(user: User, programme: Programme, hsk: int | None = 3) -> StudentApplication:
    return services.application_submit(
        actor=user,
        programme=programme,
        data=services.ApplicationData(
            motivation="Хочу работать сварщиком в совместной компании.",
            motivation_language="ru",
            hsk_level=hsk,
        ),
    )


@pytest.mark.parametrize("persona", ["anon_client", "student_client", "outsider_client"])
def test_catalogue_and_programme_pages_are_public(
    request: pytest.FixtureRequest, persona: str, programme: Programme
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(
        reverse("programmes:catalogue"), {"language": "ru", "kind": "chinese_plus_short"}
    )
    assert [p.pk for p in response.context["page"]] == [programme.pk]
    assert not list(client.get(reverse("programmes:catalogue"), {"language": "en"}).context["page"])
    assert client.get(reverse("programmes:detail", args=[programme.pk])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("outsider_client", 403),  # not a member
        ("cn_rep_client", 200),  # member representative
        ("secretariat_client", 200),
    ],
)
def test_who_may_publish_a_programme(
    request: pytest.FixtureRequest, persona: str, status: int, cn_member: Membership
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("programmes:create")).status_code == status


def test_a_member_publishes_a_programme_led_by_its_organisation(
    cn_rep_client: Client, cn_member: Membership, ru_org: Organization, other_org: Organization
) -> None:
    post = {
        "kind": "co_built",
        "level": "higher_vocational",
        "title_zh": "共建铁道交通运营管理专业",
        "description": "与俄罗斯院校共建专业，学生第三年赴俄实习。",
        "description_language": "zh",
        "lead": cn_member.organization_id,
        "instruction_languages": ["zh", "ru"],
        "duration_months": "36",
        "quota": "30",
        "torfl_required": "3",
    }
    response = cn_rep_client.post(reverse("programmes:create"), post)
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.lead_id == cn_member.organization_id
    # Another organisation cannot be chosen as lead by this representative.
    response = cn_rep_client.post(reverse("programmes:create"), {**post, "lead": other_org.pk})
    assert response.status_code == 200 and response.context["form"].errors["lead"]
    # Bad input: no title in any language, no places.
    response = cn_rep_client.post(
        reverse("programmes:create"), {**post, "title_zh": "", "quota": "0"}
    )
    assert response.status_code == 200
    assert Programme.objects.count() == 1


def test_language_requirements_are_checked_when_applying(
    student_client: Client, programme: Programme
) -> None:
    url = reverse("programmes:detail", args=[programme.pk])
    student_client.cookies["django_language"] = "ru"
    response = student_client.post(
        url, {"motivation": "Хочу учиться.", "motivation_language": "ru", "hsk_level": "1"}
    )
    assert response.status_code == 200
    assert "требуется HSK 2" in response.context["form"].errors["hsk_level"][0]
    assert not StudentApplication.objects.exists()
    response = student_client.post(
        url, {"motivation": "Хочу учиться.", "motivation_language": "ru", "hsk_level": "2"}
    )
    assert response.status_code == 302
    assert StudentApplication.objects.get().status == ApplicationStatus.RECEIVED
    # Only one open application per programme.
    response = student_client.post(
        url, {"motivation": "Ещё раз.", "motivation_language": "ru", "hsk_level": "2"}
    )
    assert response.status_code == 200
    assert StudentApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 403),
        ("student_client", 403),
        ("broker_client", 403),
        ("cn_rep_client", 200),  # lead institution
        ("ru_rep_client", 200),  # partner institution
        ("secretariat_client", 200),
    ],
)
def test_who_sees_the_applicants(
    request: pytest.FixtureRequest, persona: str, status: int, programme: Programme, student: User
) -> None:
    application = _apply(student, programme)
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("programmes:applications", args=[programme.pk])).status_code == status
    detail = client.get(reverse("programmes:application", args=[application.pk])).status_code
    assert detail == (
        404
        if status == 403 and persona != "student_client"
        else 200
        if persona == "student_client"
        else status
    )


def test_the_whole_path_with_reasons_and_quota(
    programme: Programme, student: User, cn_rep: User, ru_rep: User
) -> None:
    first = _apply(student, programme)
    second = _apply(UserFactory.create(student=True), programme)
    services.application_move(actor=cn_rep, application=first, to="under_review")
    services.application_move(actor=ru_rep, application=first, to="offer")
    services.application_move(actor=cn_rep, application=second, to="under_review")
    with pytest.raises(ServiceError, match="All places"):
        services.application_move(actor=cn_rep, application=second, to="offer")
    with pytest.raises(ServiceError, match="reason"):
        services.application_move(actor=cn_rep, application=second, to="declined")
    services.application_move(
        actor=cn_rep, application=second, to="declined", reason="Quota filled."
    )
    # Only the student answers an offer; the institution cannot accept for them.
    with pytest.raises(ServiceError):
        services.application_move(actor=cn_rep, application=first, to="accepted")
    services.application_move(actor=student, application=first, to="accepted")
    first.refresh_from_db()
    assert first.status == ApplicationStatus.ACCEPTED
    assert list(first.steps.values_list("to_status", flat=True)) == [
        "received",
        "under_review",
        "offer",
        "accepted",
    ]
    second.refresh_from_db()
    assert second.steps.last().reason == "Quota filled."  # type: ignore[union-attr]


def test_a_student_declines_an_offer_with_a_reason(
    student_client: Client, programme: Programme, student: User, cn_rep: User
) -> None:
    application = _apply(student, programme)
    services.application_move(actor=cn_rep, application=application, to="under_review")
    services.application_move(actor=cn_rep, application=application, to="offer")
    url = reverse("programmes:move", args=[application.pk])
    student_client.post(url, {"to": "declined", "reason": ""})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFER
    student_client.post(url, {"to": "declined", "reason": "Chose another college."})
    application.refresh_from_db()
    assert (application.status, application.declined_by_student) == ("declined", True)


def test_strangers_cannot_move_applications(
    programme: Programme, student: User, outsider: User, outsider_client: Client
) -> None:
    application = _apply(student, programme)
    with pytest.raises(NotAllowed):
        services.application_move(actor=outsider, application=application, to="under_review")
    response = outsider_client.post(
        reverse("programmes:move", args=[application.pk]), {"to": "under_review"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_catalogue_queries_do_not_grow(
    anon_client: Client, programme: Programme, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        other = Programme.objects.create(
            kind="co_built",
            level="bachelor",
            title_en=f"Programme {n}",
            description="A programme.",
            description_language="en",
            lead=programme.lead,
            instruction_languages=["en"],
            duration_months=12,
            quota=5,
        )
        other.partners.set(programme.partners.all())
    with django_assert_max_num_queries(6):
        response = anon_client.get(reverse("programmes:catalogue"))
    assert len(response.context["page"]) == 6


def test_applicant_contact_is_shown_to_the_institutions_only(
    programme: Programme, student: User, ru_rep_client: Client, student_client: Client
) -> None:
    application = _apply(student, programme)
    url = reverse("programmes:application", args=[application.pk])
    assert "s@uni.example" in ru_rep_client.get(url).content.decode()  # partner institution
    assert "s@uni.example" not in student_client.get(url).content.decode()
