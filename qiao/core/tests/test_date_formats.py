"""Dates and times per UI language: English is unambiguous for readers outside the US
(6 Dec 2026, 24-hour time); Chinese and Russian keep their own conventions."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

MOMENT = datetime.datetime(2026, 12, 6, 14, 30)
TEMPLATE = Template(
    '{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}|'
    '{{ d|date:"SHORT_DATETIME_FORMAT" }}|{{ d|time }}'
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "6 Dec 2026|6 Dec 2026|6 Dec 2026, 14:30|14:30"),
        ("zh-hans", "2026年12月6日|2026年12月6日|2026年12月6日 14:30|14:30"),
        ("ru", "06.12.2026|6 декабря 2026 г.|06.12.2026 14:30|14:30"),
    ],
)
def test_dates_and_times_per_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert TEMPLATE.render(Context({"d": MOMENT})) == expected
