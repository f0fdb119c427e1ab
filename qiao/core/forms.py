"""Form widgets every app shares.

Multiple choices (sectors, countries, partners) are `CheckboxGrid`s: a `<select multiple>`
needs Ctrl-click, which few people know and phones do not have
(qiao/core/tests/test_forms.py checks every form).

Browsers accept only ISO values in `<input type=date|time|datetime-local>` and show an empty
field for anything else, so a localised value (`20.12.2026`, `2026/12/20`) would be silently
dropped on the next save. These widgets always render ISO, whatever the UI language; the
browser shows the value in the user's own format. Forms must use them for every such input
(qiao/core/tests/test_forms.py checks all of them).
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_TIME = "%H:%M"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class IsoTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_TIME)


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)


class CheckboxGrid(forms.CheckboxSelectMultiple):
    """Checkboxes in as many columns as fit, one on a phone (`.choice-grid` in qiao.css).

    `scroll=True` for long flat lists (every organisation): the grid then scrolls inside a box
    instead of making the page many screens long.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, *, scroll: bool = False) -> None:
        css = "choice-grid scroll" if scroll else "choice-grid"
        super().__init__({"class": css, **(attrs or {})})
