"""A curated trilingual thesaurus of vocational skills (zh, ru, en).

The embedding model knows whole sentences well but short trade jargon poorly: 识图 and
"чтение чертежей" (both: reading technical drawings) score 0.51, PLC编程 and ПЛК 0.49. A skill
list is exactly such jargon, so skills are first looked up here: two terms under one concept
are the same skill whatever the language, spelling or abbreviation. Like ESCO's multilingual
skill labels, but small and written for the trades of Chinese and Russian vocational schools.

The data is `matching/data/skills.tsv` (UTF-8): a header line, then one concept a line,
tab-separated `concept id`, `en`, `zh`, `ru`; each language cell holds the preferred term first
and then synonyms and abbreviations, separated by `|`. Lines starting with `#` are comments.

Lookup is by a key that ignores case, full-/half-width forms, Traditional/Simplified script,
ё/е, whitespace and punctuation (except `+` and `#`, for C++ and C#); when that finds nothing,
by Snowball stems of the Russian and English words, so inflected forms ("чтения чертежей",
"welds") are found too.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from matching.text import normalize, stem
from matching.types import Language

DEFAULT_PATH = Path(__file__).with_name("data") / "skills.tsv"
LANGUAGES: tuple[Language, ...] = ("en", "zh", "ru")

_NOT_WORD = re.compile(r"[^\w+#]+")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Chinese is written without spaces: "PLC 编程" and "PLC编程" are one term.
_SPACE_BY_HAN = re.compile(rf"(?<=[{_HAN}]) | (?=[{_HAN}])")
_CYRILLIC = re.compile("[а-я]")
_LATIN = re.compile("[a-z]")


class Concept(NamedTuple):
    id: str
    terms: dict[Language, tuple[str, ...]]  # preferred term first

    def label(self, language: Language) -> str:
        """The preferred term in a language."""
        return self.terms[language][0]


def term_key(term: str) -> str:
    """What a term is compared by: case, width, script variant, ё, spaces and punctuation
    folded away."""
    text = normalize(term).replace("ё", "е")
    text = _NOT_WORD.sub(" ", text).replace("_", " ")
    text = " ".join(text.split())
    return _SPACE_BY_HAN.sub("", text)


def stem_key(key: str) -> str:
    """A `term_key` with each Russian or English word reduced to its Snowball stem."""
    words = []
    for word in key.split():
        if _CYRILLIC.search(word):
            words.append(stem(word, "ru"))
        elif _LATIN.search(word) and not re.search(r"[^a-z]", word):
            words.append(stem(word, "en"))
        else:
            words.append(word)
    return " ".join(words)


class GlossaryError(ValueError):
    """The data file is malformed or ambiguous (a term under two concepts)."""


class Glossary:
    """Concepts by id, and every term's exact and stemmed keys pointing at its concept."""

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._concepts: dict[str, Concept] = {}
        self._exact: dict[str, str] = {}
        self._stemmed: dict[str, str] = {}
        for concept in concepts:
            if concept.id in self._concepts:
                raise GlossaryError(f"concept {concept.id!r} defined twice")
            missing = [lang for lang in LANGUAGES if not concept.terms.get(lang)]
            if missing:
                raise GlossaryError(f"concept {concept.id!r} has no term in {missing}")
            self._concepts[concept.id] = concept
            for terms in concept.terms.values():
                for term in terms:
                    key = term_key(term)
                    if not key:
                        raise GlossaryError(f"concept {concept.id!r}: empty term {term!r}")
                    self._claim(self._exact, key, concept.id, term)
                    self._claim(self._stemmed, stem_key(key), concept.id, term)

    @staticmethod
    def _claim(keys: dict[str, str], key: str, concept_id: str, term: str) -> None:
        owner = keys.setdefault(key, concept_id)
        if owner != concept_id:
            raise GlossaryError(f"term {term!r} is under both {owner!r} and {concept_id!r}")

    @classmethod
    def from_tsv(cls, path: Path) -> Glossary:
        return cls(_read_tsv(path))

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())

    def __getitem__(self, concept_id: str) -> Concept:
        return self._concepts[concept_id]

    def concept_id(self, term: str) -> str | None:
        """The concept a term names, or None when the glossary does not know it."""
        key = term_key(term)
        if not key:
            return None
        return self._exact.get(key) or self._stemmed.get(stem_key(key))

    def concept(self, term: str) -> Concept | None:
        concept_id = self.concept_id(term)
        return None if concept_id is None else self._concepts[concept_id]

    def concept_ids(self, terms: Iterable[str]) -> list[str | None]:
        return [self.concept_id(t) for t in terms]


def _read_tsv(path: Path) -> Iterator[Concept]:
    with path.open(encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split("\t")
        if header != ["concept", *LANGUAGES]:
            raise GlossaryError(f"{path}: header must be concept, en, zh, ru; got {header}")
        for number, line in enumerate(lines, start=2):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != 1 + len(LANGUAGES):
                raise GlossaryError(f"{path}:{number}: expected 4 tab-separated cells")
            terms = {
                lang: tuple(t.strip() for t in cell.split("|") if t.strip())
                for lang, cell in zip(LANGUAGES, cells[1:], strict=True)
            }
            yield Concept(cells[0].strip(), terms)


@functools.lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The bundled vocational-skill glossary, loaded once per process."""
    return Glossary.from_tsv(DEFAULT_PATH)
