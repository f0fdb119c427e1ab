"""The standing check (issue 16): every demo persona walks the site in Chromium, in zh-hans, ru
and en, at desktop and phone width, and meets no server error, no refused or missing link, no
horizontal scrolling on a phone, no untranslated interface text and no request to another host.

Two passes keep it within the CI budget (docs/testing.md):

1. Each persona (and an anonymous visitor) explores at 1280 px in its own UI language: every
   link its pages show, each kind of page once (a list is followed through its first item).
2. Then, for each language at 390 px, every kind of page any persona reached is opened once
   more, by one of the personas that reached it (taken in turn, so the pages are spread over
   the personas).

Every problem is collected and the test fails once with the whole list.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django.test import Client

from qiao.accounts.models import User
from qiao.careers.demo import EMPLOYER_USER
from qiao.core.testing.crawl import DESKTOP, PHONE, Crawler, Persona
from qiao.demo.loader import DEMO_USERS, load_demo

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from pytest_django.live_server_helper import LiveServer

LANGUAGES = ("zh-hans", "ru", "en")
# The demo's logins (README): every role, each UI language, and the careers and training people.
PERSONAS = (
    *(spec.username for spec in DEMO_USERS),
    "student.wang",
    "student.ivanov",
    "student.aliya",
    EMPLOYER_USER[0],
    "lecturer.tsinghua",
)
ANONYMOUS = "anonymous"
REPORT = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "crawl.txt"
# Kinds of page one persona may reach before the crawl stops (a runaway link pattern).
LIMIT = 250

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_persona_every_language_phone_and_desktop(
    chromium: Browser, live_server: LiveServer
) -> None:
    started = time.monotonic()
    load_demo()
    loaded = time.monotonic()
    crawler = Crawler(chromium, live_server.url)
    people: dict[str, Persona] = {}
    for name in (ANONYMOUS, *PERSONAS):
        user = None if name == ANONYMOUS else User.objects.get(username=name)
        person = crawler.context(persona=name, client=logged_in(user) if user else None)
        person.use(language=user.preferred_language if user else "en", width=DESKTOP)
        person.explore(limit=LIMIT)
        people[name] = person
    explored = time.monotonic()

    templates = sorted({r.template for p in people.values() for r in p.reached})
    for turn, language in enumerate(LANGUAGES):
        for person in people.values():
            person.use(language=language, width=PHONE)
        for index, template in enumerate(templates):
            holders = [(p, r) for p in people.values() for r in p.reached if r.template == template]
            person, page = holders[(index + turn) % len(holders)]
            person.visit(page.url, source=page.source)
    for person in people.values():
        person.close()

    timing = (
        f"demo data {loaded - started:.0f} s, exploring {explored - loaded:.0f} s, "
        f"phone pass {time.monotonic() - explored:.0f} s; {crawler.visits} page loads, "
        f"{len(templates)} kinds of page"
    )
    explorations = "\n".join(
        f"{name} reached {len(p.reached)}: " + " ".join(r.kind for r in p.reached)
        for name, p in people.items()
    )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(f"{timing}\n{crawler.report()}\n\n{explorations}\n", encoding="utf-8")
    print(f"{timing}\nreport: {REPORT}")
    assert not crawler.problems, f"{timing}\n{crawler.report()}"
