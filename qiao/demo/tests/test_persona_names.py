"""Every demo persona has a real name in their own script: nobody is shown as "broker"."""

from __future__ import annotations

from qiao.careers.demo import EMPLOYER_USER
from qiao.demo.loader import DEMO_USERS
from qiao.training.demo import LECTURERS


def test_every_demo_login_has_a_name() -> None:
    people = [(u.username, u.first_name, u.last_name) for u in DEMO_USERS]
    people.append((EMPLOYER_USER[0], *EMPLOYER_USER[3:]))
    people += [(login, first, last) for login, first, last, *_rest in LECTURERS]
    for login, first, last in people:
        assert first and last, login
        assert login not in f"{first} {last}"
        assert "sample" not in last, login  # a name, not a label
