"""The standing check: walk the site in Chromium as a person would and list what they would hit.

A `Crawler` drives one browser context per persona (one shared Chromium). It follows every link
a page shows, breadth first from the home page, and opens each kind of page once: two links
that resolve to the same view (the first item of a list and its second, page 2 of a list) are
one page, so a list is followed through its first item only. On every page it records:

- a 5xx on the page or on anything it loads;
- a 403 or 404 on a page reached by a link, or on anything the page loads;
- at phone width, a document wider than the viewport (with the elements that stick out);
- in zh-hans and ru, visible interface text equal to a catalog msgid that has a different
  translation in that language (text inside an element with its own `lang`, i.e. user content,
  is ignored);
- any request to a host other than the server (aborted, so the crawl never waits on it), and
  any the Content-Security-Policy stopped before it was made (Chromium logs those).

Test support only (see qiao/core/tests/test_crawl.py and docs/testing.md).
"""

from __future__ import annotations

import gettext
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from qiao.core.testing.browser import add_session_cookie, new_context

if TYPE_CHECKING:
    from django.test import Client
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
        Route,
    )

DESKTOP = 1280
PHONE = 390
HEIGHTS = {DESKTOP: 900, PHONE: 844}
# Links that end the session or only make sense as a form's target.
SKIPPED_PATHS = ("/accounts/logout/", "/admin/logout/", "/i18n/", "/static/")
ADMIN_SUFFIXES = ("changelist", "change", "add", "delete", "history")

# One round trip per page: links, interface text, and (at phone width) the overflow.
PAGE_FACTS = """
() => {
  const html = document.documentElement;
  // User content carries its own lang; the brand is written in three scripts on purpose.
  const ownLang = (node) => {
    const holder = node.closest("[lang]");
    return (holder === null || holder === html) && node.closest(".brand") === null;
  };
  const shown = (el) =>
    el.closest("details:not([open])") !== null ||
    el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
  const texts = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest("script, style, noscript, template, pre, code")) continue;
    const text = node.data.replace(/\\s+/g, " ").trim();
    if (text && ownLang(el) && shown(el)) texts.add(text);
  }
  for (const el of document.querySelectorAll(
    "input[type=submit], input[type=button], [placeholder], [aria-label], [title]"
  )) {
    if (!ownLang(el)) continue;
    for (const value of [
      el.matches("input[type=submit], input[type=button]") ? el.value : "",
      el.getAttribute("placeholder"), el.getAttribute("aria-label"), el.getAttribute("title"),
    ]) {
      if (value && value.trim()) texts.add(value.replace(/\\s+/g, " ").trim());
    }
  }
  const links = [...document.querySelectorAll("a[href]")]
    .filter((a) => !a.hasAttribute("download"))
    .map((a) => a.href);
  const width = html.clientWidth;
  const culprits = [];
  if (html.scrollWidth > width) {
    const clipped = (el) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") return true;
      }
      return false;
    };
    const describe = (el) =>
      el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      [...el.classList].slice(0, 2).map((c) => "." + c).join("");
    for (const el of document.body.querySelectorAll("*")) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement;
      if (right > width + 1 && parent && parent.getBoundingClientRect().right <= width + 1
          && el.checkVisibility({ checkVisibilityCSS: true }) && !clipped(el)) {
        culprits.push([right, `${describe(el)} to ${Math.round(right)} px`]);
      }
    }
    culprits.sort((a, b) => b[0] - a[0]);
  }
  return {
    texts: [...texts], links, scrollWidth: html.scrollWidth, width,
    culprits: culprits.slice(0, 3).map((c) => c[1]),
  };
}
"""


def local(url: str) -> str:
    """A URL on the server as its path and query, for short report lines."""
    parts = urlsplit(url)
    if parts.hostname not in (None, "localhost", "127.0.0.1"):
        return url
    return (parts.path + (f"?{parts.query}" if parts.query else "")) or url


@dataclass(frozen=True, order=True)
class Problem:
    kind: str
    persona: str
    language: str
    width: int
    url: str
    detail: str

    def line(self) -> str:
        return f"{self.persona} | {self.language} | {self.width}px | {self.url} | {self.detail}"


@dataclass(frozen=True)
class Reached:
    """A kind of page a persona reached, and the link that led there."""

    kind: str
    template: str
    url: str
    source: str


