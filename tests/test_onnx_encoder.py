"""The bundled encoder on onnxruntime gives sentence-transformers' vectors."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings.minilm import MiniLMEncoder, bundled_model_path
from embeddings.onnx import OnnxMiniLM, exported_model_path

TEXTS = [
    "excel",
    "stakeholder mgmt",
    "I build pivot tables for the monthly numbers and walk the execs through them.",
    "",
    "Ünïcode, emoji 🙂 and a very long text " + "word " * 400,  # truncated at 256 tokens
]


@pytest.mark.slow
def test_the_exported_graph_gives_the_same_vectors_as_sentence_transformers() -> None:
    graph = exported_model_path()
    assert graph.exists(), "make install exports the encoder: python -m embeddings.onnx"
    fast = OnnxMiniLM(graph, bundled_model_path()).encode(TEXTS)
    reference = MiniLMEncoder().model.encode(TEXTS, normalize_embeddings=True)
    assert fast.shape == (len(TEXTS), 384) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert (np.einsum("ij,ij->i", fast, reference) > 0.9999).all()


@pytest.mark.slow
def test_the_default_encoder_runs_on_the_exported_graph() -> None:
    vectors = MiniLMEncoder().encode(["people management", "managing a team"])
    assert float(vectors[0] @ vectors[1]) > 0.5
    assert MiniLMEncoder().encode([]).shape == (0, 384)
