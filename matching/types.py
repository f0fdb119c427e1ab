"""Plain data that crosses the library boundary: frozen dataclasses in, small named results out."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Language = Literal["zh", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "ru", "en")

# attribute name -> allowed values; a document passes when, for every key, its attribute
# shares at least one value with the allowed set. Keys not in the filter do not filter.
# Any set type is accepted ({"offer"} as well as frozenset({"offer"})).
Filters = Mapping[str, AbstractSet[str]]


@dataclass(frozen=True)
class Document:
    """One matchable item, e.g. a technology offer, written in one language.

    `fields` are the named text parts in reading order (title, summary, description...);
    `attributes` carry filterable facets (kind, country, sector, stage...).
    """

    id: str
    language: Language
    fields: Mapping[str, str]
    attributes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(v for v in self.fields.values() if v)


class AlignedPassage(NamedTuple):
    query_passage: str
    match_passage: str
    similarity: float  # cosine, -1..1


class Explanation(NamedTuple):
    semantic: float  # document-level cosine similarity, -1..1
    lexical: float  # keyword/cue score, 0..1
    passages: tuple[AlignedPassage, ...]  # best-aligned passage pairs, best first
    shared_terms: tuple[str, ...]  # same-language keywords present on both sides
    shared_numbers: tuple[str, ...]  # numbers/measures present on both sides
    shared_names: tuple[str, ...]  # codes, Latin tokens, names (incl. transliterations)


class Match(NamedTuple):
    doc_id: str
    score: float  # 0..100 match quality
    explanation: Explanation
