"""The applicant has no account: the secret link is their key, to their application only."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.alliance import services
from qiao.alliance.models import ApplicationStatus, MembershipApplication
from qiao.alliance.tests.conftest import application_data, pdf

pytestmark = pytest.mark.django_db


def test_the_link_shows_the_application_and_its_documents(
    anon_client: Client, application: MembershipApplication
) -> None:
    response = anon_client.get(reverse("alliance:application-status", args=[application.token]))
    assert response.status_code == 200
    assert "Амурский колледж сервиса" in response.content.decode()
    document = application.documents.get()
    download = anon_client.get(
        reverse("alliance:applicant-document", args=[application.token, document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_wrong_token_finds_nothing(
    anon_client: Client, application: MembershipApplication
) -> None:
    assert (
        anon_client.get(reverse("alliance:application-status", args=[uuid.uuid4()])).status_code
        == 404
    )


def test_one_applicant_cannot_fetch_another_applicants_document(
    anon_client: Client, application: MembershipApplication
) -> None:
    other = services.application_submit(
        data=application_data(name_en="Other College", name_ru="Другой колледж"),
        uploads=[services.Upload(kind="registration", file=pdf("secret.pdf"))],
    )
    their_document = other.documents.get()
    url = reverse("alliance:applicant-document", args=[application.token, their_document.pk])
    assert anon_client.get(url).status_code == 404


def test_answering_is_only_possible_when_asked(
    anon_client: Client, application: MembershipApplication
) -> None:
    url = reverse("alliance:application-status", args=[application.token])
    response = anon_client.post(url, {"message": "Hello"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.count() == 1


def test_a_bad_answer_writes_nothing(
    anon_client: Client, application: MembershipApplication, secretariat: object
) -> None:
    services.application_request_info(
        actor=secretariat,  # type: ignore[arg-type]
        application=application,
        message="Licence?",
    )
    url = reverse("alliance:application-status", args=[application.token])
    response = anon_client.post(
        url, {"message": "here", "document": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MORE_INFO
    assert application.documents.count() == 1
    response = anon_client.post(url, {"message": ""})
    assert response.context["form"].errors["message"]
