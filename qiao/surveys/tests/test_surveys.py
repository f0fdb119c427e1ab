from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qiao.accounts.models import UILanguage, User
from qiao.core.errors import NotAllowed, ServiceError
from qiao.exchange.models import Profile, ProfileKind, ProfileStatus
from qiao.organizations.models import Organization
from qiao.surveys import services
from qiao.surveys.models import Invitation, Questionnaire

ZH_TITLE = "寒地大豆高效加工设备需求"
ZH_DESCRIPTION = (
    "我公司位于黑龙江，主要从事大豆加工。现有设备能耗高，蛋白提取率低，冬季低温条件下运行不稳定。"
    "希望引进适合寒冷地区的高效大豆蛋白提取技术和设备，并开展技术人员培训。"
)


def _answers(invitation: Invitation, **overrides: Any) -> dict[str, Any]:
    q = {question.position: f"q{question.pk}" for question in invitation.version.questions.all()}
    data = {
        q[1]: ZH_TITLE,
        q[2]: ZH_DESCRIPTION,
        q[3]: "1",
        q[4]: ["0", "1"],
        q[5]: "4",
        q[6]: "500000",
        q[7]: "agri",
    }
    data.update({q[int(k[1:])]: v for k, v in overrides.items()})
    return data


def test_invitation_email_in_the_representatives_language(
    invitation: Invitation, cn_rep: User
) -> None:
    assert invitation.email == cn_rep.email and invitation.language == UILanguage.ZH_HANS
    assert invitation.version.frozen_at is not None
    subject, body = services.render_invitation(invitation)
    assert subject.startswith("调研")
    assert f"/survey/{invitation.token}/" in body


@pytest.mark.parametrize(
    ("language", "subject", "hello"),
    [("zh-hans", "调研", "您好"), ("ru", "Опрос", "Здравствуйте"), ("en", "Survey", "Hello")],
)
def test_invitation_email_in_all_three_languages(
    invitation: Invitation, language: str, subject: str, hello: str
) -> None:
    invitation.language = language
    rendered_subject, body = services.render_invitation(invitation)
    assert rendered_subject.startswith(subject)
    assert hello in body.splitlines()[0]
    assert "&quot;" not in body


