"""The API docs load nothing from outside hosts (issue 16): no Google Fonts, no CDN. Google's
hosts are blocked in mainland China, where a page that waits for them took ~6 s to render.

The Content-Security-Policy would block such a request quietly (and only reports it with
QIAO_CSP_REPORT_ONLY=1), so the browser here ignores the policy: what is tested is what the page
asks for. Every request to a host other than the live server is recorded and aborted."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from qiao.core.testing.browser import DEFAULT_TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route
    from pytest_django.live_server_helper import LiveServer


@pytest.mark.browser
@pytest.mark.parametrize(
    ("name", "rendered"), [("api:redoc", "h1:has-text('Qiao API')"), ("api:docs", ".opblock")]
)
def test_api_docs_request_only_the_platform(
    chromium: Browser, live_server: LiveServer, name: str, rendered: str
) -> None:
    server = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def only_the_platform(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in {"data", "blob"} or urlsplit(url).netloc == server:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context = chromium.new_context(base_url=live_server.url, bypass_csp=True)
    try:
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route("**/*", only_the_platform)
        page = context.new_page()
        page.goto(reverse(name))
        page.locator(rendered).first.wait_for()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert outside == []
