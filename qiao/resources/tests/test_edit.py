"""Changing a published resource: its description, new versions, withdrawal and co-authors,
each allowed to the resource's organisations, accepted co-authors' organisations and the
secretariat, and recorded in the resource's history."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.core.testing.factories import UserFactory
from qiao.organizations.models import Organization
from qiao.resources import permissions, services
from qiao.resources.models import (
    Authorship,
    AuthorStatus,
    ChangeAction,
    Resource,
    ResourceChange,
)
from qiao.resources.tests.conftest import pdf

pytestmark = pytest.mark.django_db

PERSONAS = [
    ("anon_client", 302),
    ("student_client", 403),
    ("outsider_client", 403),
    ("ru_rep_client", 403),  # a member, but not of this resource's organisations
    ("cn_rep_client", 200),
    ("secretariat_client", 200),
]


def edit_post(
    resource: Resource, organizations: list[Organization], **changes: Any
) -> dict[str, Any]:
    return {
        "title": resource.title,
        "description": resource.description,
        "language": resource.language,
        "level": resource.level,
        "licence": resource.licence,
        "organizations": [o.pk for o in organizations],
        **changes,
    }


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_open_the_edit_page(
    request: pytest.FixtureRequest, persona: str, status: int, resource: Resource
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_change_the_description(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    resource: Resource,
    cn_org: Organization,
) -> None:
    client: Client = request.getfixturevalue(persona)
    post = edit_post(resource, [cn_org], title="焊接工艺实训教程（第二版）")
    response = client.post(reverse("resources:edit", args=[resource.pk]), post)
    resource.refresh_from_db()
    if status == 200:
        assert response.status_code == 302
        assert resource.title == "焊接工艺实训教程（第二版）"
    else:
        assert response.status_code == status
        assert resource.title == "焊接工艺实训教程"


def test_an_edit_is_recorded_with_the_fields_it_changed(
    resource: Resource,
    cn_rep: User,
    cn_org: Organization,
    ru_org: Organization,
    cn_rep_client: Client,
) -> None:
    post = edit_post(resource, [cn_org, ru_org], licence="cc-by-sa-4.0", level="secondary")
    cn_rep_client.post(reverse("resources:edit", args=[resource.pk]), post)
    resource.refresh_from_db()
    assert resource.licence == "cc-by-sa-4.0" and resource.level == "secondary"
    assert set(resource.organizations.all()) == {cn_org, ru_org}
    assert resource.co_developed  # two member organisations
    change = resource.changes.first()
    assert change is not None and change.action == ChangeAction.EDITED
    assert change.actor == cn_rep
    assert set(change.fields) == {"level", "licence", "organizations", "co_developed"}
    # Saving without a change writes no history, whatever line ends the browser sends.
    count = ResourceChange.objects.count()
    Resource.objects.filter(pk=resource.pk).update(description="第一行\n第二行")
    post["description"] = "第一行\r\n第二行"
    cn_rep_client.post(reverse("resources:edit", args=[resource.pk]), post)
    assert ResourceChange.objects.count() == count
    page = cn_rep_client.get(reverse("resources:detail", args=[resource.pk]))
    assert page.status_code == 200
    assert len(page.context["resource"].changes.all()) == count


def test_a_representative_keeps_their_own_organisation(
    resource: Resource, cn_rep: User, ru_org: Organization
) -> None:
    from django.core.exceptions import ValidationError

    resource.title = "Другое"
    with pytest.raises(ValidationError):
        services.resource_update(actor=cn_rep, resource=resource, organizations=[ru_org])
    with pytest.raises(ValidationError):
        services.resource_update(actor=cn_rep, resource=resource, organizations=[])
    resource.refresh_from_db()
    assert resource.title == "焊接工艺实训教程"


def test_the_search_finds_a_resource_by_its_new_text(
    resource: Resource,
    cn_rep: User,
    cn_org: Organization,
    anon_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    library = reverse("resources:library")
    # Indexed with its old text, and this process's engine has loaded it.
    results = anon_client.get(library, {"q": "сварка электродом"}).context["results"]
    assert results and results[0][0] == resource
    resource.title = "数控机床编程与操作"
    resource.description = "本教程介绍数控车床和加工中心的编程、对刀和零件加工。"
    with django_capture_on_commit_callbacks(execute=True):  # the edit asks for re-indexing
        services.resource_update(actor=cn_rep, resource=resource, organizations=[cn_org])
    results = anon_client.get(library, {"q": "программирование станков с ЧПУ"}).context["results"]
    assert results and results[0][0] == resource


def test_an_accepted_co_authors_organisation_may_edit(
    resource: Resource, cn_rep: User, ru_rep: User, ru_org: Organization
) -> None:
    colleague = UserFactory.create(organization=ru_org)
    assert not permissions.can_edit(colleague, resource)
    authorship = services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.username)
    assert not permissions.can_edit(ru_rep, resource)  # invited is not yet accepted
    services.invitation_respond(actor=ru_rep, authorship=authorship, accept=True)
    assert permissions.can_edit(ru_rep, resource)
    assert permissions.can_edit(colleague, resource)
    assert ru_org in resource.organizations.all()  # the co-author's member organisation joins


def test_a_student_co_author_may_edit_but_their_classmates_may_not(
    resource: Resource, cn_rep: User, student: User
) -> None:
    authorship = services.coauthor_invite(actor=cn_rep, resource=resource, who=student.email)
    services.invitation_respond(actor=student, authorship=authorship, accept=True)
    assert permissions.can_edit(student, resource)
    assert not permissions.can_edit(UserFactory.create(student=True), resource)
    assert resource.organizations.count() == 1


def test_the_invitation_is_emailed_in_the_invitees_language(
    resource: Resource,
    cn_rep: User,
    ru_rep: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.email)
    [message] = mail.outbox
    assert message.to == [ru_rep.email]
    assert "приглашает" in message.subject and resource.title in message.subject


def test_declining_is_recorded_and_a_second_invitation_is_possible(
    resource: Resource, cn_rep: User, ru_rep: User, ru_rep_client: Client
) -> None:
    authorship = services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.username)
    ru_rep_client.post(reverse("resources:respond", args=[authorship.pk, "decline"]))
    authorship.refresh_from_db()
    assert authorship.status == AuthorStatus.DECLINED
    assert not permissions.can_edit(ru_rep, resource)
    assert resource.changes.first().action == ChangeAction.DECLINED  # type: ignore[union-attr]
    services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.username)
    assert Authorship.objects.get(user=ru_rep).status == AuthorStatus.INVITED


# --- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_upload_a_version(
    request: pytest.FixtureRequest, persona: str, status: int, resource: Resource
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(
        reverse("resources:add-version", args=[resource.pk]),
        {"file": pdf("lesson-v2.pdf"), "note": "Exercises added"},
    )
    numbers = list(resource.versions.values_list("number", flat=True))
    if status == 200:
        assert response.status_code == 302
        assert numbers == [2, 1]
    else:
        assert response.status_code == status
        assert numbers == [1]


def test_an_uploaded_version_is_checked_and_the_old_ones_stay(
    resource: Resource, cn_rep_client: Client, anon_client: Client
) -> None:
    url = reverse("resources:add-version", args=[resource.pk])
    cn_rep_client.cookies["django_language"] = "en"
    response = cn_rep_client.post(
        url, {"file": SimpleUploadedFile("v2.pptx", b"%PDF")}, follow=True
    )
    assert "not a real PPTX" in response.content.decode()
    response = cn_rep_client.post(url, {"file": SimpleUploadedFile("v2.exe", b"MZ")}, follow=True)
    assert "not an accepted file type" in response.content.decode()
    assert resource.versions.count() == 1

    cn_rep_client.post(url, {"file": pdf("lesson-v2.pdf"), "note": "Exercises added"})
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    for number in (1, 2):
        response = anon_client.get(reverse("resources:download", args=[resource.pk, number]))
        assert response.status_code == 200
    page = anon_client.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    assert "lesson-v2.pdf" in page and "lesson.pdf" in page and "Exercises added" in page
    actions = list(resource.changes.values_list("action", flat=True))
    assert actions == [ChangeAction.VERSION_ADDED, ChangeAction.PUBLISHED]


def test_an_oversized_version_is_refused(
    resource: Resource, cn_rep: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.exceptions import ValidationError

    monkeypatch.setattr("qiao.resources.files.MAX_RESOURCE_BYTES", 10)
    with pytest.raises(ValidationError):
        services.version_add(
            actor=cn_rep, resource=resource, content=services.Content(file=pdf("big.pdf"))
        )
    assert resource.versions.count() == 1


# --- withdrawal -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_withdraw(
    request: pytest.FixtureRequest, persona: str, status: int, resource: Resource
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.post(
        reverse("resources:withdraw", args=[resource.pk]), {"reason": "Outdated standard"}
    )
    resource.refresh_from_db()
    if status == 200:
        assert response.status_code == 302 and resource.is_withdrawn
    else:
        assert response.status_code == status and not resource.is_withdrawn


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_who_may_put_a_resource_back(
    request: pytest.FixtureRequest, persona: str, status: int, resource: Resource, cn_rep: User
) -> None:
    services.resource_withdraw(actor=cn_rep, resource=resource, reason="Outdated standard")
    client: Client = request.getfixturevalue(persona)
    response = client.post(reverse("resources:restore", args=[resource.pk]))
    resource.refresh_from_db()
    if status == 200:
        assert response.status_code == 302 and not resource.is_withdrawn
    else:
        assert response.status_code == status and resource.is_withdrawn


def test_a_withdrawn_resource_keeps_its_page_and_history_but_leaves_the_library(
    resource: Resource,
    cn_rep: User,
    ru_rep: User,
    anon_client: Client,
    ru_rep_client: Client,
    cn_rep_client: Client,
) -> None:
    with pytest.raises(ServiceError):
        services.resource_withdraw(actor=cn_rep, resource=resource, reason="  ")
    services.resource_withdraw(actor=cn_rep, resource=resource, reason="Outdated standard")
    library = reverse("resources:library")
    assert anon_client.get(library).context["results"] == []
    assert anon_client.get(library, {"q": "焊接"}).context["results"] == []
    page = anon_client.get(reverse("resources:detail", args=[resource.pk]))
    assert page.status_code == 200 and "Outdated standard" in page.content.decode()
    download = reverse("resources:download", args=[resource.pk, 1])
    assert ru_rep_client.get(download).status_code == 403
    assert cn_rep_client.get(download).status_code == 200
    with pytest.raises(ServiceError):
        services.version_add(
            actor=cn_rep, resource=resource, content=services.Content(url="https://e.org/v")
        )
    with pytest.raises(ServiceError):
        services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.username)
    with pytest.raises(NotAllowed):
        services.resource_restore(actor=ru_rep, resource=resource)
    services.resource_restore(actor=cn_rep, resource=resource)
    assert [r for r, _score in anon_client.get(library).context["results"]] == [resource]
    assert list(resource.changes.values_list("action", flat=True)) == [
        ChangeAction.RESTORED,
        ChangeAction.WITHDRAWN,
        ChangeAction.PUBLISHED,
    ]
    assert resource.versions.count() == 1


def test_translations_of_the_title_and_description(
    resource: Resource,
    cn_rep: User,
    cn_org: Organization,
    cn_rep_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The original stays in the resource's language; readers of another language see the
    translation into theirs when there is one, and the search finds it through any version."""
    post = edit_post(
        resource,
        [cn_org],
        title_ru="Практикум по сварке",
        description_ru="Ручная дуговая сварка и сварка в среде защитных газов.\r\nДля колледжей.",
        title_en="Welding practice",
    )
    with django_capture_on_commit_callbacks(execute=True):  # re-indexed after the commit
        cn_rep_client.post(reverse("resources:edit", args=[resource.pk]), post)
    resource.refresh_from_db()
    assert resource.description_ru.endswith("газов.\nДля колледжей.")
    change = resource.changes.first()
    assert change is not None and set(change.fields) == {"title_ru", "description_ru", "title_en"}

    ru = resource.shown("ru")
    assert (ru.title, ru.title_language, ru.description_language) == (
        "Практикум по сварке",
        "ru",
        "ru",
    )
    en = resource.shown("en")  # an English title, the description only in the original
    assert (en.title, en.title_language, en.description_language) == (
        "Welding practice",
        "en",
        "zh",
    )
    assert resource.shown("zh-hans").title == "焊接工艺实训教程"
    client = Client()
    client.cookies["django_language"] = "ru"
    page = client.get(reverse("resources:detail", args=[resource.pk])).content.decode()
    assert "Практикум по сварке" in page and "焊接工艺实训教程" in page  # the original, too
    library = client.get(reverse("resources:library"), {"q": "сварка в среде защитных газов"})
    assert "Практикум по сварке" in library.content.decode()
    assert library.context["results"][0][0] == resource
