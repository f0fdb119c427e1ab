from __future__ import annotations

import numpy as np
import pytest

from matching import DEFAULT_MODEL, Embedder, EmbedderError, available_embedders, get_embedder


def test_default_model_embeds_unit_rows(embedder: Embedder) -> None:
    assert embedder.name == DEFAULT_MODEL
    assert isinstance(embedder, Embedder)
    vectors = embedder.embed(["Сварка трубопроводов", "管道焊接", "pipeline welding", ""])
    assert vectors.shape == (4, embedder.dim) == (4, 512)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 512)


def test_translations_are_close(embedder: Embedder) -> None:
    ru, zh, en, other = embedder.embed(
        ["Сварка трубопроводов", "管道焊接", "pipeline welding", "рис для холодного климата"]
    )
    assert ru @ zh > ru @ other and en @ zh > en @ other


def test_batching_keeps_order_and_barely_moves_vectors(embedder: Embedder) -> None:
    texts = [f"Технология номер {i} для предприятий" for i in range(70)]  # three batches
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts[:3] + texts[-3:]])
    # int8 dynamic quantisation scales per batch, so vectors move a hair with their batch
    cosines = (np.vstack([together[:3], together[-3:]]) * alone).sum(axis=1)
    assert cosines.min() > 0.99
    assert np.array_equal(embedder.embed(texts), together)  # same input, same output


def test_traditional_and_simplified_embed_alike(embedder: Embedder) -> None:
    simplified, traditional = embedder.embed(["电脑软件技术", "電腦軟件技術"])
    assert simplified @ traditional == pytest.approx(1.0, abs=1e-5)


def test_registry() -> None:
    assert DEFAULT_MODEL in available_embedders()
    assert get_embedder(DEFAULT_MODEL) is get_embedder(DEFAULT_MODEL)  # cached per process
    with pytest.raises(EmbedderError) as info:
        get_embedder("no-such-model")
    for name in available_embedders():
        assert name in str(info.value)
    assert "st:" in str(info.value)


def test_sentence_transformers_variant_explains_what_is_missing(tmp_path: object) -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        with pytest.raises(EmbedderError, match="sentence-transformers"):
            get_embedder(f"st:{tmp_path}")
    else:  # pragma: no cover - only where the extra is installed
        with pytest.raises(EmbedderError, match="not a directory"):
            get_embedder("st:/no/such/dir")
