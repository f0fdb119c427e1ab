"""One document's indexed state as a few byte strings, so that a store (the platform keeps it
in its database) can hold it per document and any process can rebuild its in-memory engine
from it without embedding again (docs/decisions/0008-search-state-in-db.md).

    state = encode(document, analysis)   # DocumentState: vector, payload, passages, passage_vectors
    document, analysis = decode(state, dim)                # what Engine.put takes
    document, analysis = decode(state, dim, passages=False)   # ...without the passages
    passages, vectors = decode_passages(state.passages, state.passage_vectors, dim)

Vectors are stored as float16 (half the bytes; retrieval is unchanged at the precision the
index re-scores with, 0006) and are decoded to unit float32 rows. The payload is the
document's fields and attributes and the analysis' keywords and cues, as zlib-compressed JSON;
the passages (texts, then vectors) are apart, because only explanations read them and they are
most of a document's bytes: a process that only indexes need not read them (an engine with a
DetailLoader loads a candidate's whole state when it explains it). Encoding is deterministic:
the same document and analysis give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any, NamedTuple

import numpy as np

from matching.engine import Analysis, document_identity
from matching.text import Mention
from matching.types import Document

FORMAT = 1
_DTYPE = np.dtype("<f2")


class DocumentState(NamedTuple):
    vector: bytes  # float16, the document vector
    payload: bytes  # zlib JSON: the document, keywords and cues
    passages: bytes  # zlib JSON: the passage texts
    passage_vectors: bytes  # float16, one row per passage


class StateError(ValueError):
    """Bytes that are not a document state this version can read."""


def fingerprint(document: Document, model: str) -> str:
    """A digest of everything indexing reads from a document (and the model that embeds it):
    equal fingerprints mean re-indexing would store the same state."""
    body = json.dumps(
        [model, *document_identity(document)], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def encode(document: Document, analysis: Analysis) -> DocumentState:
    payload: dict[str, Any] = {
        "format": FORMAT,
        "id": document.id,
        "language": document.language,
        "fields": list(document.fields.items()),
        "attributes": sorted((k, sorted(v)) for k, v in document.attributes.items()),
        "tokens": list(analysis.tokens),
        "surfaces": sorted((k, v) for k, v in analysis.surfaces.items() if k != v),
        "cues": [[m.key, m.surface] for m in analysis.cues],
    }
    return DocumentState(
        vector=np.asarray(analysis.vector, _DTYPE).tobytes(),
        payload=_pack(payload),
        passages=_pack(list(analysis.passages)),
        passage_vectors=np.asarray(analysis.passage_vectors, _DTYPE).tobytes(),
    )


def _pack(value: object) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _unpack(data: bytes) -> Any:
    try:
        return json.loads(zlib.decompress(bytes(data)))
    except (zlib.error, ValueError) as exc:
        raise StateError(f"unreadable document state: {exc}") from exc


def decode_passages(
    passages: bytes, passage_vectors: bytes, dim: int
) -> tuple[tuple[str, ...], np.ndarray]:
    texts = tuple(_unpack(passages))
    vectors = _rows(passage_vectors, dim)
    if vectors.shape[0] != len(texts) or not texts:
        raise StateError(f"{len(texts)} passages but {vectors.shape[0]} passage vectors")
    return texts, vectors


def decode(state: DocumentState, dim: int, *, passages: bool = True) -> tuple[Document, Analysis]:
    """The document and its analysis; without `passages`, the analysis has none (what an
    engine indexes does not need them)."""
    payload = _unpack(state.payload)
    if payload.get("format") != FORMAT:
        raise StateError(f"document state format {payload.get('format')!r}, not {FORMAT}")
    vector = _rows(state.vector, dim)
    if vector.shape[0] != 1:
        raise StateError(f"document state {payload['id']}: {vector.shape[0]} document vectors")
    texts: tuple[str, ...] = ()
    passage_vectors = np.zeros((0, dim), np.float32)
    if passages:
        texts, passage_vectors = decode_passages(state.passages, state.passage_vectors, dim)
    tokens = tuple(payload["tokens"])
    surfaces = dict(payload["surfaces"])  # sparse, as Analysis allows: read with .get(k, k)
    document = Document(
        id=payload["id"],
        language=payload["language"],
        fields=dict(payload["fields"]),
        attributes={k: frozenset(v) for k, v in payload["attributes"]},
    )
    analysis = Analysis(
        passages=texts,
        passage_vectors=passage_vectors,
        vector=vector[0],
        tokens=tokens,
        surfaces=surfaces,
        cues=tuple(Mention(k, s) for k, s in payload["cues"]),
    )
    return document, analysis


def _rows(data: bytes, dim: int) -> np.ndarray:
    raw = np.frombuffer(bytes(data), _DTYPE)
    if raw.size % dim:
        raise StateError(f"{raw.size} float16 values are not rows of {dim}")
    rows = raw.reshape(-1, dim).astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.ascontiguousarray(rows / np.where(norms > 0, norms, 1.0), dtype=np.float32)
