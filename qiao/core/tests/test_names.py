from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template

from qiao.core.names import person_name


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        ("伟", "王", "王伟"),  # Chinese: family name first, no space
        ("Иван", "Иванов", "Иван Иванов"),
        ("Anna", "Smith", "Anna Smith"),
        ("Wei", "王", "Wei 王"),  # mixed scripts: as written
        ("", "Petrova", "Petrova"),
        ("  ", "", "login"),  # no name: the username
    ],
)
def test_person_name(first: str, last: str, shown: str) -> None:
    assert person_name(first, last, "login") == shown


def test_templates_have_the_filter_without_loading_it() -> None:
    user = SimpleNamespace(first_name="伟", last_name="王", username="student.wang")
    rendered = Template("{{ user|person_name }}|{{ nobody|person_name }}").render(
        Context({"user": user, "nobody": None})
    )
    assert rendered == "王伟|"
