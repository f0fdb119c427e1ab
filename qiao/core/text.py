"""Checks on text typed or imported by users, shared by every way input comes in."""

from __future__ import annotations

import unicodedata

# Line breaks and tabs are ordinary text; every other control character (NUL above all: the
# PostgreSQL driver refuses it) and lone UTF-16 surrogates (JSON "\ud800": no database can
# store them) are not.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def first_forbidden_character(text: str) -> tuple[int, str] | None:
    """(1-based position, the character) of the first character text may not hold."""
    for position, character in enumerate(text, start=1):
        if character in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(character) in ("Cc", "Cs"):
            return position, character
    return None


def codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"
