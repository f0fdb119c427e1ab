"""Membership documents are private files: stored outside the public media root, read only
through the applicant's secret link or by the secretariat (permissions.py), and moved there
from the media root by a data migration."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse

from qiao.alliance.models import ApplicationDocument, Membership, MembershipApplication

pytestmark = pytest.mark.django_db


def test_uploads_are_stored_under_the_private_root(application: MembershipApplication) -> None:
    document = application.documents.get()
    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.QIAO_PRIVATE_MEDIA_ROOT))
    assert stored.read_bytes().startswith(b"%PDF")
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("student_client", 403),
        ("outsider_client", 403),
        ("cn_rep_client", 403),
        ("ru_rep_client", 403),
        ("broker_client", 403),
        ("secretariat_client", 200),
    ],
)
def test_who_may_download_a_document(
    request: pytest.FixtureRequest,
    persona: str,
    status: int,
    application: MembershipApplication,
    ru_member: Membership,
) -> None:
    client: Client = request.getfixturevalue(persona)
    document = application.documents.get()
    review = reverse("alliance:review-document", args=[application.pk, document.pk])
    assert client.get(review).status_code == status
    # The applicant's secret link works for whoever holds it (it was e-mailed to them) ...
    link = reverse("alliance:applicant-document", args=[application.token, document.pk])
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # ... and is the only way in: no media URL serves the file.
    assert client.get(f"/{settings.MEDIA_URL}{document.file.name}").status_code == 404


def test_migration_moves_existing_documents_out_of_the_media_root(
    application: MembershipApplication,
) -> None:
    document: ApplicationDocument = application.documents.get()
    name = str(document.file.name)
    private, public = (
        Path(settings.QIAO_PRIVATE_MEDIA_ROOT) / name,
        Path(settings.MEDIA_ROOT) / name,
    )
    public.parent.mkdir(parents=True, exist_ok=True)
    private.rename(public)  # where the documents were before
    migration = importlib.import_module("qiao.alliance.migrations.0002_documents_private")

    migration.to_private(apps, None)
    assert private.read_bytes().startswith(b"%PDF") and not public.exists()

    migration.to_public(apps, None)  # and back, when the migration is reversed
    assert public.exists() and not private.exists()


def test_admin_shows_no_media_link_to_a_document(
    application: MembershipApplication, admin_client: Client
) -> None:
    document = application.documents.get()
    page = admin_client.get(
        reverse("admin:alliance_membershipapplication_change", args=[application.pk])
    ).content.decode()
    assert document.original_name in page
    assert str(document.file.name) not in page
