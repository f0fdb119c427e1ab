"""A noun after a number takes the plural form for that number (Russian has three)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import npgettext

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize(
    ("count", "member", "province"),
    [
        (1, "участник", "провинция Китая"),
        (3, "участника", "провинции Китая"),
        (22, "участника", "провинции Китая"),
        (154, "участника", "провинции Китая"),
        (5, "участников", "провинций Китая"),
        (11, "участников", "провинций Китая"),
        (21, "участник", "провинция Китая"),
    ],
)
def test_russian_counted_nouns(count: int, member: str, province: str) -> None:
    with translation.override("ru"):
        assert npgettext("counted", "member", "members", count) == member
        assert npgettext("counted", "Chinese province", "Chinese provinces", count) == province


def test_no_template_puts_a_fixed_plural_after_a_number() -> None:
    """`<strong>{{ n }}</strong>{% translate "members" %}` reads "154 участников" in Russian."""
    fixed = re.compile(r"<strong>\{\{[^}]+\}\}</strong>\s*\{% trans(late)? ")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if fixed.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
