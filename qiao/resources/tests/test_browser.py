"""In a real browser: the Russian member's representative, a co-author, uploads a new version
of a Chinese resource; a wrong file is refused with a message in Russian; both versions stay
listed and downloadable, and the history says who added which."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from qiao.accounts.models import User
from qiao.resources import services
from qiao.resources.models import Resource
from qiao.resources.tests.conftest import PDF

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import FilePayload, Page


def upload(name: str) -> FilePayload:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


@pytest.mark.browser
def test_a_co_author_uploads_a_new_version(
    browser_page: Page,
    login_browser: Callable[[User], None],
    resource: Resource,
    cn_rep: User,
    ru_rep: User,
) -> None:
    from playwright.sync_api import expect

    invitation = services.coauthor_invite(actor=cn_rep, resource=resource, who=ru_rep.username)
    services.invitation_respond(actor=ru_rep, authorship=invitation, accept=True)
    page = browser_page
    login_browser(ru_rep)
    page.goto(f"/resources/{resource.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    form = page.locator(f"form[action='/resources/{resource.pk}/versions/']")
    form.locator("#id_file").set_input_files(upload("v2.pptx"))
    form.locator("button[type=submit]").click()
    expect(page.locator(".message.error")).to_contain_text("PPTX")
    assert resource.versions.count() == 1

    form.locator("#id_file").set_input_files(upload("svarka-v2.pdf"))
    form.locator("#id_note").fill("Добавлены упражнения на русском языке")
    form.locator("button[type=submit]").click()
    expect(page.locator(".message.success")).to_be_visible()
    versions = page.locator("table.list").first
    expect(versions).to_contain_text("svarka-v2.pdf")
    expect(versions).to_contain_text("lesson.pdf")
    expect(page.get_by_test_id("history")).to_contain_text("Новая версия")
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]

    with page.expect_download() as download:
        versions.get_by_role("link", name="lesson.pdf").click()
    assert download.value.suggested_filename == "lesson.pdf"
