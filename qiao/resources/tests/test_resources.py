"""Teaching resources: members publish files or links in versions; anyone finds them in any
language through the matching engine; downloads are counted; co-authors are invited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from qiao.accounts.models import User
from qiao.alliance.models import Membership
from qiao.core.errors import NotAllowed, ServiceError
from qiao.organizations.models import Organization
from qiao.resources import services
from qiao.resources.models import Authorship, AuthorStatus, Resource, ResourceVersion
from qiao.resources.tests.conftest import pdf
from qiao.search.selectors import search_ids

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("outsider_client", 403),
        ("broker_client", 403),
        ("cn_rep_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_who_may_publish(
    request: pytest.FixtureRequest, persona: str, status: int, members: list[Membership]
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("resources:publish")).status_code == status


def test_publishing_checks_the_file_and_writes_nothing_on_bad_input(
    cn_rep_client: Client, members: list[Membership], cn_org: Organization, ru_org: Organization
) -> None:
    post = {
        "title": "Сварка: практикум",
        "description": "Практикум по ручной дуговой сварке для колледжей.",
        "language": "ru",
        "level": "secondary",
        "licence": "cc-by-sa-4.0",
        "organizations": [cn_org.pk, ru_org.pk],
    }
    cn_rep_client.cookies["django_language"] = "en"
    for bad, message in (
        ({"file": SimpleUploadedFile("x.exe", b"MZ")}, "not an accepted file type"),
        ({"file": SimpleUploadedFile("x.pptx", b"%PDF")}, "not a real PPTX"),
        ({"file": pdf(), "url": "https://example.org/v"}, "either a file or a link"),
        ({}, "either a file or a link"),
    ):
        response = cn_rep_client.post(reverse("resources:publish"), {**post, **bad})
        assert response.status_code == 200
        text = response.content.decode()
        assert message in text, message
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()

    response = cn_rep_client.post(reverse("resources:publish"), {**post, "file": pdf()})
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.co_developed  # two member organisations
    assert resource.versions.get().number == 1


def test_a_representative_must_include_their_own_organisation(
    cn_rep: User, ru_org: Organization, members: list[Membership]
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.resource_publish(
            actor=cn_rep,
            resource=Resource(
                title="T", description="D", language="en", level="training", licence="cc-by-4.0"
            ),
            organizations=[ru_org],
            content=services.Content(url="https://example.org/video"),
        )
    assert not Resource.objects.exists()


def test_versions_are_added_not_replaced_and_downloads_counted(
    resource: Resource, cn_rep: User, anon_client: Client
) -> None:
    services.version_add(
        actor=cn_rep,
        resource=resource,
        content=services.Content(url="https://video.example/lesson", note="Video added"),
    )
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    response = anon_client.get(reverse("resources:download", args=[resource.pk, 1]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    response = anon_client.get(reverse("resources:download", args=[resource.pk, 2]))
    assert response.status_code == 302 and response["Location"] == "https://video.example/lesson"
    resource.refresh_from_db()
    assert resource.download_count == 2


def test_members_only_resources(
    resource: Resource, anon_client: Client, student_client: Client, ru_rep_client: Client
) -> None:
    resource.licence = "members"
    resource.save()
    url = reverse("resources:download", args=[resource.pk, 1])
    assert anon_client.get(url).status_code == 302
    assert student_client.get(url).status_code == 403
    assert ru_rep_client.get(url).status_code == 200
    resource.refresh_from_db()
    assert resource.download_count == 1


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("student", False),
        ("outsider", False),
        ("ru_rep", False),  # a member, but not of this resource's organisations
        ("cn_rep", True),
        ("secretariat", True),
    ],
)
def test_who_may_add_versions_and_invite(
    request: pytest.FixtureRequest, persona: str, allowed: bool, resource: Resource, ru_rep: User
) -> None:
    user: User = request.getfixturevalue(persona)
    if allowed:
        services.version_add(
            actor=user, resource=resource, content=services.Content(url="https://e.org/x")
        )
        services.coauthor_invite(actor=user, resource=resource, who=ru_rep.username)
    else:
        with pytest.raises(NotAllowed):
            services.version_add(
                actor=user, resource=resource, content=services.Content(url="https://e.org/x")
            )
        with pytest.raises(NotAllowed):
            services.coauthor_invite(actor=user, resource=resource, who="cn_rep")


def test_an_invited_co_author_accepts_and_may_then_add_versions(
    resource: Resource, cn_rep: User, ru_rep: User, ru_rep_client: Client, cn_rep_client: Client
) -> None:
    cn_rep_client.post(reverse("resources:invite", args=[resource.pk]), {"who": ru_rep.username})
    authorship = Authorship.objects.get(user=ru_rep)
    assert authorship.status == AuthorStatus.INVITED
    # Only the invitee answers.
    assert (
        cn_rep_client.post(reverse("resources:respond", args=[authorship.pk, "accept"])).status_code
        == 403
    )
    ru_rep_client.post(reverse("resources:respond", args=[authorship.pk, "accept"]))
    authorship.refresh_from_db()
    assert authorship.status == AuthorStatus.ACCEPTED
    services.version_add(
        actor=ru_rep, resource=resource, content=services.Content(url="https://e.org/ru")
    )
    with translation.override("en"), pytest.raises(ServiceError, match="Nobody"):
        services.coauthor_invite(actor=cn_rep, resource=resource, who="nobody-here")


def test_search_finds_resources_across_languages(
    resource: Resource,
    ru_rep: User,
    ru_org: Organization,
    anon_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # indexed once it commits
        tourism = services.resource_publish(
            actor=ru_rep,
            resource=Resource(
                title="Русский язык для туризма",
                description="Учебное пособие по русскому языку для гидов и работников гостиниц.",
                language="ru",
                level="training",
                licence="cc-by-4.0",
            ),
            organizations=[ru_org],
            content=services.Content(url="https://e.org/tourism"),
        )
    assert f"{tourism.pk}:ru" in search_ids(collection="resources")
    response = anon_client.get(reverse("resources:library"), {"q": "сварка электродом"})
    results = response.context["results"]
    assert results[0][0] == resource  # written in Chinese, found with a Russian query
    assert results[0][1] is not None


def test_library_queries_do_not_grow(
    resource: Resource,
    cn_rep: User,
    cn_org: Organization,
    anon_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(5):
        services.resource_publish(
            actor=cn_rep,
            resource=Resource(
                title=f"Lesson {n}",
                description="A lesson.",
                language="en",
                level="training",
                licence="cc-by-4.0",
            ),
            organizations=[cn_org],
            content=services.Content(url=f"https://e.org/{n}"),
        )
    with django_assert_max_num_queries(6):
        response = anon_client.get(reverse("resources:library"))
    assert len(response.context["results"]) == 6
