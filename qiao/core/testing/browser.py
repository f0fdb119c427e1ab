"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright is only the driver here: it never downloads a browser (`playwright install` is not
needed). `./dev.sh test` installs the Debian package. The pytest fixtures built on these
helpers live in the root conftest.py (`browser_page`, `browser_context`, `login_browser`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Generous for a 2-core CI machine running a live server in the same process.
DEFAULT_TIMEOUT_MS = 15_000


class ChromiumMissing(RuntimeError):
    pass


def require_chromium() -> Path:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise ChromiumMissing(
            f"Browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Run `./dev.sh test` (it installs it) or `sudo apt-get install chromium`; "
            "deselect browser tests with `-m 'not browser'`."
        )
    return CHROMIUM


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), args=list(CHROMIUM_ARGS), headless=True
    )


def new_context(chromium: Browser, *, base_url: str, locale: str = "en-GB") -> BrowserContext:
    """A fresh context: no cookies, a fixed viewport and locale, relative URLs to base_url."""
    context = chromium.new_context(
        base_url=base_url,
        locale=locale,
        viewport={"width": 1280, "height": 900},
        timezone_id="Asia/Harbin",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context


def add_session_cookie(context: BrowserContext, client: Client, url: str) -> None:
    """Copy a logged-in django.test.Client's session into the browser context."""
    from django.conf import settings

    morsel = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": morsel.key, "value": morsel.value, "url": url}])


def save_screenshot(page: Page, path: Path) -> Path | None:
    """Best effort: a failing test's page may already be closed or crashed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:
        return None
    return path
