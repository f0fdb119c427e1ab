"""Reads from the search index: every caller outside qiao.search goes through these.

Permissions are the caller's: pass the ids the viewer may see as a filter (`ids`), and the
engine never returns anything else.
"""

from __future__ import annotations

from collections.abc import Collection as AbstractCollection
from collections.abc import Sequence

import numpy as np

from matching import Document, Explanation, Filters, Language, Match
from matching.glossary import default_glossary
from matching.text import detect_language as _detect_language
from qiao.search.holder import holder


def search_text(
    *,
    collection: str,
    query: str,
    filters: Filters | None = None,
    k: int = 10,
    language: Language | None = None,
) -> list[Match]:
    """Documents in any language for a query written in any of zh, ru, en, best first."""
    return holder().engine(collection).search(query, language=language, filters=filters, k=k)


def search_match(
    *, collection: str, document: Document, filters: Filters | None = None, k: int = 10
) -> list[Match]:
    """The best matches for a document (indexed or not; never itself)."""
    return holder().engine(collection).match(document, filters=filters, k=k)


def search_ids(*, collection: str) -> list[str]:
    """The ids this process's engine holds for a collection, sorted."""
    return holder().engine(collection).ids()


def search_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of short texts (e.g. skill names), one row each."""
    return holder().embedder.embed(list(texts))


def term_concepts(terms: Sequence[str]) -> list[str | None]:
    """The skill-thesaurus concept of each term (zh, ru or en; None when it is not in the
    thesaurus): two terms with the same concept name the same skill (matching/glossary.py)."""
    return default_glossary().concept_ids(terms)


def detect_language(text: str) -> Language | None:
    """zh, ru or en when the text is clearly written in one of them."""
    return _detect_language(text)


def ids_filter(ids: AbstractCollection[str]) -> Filters:
    """A filter that lets through only these document ids (collections give each document
    an "id" attribute)."""
    return {"id": frozenset(ids)}


def search_similar(
    *, collection: str, doc_id: str, filters: Filters | None = None, k: int = 10
) -> list[Match]:
    """The best matches for an indexed document ([] when it is not indexed)."""
    engine = holder().engine(collection)
    document = engine.get(doc_id)
    return [] if document is None else engine.match(document, filters=filters, k=k)


def search_model() -> str:
    """The embedding model the index is built with."""
    return holder().model


def explanation_json(explanation: Explanation) -> dict[str, object]:
    """An explanation as stored with a match or returned by the API."""
    return {
        "semantic": round(float(explanation.semantic), 4),
        "lexical": round(float(explanation.lexical), 4),
        "passages": [
            {
                "query": p.query_passage,
                "match": p.match_passage,
                "similarity": round(p.similarity, 4),
            }
            for p in explanation.passages
        ],
        "shared_terms": list(explanation.shared_terms),
        "shared_numbers": list(explanation.shared_numbers),
        "shared_names": list(explanation.shared_names),
    }
