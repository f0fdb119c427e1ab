"""Cross-lingual (zh / ru / en) matching of technology profiles: a framework-free library.

    engine = Engine.open(path, model="use-multilingual-v3-int8")
    engine.upsert([Document(id="1", language="ru", fields={"title": "..."}, attributes={...})])
    engine.match(document, filters={"kind": {"offer"}}, k=10) -> list[Match]

It never imports Django or qiao (an import-linter contract keeps it so).
"""

from matching.embedders import (
    DEFAULT_MODEL,
    Embedder,
    EmbedderError,
    available_embedders,
    get_embedder,
)
from matching.engine import Engine, Scoring
from matching.index import Hit, IndexMismatchError, VectorIndex
from matching.storage import StorageError
from matching.text import LanguageGuess, detect_language, guess_language
from matching.types import (
    LANGUAGES,
    AlignedPassage,
    Document,
    Explanation,
    Filters,
    Language,
    Match,
)

__all__ = [
    "DEFAULT_MODEL",
    "LANGUAGES",
    "AlignedPassage",
    "Document",
    "Embedder",
    "EmbedderError",
    "Engine",
    "Explanation",
    "Filters",
    "Hit",
    "IndexMismatchError",
    "Language",
    "LanguageGuess",
    "Match",
    "Scoring",
    "StorageError",
    "VectorIndex",
    "available_embedders",
    "detect_language",
    "get_embedder",
    "guess_language",
]
