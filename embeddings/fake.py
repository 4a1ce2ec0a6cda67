"""A deterministic stand-in encoder for fast unit tests. Never a product default.

Each word (and each pair of neighbouring words) maps to a fixed pseudo-random
direction, seeded by its hash; a text is the normalised sum of its words. Texts that
share words therefore come out similar, which is enough to exercise ranking code.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from embeddings.base import DIM, l2_normalise

_WORD = re.compile(r"[a-z0-9+#]+")


@lru_cache(maxsize=65536)
def _direction(token: str, dim: int) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(token.encode()).digest()[:8], "little")
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


class HashingEncoder:
    """Bag-of-words hashing encoder: same text, same vector, on any machine."""

    model_id = "fake-hashing-v1"

    def __init__(self, dim: int = DIM) -> None:
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = _WORD.findall(text.casefold())
            tokens = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for token in tokens:
                out[row] += _direction(token, self.dim)
        return l2_normalise(out)