def test_sending_emails_after_commit_and_skips_duplicates(
    questionnaire: Questionnaire,
    secretariat: User,
    cn_rep: User,
    cn_org: Organization,
    other_org: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = questionnaire.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.invitations_send(
            actor=secretariat, version=version, organizations=[cn_org, other_org]
        )
    assert [i.organization for i in report.sent] == [cn_org]
    assert report.no_contact == [other_org]  # no representative with an e-mail
    assert [m.to for m in mail.outbox] == [[cn_rep.email]]
    again = services.invitations_send(actor=secretariat, version=version, organizations=[cn_org])
    assert again.already == [cn_org] and Invitation.objects.count() == 1


@pytest.mark.parametrize("persona", ["broker", "cn_rep", "outsider"])
def test_only_the_secretariat_sends(
    request: pytest.FixtureRequest, questionnaire: Questionnaire, cn_org: Organization, persona: str
) -> None:
    with pytest.raises(NotAllowed):
        services.invitations_send(
            actor=request.getfixturevalue(persona),
            version=questionnaire.versions.get(),
            organizations=[cn_org],
        )
    assert not Invitation.objects.exists()


def test_save_resume_and_submit_once_without_an_account(
    invitation: Invitation, anon_client: Client
) -> None:
    url = reverse("surveys:answer", args=[invitation.token])
    page = anon_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200 and "问题2" in page.content.decode()
    # Save a half-finished draft: the required answer may still be missing.
    partial = _answers(invitation, q2="")
    response = anon_client.post(url, {**partial, "action": "save"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.started_at and not invitation.submitted_at
    assert ZH_TITLE in anon_client.get(url).content.decode()  # resumed
    # Submitting without the required answer is refused and writes nothing new.
    response = anon_client.post(url, {**partial, "action": "submit"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert "Обязательное поле" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.submitted_at is None
    anon_client.post(url, {**_answers(invitation), "action": "submit"})
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None
    assert invitation.answers[str(invitation.version.questions.get(position=4).pk)] == [0, 1]
    # Once submitted: a thank-you page, and a second submission changes nothing.
    anon_client.post(url, {**_answers(invitation, q1="changed"), "action": "submit"})
    invitation.refresh_from_db()
    assert invitation.answers[str(invitation.version.questions.get(position=1).pk)] == ZH_TITLE
    assert 'id="survey-done"' in anon_client.get(url).content.decode()


def test_service_refuses_a_second_submission(invitation: Invitation) -> None:
    values = {"q" + k[1:]: v for k, v in _answers(invitation).items()}
    values[f"q{invitation.version.questions.get(position=7).pk}"] = None
    services.response_save(invitation=invitation, values=values, submit=True, language="zh-hans")
    with pytest.raises(ServiceError):
        services.response_save(invitation=invitation, values=values, submit=True, language="ru")


def test_bad_file_is_refused_and_nothing_saved(invitation: Invitation, anon_client: Client) -> None:
    url = reverse("surveys:answer", args=[invitation.token])
    file_key = f"q{invitation.version.questions.get(position=8).pk}"
    data = {**_answers(invitation), file_key: SimpleUploadedFile("x.exe", b"MZ"), "action": "save"}
    response = anon_client.post(url, data)
    assert response.status_code == 200
    invitation.refresh_from_db()
    assert invitation.started_at is None and not invitation.files.exists()


def test_unknown_token_is_404(anon_client: Client, db: None) -> None:
    assert anon_client.get(reverse("surveys:answer", args=["nope"])).status_code == 404


def _submit(invitation: Invitation, client: Client) -> None:
    url = reverse("surveys:answer", args=[invitation.token])
    file_key = f"q{invitation.version.questions.get(position=8).pk}"
    data = {
        **_answers(invitation),
        file_key: SimpleUploadedFile("spec.pdf", b"%PDF-1.4 test"),
        "action": "submit",
    }
    assert client.post(url, data).status_code == 302
    invitation.refresh_from_db()


def test_broker_turns_a_response_into_a_draft_request(
    invitation: Invitation, anon_client: Client, broker: User, broker_client: Client
) -> None:
    _submit(invitation, anon_client)
    response = broker_client.post(reverse("surveys:convert", args=[invitation.pk]))
    profile = Profile.objects.get()
    assert response["Location"] == reverse("exchange:edit", args=[profile.pk])
    assert (profile.kind, profile.status, profile.language) == (
        ProfileKind.REQUEST,
        ProfileStatus.DRAFT,
        "zh",
    )
    assert profile.title == ZH_TITLE and profile.description == ZH_DESCRIPTION
    assert [s.code for s in profile.sectors.all()] == ["agri"]
    invitation.refresh_from_db()
    assert invitation.request_profile == profile
    with pytest.raises(ServiceError):
        services.response_to_request(actor=broker, invitation=invitation)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anon_client", 302),
        ("outsider_client", 404),
        ("cn_rep_client", 404),
        ("broker_client", 200),
        ("secretariat_client", 200),
    ],
)
def test_response_pages_per_role(
    request: pytest.FixtureRequest,
    invitation: Invitation,
    anon_client: Client,
    persona: str,
    status: int,
) -> None:
    _submit(invitation, anon_client)
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("surveys:response", args=[invitation.pk])).status_code == status
    file = invitation.files.get()
    url = reverse("surveys:file", args=[invitation.pk, file.pk])
    assert client.get(url).status_code == status
    converting = client.post(reverse("surveys:convert", args=[invitation.pk]))
    assert converting.status_code == (302 if status == 200 else status)


def test_other_broker_cannot_convert(invitation: Invitation, anon_client: Client) -> None:
    from qiao.core.testing.factories import UserFactory

    _submit(invitation, anon_client)
    with pytest.raises(NotAllowed):
        services.response_to_request(actor=UserFactory.create(broker=True), invitation=invitation)


@pytest.mark.parametrize(
    ("persona", "list_status", "export_status"),
    [
        ("anon_client", 302, 302),
        ("cn_rep_client", 403, 403),
        ("outsider_client", 403, 403),
        ("broker_client", 200, 403),
        ("secretariat_client", 200, 200),
    ],
)
def test_results_pages_per_role(
    request: pytest.FixtureRequest,
    questionnaire: Questionnaire,
    persona: str,
    list_status: int,
    export_status: int,
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse("surveys:list")).status_code == list_status
    assert client.get(reverse("surveys:detail", args=[questionnaire.pk])).status_code == list_status
    assert (
        client.get(reverse("surveys:export", args=[questionnaire.pk])).status_code == export_status
    )
    sending = client.post(reverse("surveys:send", args=[questionnaire.pk]), {"organizations": []})
    assert sending.status_code in (302, 403) and not Invitation.objects.exists()


def test_response_rates_charts_and_xlsx(
    invitation: Invitation, anon_client: Client, secretariat_client: Client
) -> None:
    _submit(invitation, anon_client)
    html = secretariat_client.get(reverse("surveys:list")).content.decode()
    assert "100%" in html
    detail = secretariat_client.get(
        reverse("surveys:detail", args=[invitation.version.questionnaire_id]),
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'data-chart="by_country"' in detail and 'data-chart="by_sector"' in detail
    response = secretariat_client.get(
        reverse("surveys:export", args=[invitation.version.questionnaire_id])
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert ZH_TITLE in rows[1] and ZH_DESCRIPTION in rows[1] and "spec.pdf" in rows[1]
    assert "Joint R&D" in rows[1] and "Licence; Joint R&D" in rows[1]


def test_new_version_copies_questions_and_old_answers_keep_their_wording(
    invitation: Invitation, secretariat: User
) -> None:
    questionnaire = invitation.version.questionnaire
    version = services.version_new(actor=secretariat, questionnaire=questionnaire)
    assert version.number == 2 and version.frozen_at is None
    assert version.questions.count() == invitation.version.questions.count()
    with pytest.raises(ServiceError):
        services.version_new(actor=secretariat, questionnaire=questionnaire)
    assert invitation.version.questions.count() == 8  # the sent version is untouched


def test_required_check_in_the_service(invitation: Invitation) -> None:
    with pytest.raises(ValidationError):
        services.response_save(invitation=invitation, values={}, submit=True, language="en")
    invitation.refresh_from_db()
    assert invitation.started_at is None
