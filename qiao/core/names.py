"""How a person's name is shown: Chinese names family name first and without a space (王伟),
others as "first last"; the username when no name is given."""

from __future__ import annotations

from typing import Protocol


class Named(Protocol):
    first_name: str
    last_name: str
    username: str


def _is_cjk(text: str) -> bool:
    return bool(text) and all("\u3400" <= ch <= "\u9fff" or ch in "·•" for ch in text)


def person_name(first_name: str, last_name: str, username: str) -> str:
    first, last = first_name.strip(), last_name.strip()
    if first and last and _is_cjk(first) and _is_cjk(last):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part) or username


def user_name(user: Named) -> str:
    return person_name(user.first_name, user.last_name, user.username)
