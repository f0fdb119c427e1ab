"""In a real browser: an organisation applies with a document, the secretariat asks for more
information, the applicant answers, the secretariat approves, and the member is listed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core import mail

from qiao.accounts.models import User
from qiao.alliance.models import ApplicationStatus, Membership, MembershipApplication, Specialty
from qiao.alliance.tests.conftest import PDF

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page


@pytest.mark.browser
def test_membership_application_from_form_to_approval(
    browser_page: Page,
    login_browser: Callable[[User], None],
    secretariat: User,
    specialty: Specialty,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    page = browser_page
    certificate = tmp_path / "svidetelstvo.pdf"
    certificate.write_bytes(PDF)
    renamed = tmp_path / "virus.pdf"
    renamed.write_bytes(b"MZ\x90\x00 not a pdf")

    # The applicant, anonymous, writes in Russian.
    page.goto("/alliance/join/")
    page.select_option("#language-select", "ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.fill("#id_name_ru", "Амурский колледж сервиса")
    page.select_option("#id_kind", "secondary_vocational")
    page.select_option("#id_country", "RU")
    page.select_option("#id_region", "RU-AMU")
    page.fill("#id_city", "Благовещенск")
    page.fill("#id_description", "Колледж готовит специалистов по логистике и туризму.")
    page.select_option("#id_description_language", "ru")
    page.check(f"input[name=specialties][value='{specialty.pk}']")
    page.fill("#id_motivation", "Совместный набор студентов и стажировки в Хэйхэ.")
    page.fill("#id_rep_name", "Анна Петрова")
    page.fill("#id_rep_position", "заместитель директора")
    page.fill("#id_rep_email", "anna@amur-college.example")
    page.select_option("#id_language", "ru")
    page.check("#id_consent")
    # A renamed executable is refused, in Russian, and nothing is saved.
    page.set_input_files("#id_registration", str(renamed))
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator(".has-error .errorlist")).to_contain_text(
        "не является настоящим файлом PDF"
    )
    assert not MembershipApplication.objects.exists()

    page.set_input_files("#id_registration", str(certificate))
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page).to_have_url(re.compile(r"/alliance/applications/[0-9a-f-]{36}/$"))
    status_url = page.url
    expect(page.get_by_test_id("status")).to_have_text("Подана")
    application = MembershipApplication.objects.get()
    assert application.documents.count() == 1
    assert mail.outbox[0].to == ["anna@amur-college.example"]

    # The secretariat asks for more information.
    login_browser(secretariat)
    page.goto("/alliance/review/")
    page.select_option("#language-select", "en")
    page.get_by_role("link", name="Амурский колледж сервиса").click()
    page.select_option("#id_decision", "more_info")
    page.fill("#id_message", "Please send the licence for educational activity.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("More information requested")

    # The applicant answers through the secret link (a fresh, anonymous context).
    applicant = page.context.browser.new_context(base_url=status_url)  # type: ignore[union-attr]
    try:
        answer_page = applicant.new_page()
        answer_page.goto(status_url)
        answer_page.fill("#id_message", "Лицензия во вложении.")
        answer_page.set_input_files("#id_document", str(certificate))
        answer_page.locator("form.card button[type=submit]").click()
        expect(answer_page.locator(".message.success")).to_be_visible()
    finally:
        applicant.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    # The secretariat approves; the organisation appears in the member directory.
    page.reload()
    page.select_option("#id_decision", "approve")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_test_id("status")).to_have_text("Approved")
    page.get_by_role("link", name="Member page").click()
    expect(page.locator("h1")).to_have_text("Амурский колледж сервиса")
    membership = Membership.objects.get()
    assert membership.organization.name_ru == "Амурский колледж сервиса"
    assert membership.contact_email == "anna@amur-college.example"
    page.goto("/alliance/")
    expect(page.get_by_role("link", name="Амурский колледж сервиса")).to_be_visible()
