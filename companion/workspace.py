"""Where a command's collaborators come from: the store and the embedder for some Settings."""

from __future__ import annotations

from functools import cached_property

from companion.files import make_private
from companion.llm import LLMGateway
from companion.settings import Settings
from companion.store import Store
from embeddings import CachingEmbedder, EmbeddingCache, make_encoder


class Workspace:
    """The store and embedder for one data dir, built on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        make_private(settings.data_dir)

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.store_dir)

    @cached_property
    def gateway(self) -> LLMGateway:
        return LLMGateway(self.settings.llm)

    @cached_property
    def embedder(self) -> CachingEmbedder:
        embedding = self.settings.embedding
        cache = EmbeddingCache(self.settings.cache_path) if embedding.cache else None
        return CachingEmbedder(
            make_encoder(embedding.backend, embedding.batch_size),
            cache=cache,
            batch_size=embedding.batch_size,
            progress=self.settings.progress,
        )
