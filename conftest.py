"""Project-wide pytest fixtures: role personas, their clients, and the browser.

Personas (see docs/testing.md) — one small world, rebuilt per test in a handful of queries:

    cn_org       Chinese higher-vocational college (representative: cn_rep, UI in zh-hans)
    ru_org       Russian polytechnic college       (representative: ru_rep, UI in ru)
    other_org    a third organisation              (representative: outsider)
    secretariat  the alliance secretariat (staff, no organisation)
    broker       a technology manager; cn_org's and ru_org's broker, not other_org's

For each persona ``<name>`` there is ``<name>_client`` (django.test.Client, logged in) and
``<name>_api`` (DRF APIClient authenticated with the persona's token); ``anon_client`` and
``anon_api`` are anonymous. Every persona's password is ``factories.PASSWORD``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from qiao.accounts.models import UILanguage, User
from qiao.core.testing import browser
from qiao.core.testing.api import api_client_for
from qiao.core.testing.factories import OrganizationFactory, UserFactory
from qiao.organizations.models import Country, Organization, OrganizationKind

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright
    from pytest_django.live_server_helper import LiveServer

ARTIFACTS_DIR = Path(__file__).resolve().parent / "var" / "test-artifacts"


# --- reporting -------------------------------------------------------------------------------


def pytest_report_header(config: pytest.Config) -> str:
    db = settings.DATABASES["default"]
    where = f" at {db.get('HOST')}:{db.get('PORT')}" if db.get("HOST") else ""
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {engine}{where} (settings: {settings.SETTINGS_MODULE})"


def pytest_sessionstart(session: pytest.Session) -> None:
    """.ci/run sets QIAO_EXPECT_DB_VENDOR so a run can never silently test the wrong backend."""
    expected = os.environ.get("QIAO_EXPECT_DB_VENDOR")
    if expected and connection.vendor != expected:
        raise pytest.UsageError(
            f"QIAO_EXPECT_DB_VENDOR={expected} but the tests would run on {connection.vendor}"
        )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests last: the Playwright event loop then never overlaps other tests."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, for browser_page's screenshot-on-failure."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


# --- isolation -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Requests activate the user's language in the test thread; never let it leak."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_index(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each Django test starts from an empty search index: the database is rolled back, so
    the process-wide engines are dropped and load again from it (qiao.search.holder)."""
    if "django_db_setup" not in request.fixturenames and "db" not in request.fixturenames:
        yield
        return
    from qiao.search.holder import reset

    reset()
    try:
        yield
    finally:
        reset()


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Rate limits count in the cache (qiao.core.throttling, DRF throttles): every test starts
    with none used. Login lockouts (django-axes) live in the database and roll back with it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- personas --------------------------------------------------------------------------------


@pytest.fixture
def cn_org(db: None) -> Organization:
    return OrganizationFactory.create(country=Country.CN)


@pytest.fixture
def ru_org(db: None) -> Organization:
    return OrganizationFactory.create(
        country=Country.RU, kind=OrganizationKind.SECONDARY_VOCATIONAL
    )


@pytest.fixture
def other_org(db: None) -> Organization:
    return OrganizationFactory.create(country=Country.KZ, kind=OrganizationKind.ENTERPRISE)


@pytest.fixture
def secretariat(db: None) -> User:
    return UserFactory.create(username="secretariat", secretariat=True)


@pytest.fixture
def broker(db: None, cn_org: Organization, ru_org: Organization) -> User:
    user = UserFactory.create(username="broker", broker=True)
    for org in (cn_org, ru_org):
        org.broker = user
        org.save(update_fields=["broker"])
    return user


@pytest.fixture
def cn_rep(db: None, cn_org: Organization) -> User:
    return UserFactory.create(
        username="cn_rep", organization=cn_org, preferred_language=UILanguage.ZH_HANS
    )


@pytest.fixture
def ru_rep(db: None, ru_org: Organization) -> User:
    return UserFactory.create(
        username="ru_rep", organization=ru_org, preferred_language=UILanguage.RU
    )


@pytest.fixture
def outsider(db: None, other_org: Organization) -> User:
    return UserFactory.create(username="outsider", organization=other_org)


# --- clients ---------------------------------------------------------------------------------


def _client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_for(user: User | None) -> APIClient:
    return api_client_for(user)


@pytest.fixture
def anon_client() -> Client:
    return Client()


@pytest.fixture
def secretariat_client(secretariat: User) -> Client:
    return _client_for(secretariat)


@pytest.fixture
def broker_client(broker: User) -> Client:
    return _client_for(broker)


@pytest.fixture
def cn_rep_client(cn_rep: User) -> Client:
    return _client_for(cn_rep)


@pytest.fixture
def ru_rep_client(ru_rep: User) -> Client:
    return _client_for(ru_rep)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return _client_for(outsider)


@pytest.fixture
def anon_api() -> APIClient:
    return _api_for(None)


@pytest.fixture
def secretariat_api(secretariat: User) -> APIClient:
    return _api_for(secretariat)


@pytest.fixture
def broker_api(broker: User) -> APIClient:
    return _api_for(broker)


@pytest.fixture
def cn_rep_api(cn_rep: User) -> APIClient:
    return _api_for(cn_rep)


@pytest.fixture
def ru_rep_api(ru_rep: User) -> APIClient:
    return _api_for(ru_rep)


@pytest.fixture
def outsider_api(outsider: User) -> APIClient:
    return _api_for(outsider)


# --- browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    """Playwright's sync API, started once for the (trailing) browser tests.

    Its event loop stays "running" in the main thread, which trips Django's async-safety
    check on every ORM call; allowing it is the documented workaround. Browser tests run last
    (see pytest_collection_modifyitems), so the other tests keep the check.
    """
    from playwright.sync_api import sync_playwright

    browser.require_chromium()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium(playwright_session: Playwright) -> Iterator[Browser]:
    instance = browser.launch_chromium(playwright_session)
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def browser_context(chromium: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh context (cookies, storage) per test, with relative URLs against live_server."""
    context = browser.new_context(chromium, base_url=live_server.url)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(request: pytest.FixtureRequest, browser_context: BrowserContext) -> Iterator[Page]:
    """A page in a fresh context; on failure a full-page screenshot lands in var/test-artifacts/."""
    page = browser_context.new_page()
    yield page
    reports = request.node.stash.get(_REPORTS, {})
    if any(r.failed for r in reports.values()):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")
        path = browser.save_screenshot(page, ARTIFACTS_DIR / f"{name}.png")
        if path is not None:
            print(f"\nscreenshot: {path}")


@pytest.fixture
def login_browser(
    browser_context: BrowserContext, live_server: LiveServer
) -> Callable[[User], None]:
    """Log a user into the browser context by planting a session cookie (no login form)."""

    def login(user: User) -> None:
        client = Client()
        client.force_login(user)
        browser.add_session_cookie(browser_context, client, live_server.url)

    return login