def untranslated_msgids(language: str) -> frozenset[str]:
    """The catalog's msgids whose translation in `language` differs from the msgid itself:
    shown as is in that language, they were not translated."""
    locale = "zh_Hans" if language == "zh-hans" else language
    path = Path(settings.BASE_DIR) / "qiao" / "locale" / locale / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as handle:
        # The public API only translates; the catalog mapping is what lists the msgids.
        catalog: dict[object, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    found = set()
    for msgid, msgstr in catalog.items():
        text = msgid[0] if isinstance(msgid, tuple) else msgid
        if not isinstance(text, str) or not text or "%" in text or "{" in text:
            continue
        text = text.rsplit("\x04", 1)[-1]  # without its context
        if msgstr and msgstr != text:
            found.add(" ".join(text.split()))
    return frozenset(found)


def page_kind(path: str) -> tuple[str, str]:
    """The kind of page a path is, for exploring and for the per-language pass: the view it
    resolves to. The admin's pages are explored once per app and page type (the field labels
    differ per model) but share one template per page type (every changelist looks alike)."""
    try:
        match = resolve(path)
    except Resolver404:
        return (f"unresolved {path}", f"unresolved {path}")
    name = match.view_name
    if match.namespace == "admin" and match.url_name:
        parts = match.url_name.rsplit("_", 2)
        if len(parts) == 3 and parts[2] in ADMIN_SUFFIXES:
            return (f"admin:{parts[0]}:{parts[2]}", f"admin:{parts[2]}")
    return (name, name)


@dataclass
class Crawler:
    browser: Browser
    base_url: str
    problems: list[Problem] = field(default_factory=list)
    visits: int = 0
    _catalogs: dict[str, frozenset[str]] = field(default_factory=dict)

    def context(self, *, persona: str, client: Client | None) -> Persona:
        """A fresh context for a persona, logged in as `client` is (anonymous without)."""
        context = new_context(self.browser, base_url=self.base_url)
        if client is not None:
            add_session_cookie(context, client, self.base_url)
        return Persona(self, persona, context)

    def catalog(self, language: str) -> frozenset[str]:
        if language not in self._catalogs:
            from qiao.accounts.models import UILanguage

            # UI languages are named in their own language everywhere, on purpose.
            autonyms = {str(label) for label in UILanguage.labels}
            self._catalogs[language] = untranslated_msgids(language) - autonyms
        return self._catalogs[language]

    def report(self) -> str:
        """Every problem, grouped by kind, one line each."""
        lines: list[str] = []
        for kind in sorted({p.kind for p in self.problems}):
            found = sorted({p for p in self.problems if p.kind == kind})
            lines.append(f"== {kind} ({len(found)})")
            lines += [f"  {p.line()}" for p in found]
        return "\n".join(lines)


@dataclass
class Persona:
    """One person's browser context: a session cookie, a language cookie, a page."""

    crawler: Crawler
    name: str
    context: BrowserContext
    language: str = "en"
    width: int = DESKTOP
    reached: list[Reached] = field(default_factory=list)
    _page: Page | None = None
    _current: str = ""

    def __post_init__(self) -> None:
        origin = re.escape(self.crawler.base_url.rstrip("/"))
        self.context.route(re.compile(rf"^(?!{origin}/)(https?|wss?)://"), self._outside)
        self.context.on("response", self._response)

    @property
    def page(self) -> Page:
        if self._page is None:
            self._page = self.context.new_page()
            self._page.on("console", self._console)
        return self._page

    def close(self) -> None:
        self.context.close()

    def use(self, *, language: str, width: int) -> None:
        self.language, self.width = language, width
        self.context.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": self.crawler.base_url,
                }
            ]
        )
        self.page.set_viewport_size({"width": width, "height": HEIGHTS[width]})

    def problem(self, kind: str, url: str, detail: str) -> None:
        self.crawler.problems.append(
            Problem(kind, self.name, self.language, self.width, local(url), detail)
        )

    def _outside(self, route: Route) -> None:
        self.problem("request to another host", self._current, route.request.url[:120])
        route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        # The Content-Security-Policy stops most outside requests before they are made.
        if "Content Security Policy" in message.text:
            self.problem("blocked by the content security policy", self._current, message.text)

    def _response(self, response: Response) -> None:
        request: Request = response.request
        status = response.status
        if status >= 500:
            self.problem("server error", self._current, f"{status} from {response.url}")
        elif status in (403, 404) and not request.is_navigation_request():
            self.problem("missing resource", self._current, f"{status} from {response.url}")

    def visit(self, url: str, *, source: str) -> list[str]:
        """Open one page, check it, and return the links it shows (on our server)."""
        from playwright.sync_api import Error

        self._current = url
        self.crawler.visits += 1
        try:
            response = self.page.goto(url)
        except Error as error:
            if "Download is starting" in error.message:
                return []  # a file: its status is checked by the response listener
            self.problem("page did not load", url, error.message.splitlines()[0][:200])
            return []
        if response is None:
            return []
        if response.status in (403, 404):
            self.problem(
                "link refused or missing", url, f"{response.status}, linked from {local(source)}"
            )
        if response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            return []
        facts: dict[str, Any] = self.page.evaluate(PAGE_FACTS)
        self._check(url, facts)
        return [link for link in facts["links"] if self._ours(link)]

    def _check(self, url: str, facts: dict[str, Any]) -> None:
        if self.width == PHONE and facts["scrollWidth"] > facts["width"]:
            culprits = ", ".join(facts["culprits"]) or "no single element"
            self.problem(
                "horizontal overflow at 390 px",
                url,
                f"page {facts['scrollWidth']} px wide in {facts['width']} px: {culprits}",
            )
        if self.language in ("zh-hans", "ru"):
            catalog = self.crawler.catalog(self.language)
            untranslated = sorted(text for text in facts["texts"] if text in catalog)
            if untranslated:
                self.problem("untranslated text", url, " · ".join(f"«{t}»" for t in untranslated))

    def _ours(self, link: str) -> bool:
        parts = urlsplit(link)
        base = urlsplit(self.crawler.base_url)
        return (
            parts.scheme in ("http", "https")
            and parts.netloc == base.netloc
            and not parts.path.startswith(SKIPPED_PATHS)
        )

    def explore(self, *, limit: int) -> list[Reached]:
        """Breadth first from the home page, each kind of page once (see page_kind)."""
        queue: deque[tuple[str, str]] = deque([(urljoin(self.crawler.base_url, "/"), "start")])
        seen: set[str] = set()
        while queue and len(self.reached) < limit:
            url, source = queue.popleft()
            kind, template = page_kind(urlsplit(url).path)
            if kind in seen:
                continue
            seen.add(kind)
            self.reached.append(Reached(kind, template, url, source))
            queue.extend((link, url) for link in self.visit(url, source=source))
        if queue and len(self.reached) >= limit:
            self.problem("crawl limit", "/", f"stopped after {limit} kinds of page")
        return self.reached
