"""Object ids in the API: bounded to what the database can store, so an id no row can have is
a 400 (query or body) or a 404 (path), never an OverflowError from the database driver."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.operations import BaseDatabaseOperations
from rest_framework import serializers

# Every primary key is a BigAutoField (DEFAULT_AUTO_FIELD): a signed 64-bit integer on SQLite
# and PostgreSQL alike.
ID_MIN = 1
ID_MAX = BaseDatabaseOperations.integer_field_ranges["BigAutoField"][1]

# The schema of an id in a path, for drf-spectacular's PATH_CONVERTER_OVERRIDES.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX}


class IdConverter:
    """``<id:pk>``: digits naming a possible row; anything longer does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not ID_MIN <= number <= ID_MAX:
            raise ValueError(value)  # the URL does not match: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


class IdField(serializers.IntegerField):
    """An object's id in a query string or a request body."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField[Any]):
    """A related object by id; an id out of range is rejected before any query."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("pk_field", IdField())
        super().__init__(**kwargs)
