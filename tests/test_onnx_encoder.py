"""The bundled encoder on onnxruntime gives sentence-transformers' vectors."""

from __future__ import annotations

import subprocess
import sys

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
def test_the_default_encoder_runs_on_the_exported_graph_without_torch() -> None:
    """In a fresh process: the product's encoder gives vectors and never imports torch
    (it would if it fell back to sentence-transformers)."""
    script = (
        "import sys; from embeddings import make_encoder; "
        "v = make_encoder('minilm').encode(['people management', 'managing a team']); "
        "print(round(float(v[0] @ v[1]), 3), 'torch' in sys.modules, "
        "'sentence_transformers' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    similarity, torch_loaded, st_loaded = done.stdout.split()
    assert float(similarity) > 0.5
    assert (torch_loaded, st_loaded) == ("False", "False")
    assert MiniLMEncoder().encode([]).shape == (0, 384)
