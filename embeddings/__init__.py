"""Text to vectors: the bundled offline encoder, a deterministic fake, a content-hash cache."""

from __future__ import annotations

from embeddings.base import DIM, Encoder, l2_normalise
from embeddings.cache import CachingEmbedder, EmbeddingCache, EmbedStats, content_key
from embeddings.fake import HashingEncoder
from embeddings.minilm import MiniLMEncoder


def make_encoder(backend: str, batch_size: int = 64) -> Encoder:
    """The encoder named by settings: 'minilm' (default, real) or 'fake' (unit tests)."""
    if backend == "minilm":
        return MiniLMEncoder(batch_size=batch_size)
    if backend == "fake":
        return HashingEncoder()
    raise ValueError(f"unknown embedding backend {backend!r}; use 'minilm' or 'fake'")


__all__ = [
    "DIM",
    "CachingEmbedder",
    "EmbedStats",
    "EmbeddingCache",
    "Encoder",
    "HashingEncoder",
    "MiniLMEncoder",
    "content_key",
    "l2_normalise",
    "make_encoder",
]
