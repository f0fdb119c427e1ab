"""Load before a web process serves what its first requests would otherwise load.

Every view module (and what it imports: spreadsheet writers, font tables, URL patterns) and
each language's translation catalogue are long-lived. Loaded by the first requests, after the
search state was loaded and frozen (qiao.search.holder), they stayed within the collector's
reach: about 70,000 objects that every full collection walked with all request threads
stopped (80 ms a time, every few seconds under load, at 100k profiles). Loaded first, they are
frozen with the search state, and no request pays for the imports.
"""

from __future__ import annotations


def load_request_code() -> None:
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    _ = get_resolver().url_patterns  # imports every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")  # loads the catalogue
