"""The owners edit a published programme: close it to applications, change its quota and
requirements. Representatives of the lead member institution and the secretariat may; nobody
else. The quota never falls below the places already offered; bad input writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.alliance.models import Membership
from qiao.programmes import services
from qiao.programmes.models import ApplicationStatus, Programme, StudentApplication

pytestmark = pytest.mark.django_db


def _form(programme: Programme, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": programme.kind,
        "level": programme.level,
        "title_zh": programme.title_zh,
        "title_ru": programme.title_ru,
        "title_en": programme.title_en,
        "description": programme.description,
        "description_language": programme.description_language,
        "lead": programme.lead_id,
        "instruction_languages": programme.instruction_languages,
        "duration_months": programme.duration_months,
        "quota": programme.quota,
        "hsk_required": programme.hsk_required or "",
        "torfl_required": programme.torfl_required or "",
        "other_requirements": programme.other_requirements,
        "partners_field": [p.pk for p in programme.partners.all()],
        "open_for_applications": "on" if programme.open_for_applications else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


ROLES = [
    ("anon_client", 302, False),
    ("student_client", 403, False),
    ("ru_rep_client", 403, False),  # a partner institution processes applications, not the offer
    ("outsider_client", 403, False),
    ("broker_client", 403, False),
    ("cn_rep_client", 302, True),  # the lead member institution
    ("secretariat_client", 302, True),
]


@pytest.mark.parametrize(("persona", "code", "allowed"), ROLES)
def test_close_and_change_quota_and_requirements_by_role(
    request: pytest.FixtureRequest,
    cn_member: Membership,
    programme: Programme,
    persona: str,
    code: int,
    allowed: bool,
) -> None:
    client: Client = request.getfixturevalue(persona)
    url = reverse("programmes:edit", args=[programme.pk])
    assert client.get(url).status_code == (200 if allowed else code)
    response = client.post(
        url,
        _form(
            programme,
            quota=12,
            hsk_required=3,
            other_requirements="Опыт сварки",
            open_for_applications="",
        ),
    )
    assert response.status_code == code
    programme.refresh_from_db()
    assert (programme.quota == 12) is allowed
    assert (programme.hsk_required == 3) is allowed
    assert (programme.other_requirements == "Опыт сварки") is allowed
    assert programme.open_for_applications is (not allowed)
    detail = client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert ('id="edit-programme"' in detail) is allowed


def test_lead_of_a_former_member_may_not_edit(cn_rep_client: Client, programme: Programme) -> None:
    """No membership row for cn_org in this test: its representatives are no member."""
    url = reverse("programmes:edit", args=[programme.pk])
    assert cn_rep_client.get(url).status_code == 403


def test_closed_programme_takes_no_applications(
    cn_member: Membership, cn_rep_client: Client, student_client: Client, programme: Programme
) -> None:
    cn_rep_client.post(
        reverse("programmes:edit", args=[programme.pk]),
        _form(programme, open_for_applications=""),
    )
    page = student_client.get(reverse("programmes:detail", args=[programme.pk]))
    assert 'id="closed-notice"' in page.content.decode()
    assert 'name="motivation"' not in page.content.decode()
    response = student_client.post(
        reverse("programmes:detail", args=[programme.pk]),
        {"motivation": "Хочу учиться.", "motivation_language": "ru", "hsk_level": "3"},
    )
    assert response.status_code == 200
    assert not StudentApplication.objects.exists()


def test_quota_cannot_fall_below_places_offered_and_nothing_is_written(
    cn_member: Membership, cn_rep_client: Client, student: User, programme: Programme
) -> None:
    Programme.objects.filter(pk=programme.pk).update(quota=3)
    programme.refresh_from_db()
    for _ in range(2):
        StudentApplication.objects.create(
            programme=programme,
            student=student if _ == 0 else _other_student(),
            motivation="Хочу учиться.",
            motivation_language="ru",
            status=ApplicationStatus.OFFER,
        )
    cn_rep_client.cookies["django_language"] = "ru"
    response = cn_rep_client.post(
        reverse("programmes:edit", args=[programme.pk]),
        _form(programme, quota=1, other_requirements="Новое требование"),
    )
    assert response.status_code == 200
    assert "квота не может быть меньше" in response.content.decode()
    programme.refresh_from_db()
    assert programme.quota == 3 and programme.other_requirements != "Новое требование"


def test_bad_input_is_refused_in_the_ui_language(
    cn_member: Membership, cn_rep_client: Client, programme: Programme
) -> None:
    cn_rep_client.cookies["django_language"] = "zh-hans"
    response = cn_rep_client.post(
        reverse("programmes:edit", args=[programme.pk]), _form(programme, quota="many")
    )
    assert response.status_code == 200
    assert "输入整数。" in response.content.decode()
    programme.refresh_from_db()
    assert programme.quota == 1


def test_service_refuses_other_roles(ru_rep: User, programme: Programme) -> None:
    from qiao.core.errors import NotAllowed

    programme.quota = 9
    with pytest.raises(NotAllowed):
        services.programme_update(actor=ru_rep, programme=programme, partners=[])
    programme.refresh_from_db()
    assert programme.quota == 1


def _other_student() -> User:
    from qiao.core.testing.factories import UserFactory

    return UserFactory.create(student=True)
