"""Personal data: export (JSON in a zip, with the CV) and account deletion."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from qiao.accounts.models import User
from qiao.careers import privacy
from qiao.careers.models import (
    Application,
    ApplicationEvent,
    PoolMatch,
    Posting,
    TalentProfile,
)
from qiao.core.errors import NotAllowed
from qiao.search.collections.careers import talent_key
from qiao.search.selectors import search_ids
from qiao.search.testing import index_now

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def full_student(student: User, student_profile: TalentProfile, posting: Posting) -> User:
    student_profile.cv.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF), save=False)
    student_profile.cv_name = "王伟简历.pdf"
    student_profile.save()
    app = Application.objects.create(
        posting=posting,
        candidate=student,
        cover_letter="我希望参加焊接实习。",
        cover_letter_language="zh",
    )
    ApplicationEvent.objects.create(application=app, actor=student, to_status="submitted")
    PoolMatch.objects.create(posting=posting, profile=student_profile, score=61.0)
    index_now("careers", [talent_key(student_profile.pk)])
    return student


def test_export_zip_holds_everything(student_client: Client, full_student: User) -> None:
    response = student_client.get(reverse("careers:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["cv/王伟简历.pdf", "data.json"]
    assert archive.read("cv/王伟简历.pdf") == PDF
    data = json.loads(archive.read("data.json"))
    assert data["account"]["username"] == "student"
    assert data["talent_profile"]["skills"] == ["焊接", "识图", "质量检验"]
    assert data["applications"][0]["cover_letter"] == "我希望参加焊接实习。"
    assert data["applications"][0]["history"][0]["to"] == "submitted"
    assert data["pool_matches"][0]["score"] == 61.0


@pytest.mark.parametrize(
    "persona", ["employer_client", "cn_rep_client", "secretariat_client", "outsider_client"]
)
def test_everyone_exports_only_their_own_data(
    request: pytest.FixtureRequest, full_student: User, persona: str
) -> None:
    response = request.getfixturevalue(persona).get(reverse("careers:export"))
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    assert data["account"]["username"] != "student"
    assert data["talent_profile"] is None and data["applications"] == []


def test_export_needs_login(anon_client: Client) -> None:
    assert anon_client.get(reverse("careers:export")).status_code == 302


def test_delete_account_anonymises_and_leaves_nothing_orphaned(
    student_client: Client,
    full_student: User,
    student_profile: TalentProfile,
    django_capture_on_commit_callbacks: object,
) -> None:
    cv_path = Path(student_profile.cv.path)
    profile_id = student_profile.pk
    assert talent_key(profile_id) in search_ids(collection="careers")
    url = reverse("careers:delete-account")
    response = student_client.post(url, {})  # not confirmed: nothing happens
    assert response.status_code == 200
    assert User.objects.filter(pk=full_student.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = student_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=full_student.pk).exists()
    assert not TalentProfile.objects.filter(pk=profile_id).exists()
    assert not PoolMatch.objects.exists()
    assert not cv_path.exists()
    assert talent_key(profile_id) not in search_ids(collection="careers")
    application = Application.objects.get()
    assert application.candidate is None
    assert application.cover_letter == "" and application.anonymised_at is not None
    assert application.events.get().actor is None
    # the session is gone too
    assert student_client.get(reverse("careers:my-applications")).status_code == 302


def test_employer_board_shows_anonymised_application(
    employer_client: Client, full_student: User, posting: Posting
) -> None:
    privacy.account_delete(actor=full_student, user=full_student)
    response = employer_client.get(reverse("careers:board", args=[posting.pk]))
    assert response.status_code == 200
    assert response.context["fits"] == []
    page = employer_client.get(reverse("careers:application", args=[Application.objects.get().pk]))
    assert page.status_code == 200
    assert "student" not in page.content.decode()


@pytest.mark.parametrize("actor_name", ["employer", "cn_rep", "secretariat", "other_student"])
def test_nobody_deletes_someone_elses_account(
    request: pytest.FixtureRequest, full_student: User, actor_name: str
) -> None:
    with pytest.raises(NotAllowed):
        privacy.account_delete(actor=request.getfixturevalue(actor_name), user=full_student)
    assert User.objects.filter(pk=full_student.pk).exists()


@pytest.mark.parametrize("persona", ["employer_client", "cn_rep_client", "secretariat_client"])
def test_staff_accounts_are_not_self_deleted(request: pytest.FixtureRequest, persona: str) -> None:
    client = request.getfixturevalue(persona)
    response = client.get(reverse("careers:my-data"))
    assert response.status_code == 200 and not response.context["can_delete"]
    with pytest.raises(NotAllowed):
        user = response.context["user"]
        privacy.account_delete(actor=user, user=user)
