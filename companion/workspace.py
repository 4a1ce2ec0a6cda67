"""Where every store-backed service comes from: one Workspace per data dir builds the store,
the match ledger, the accounts, the goals and the notes, and takes (or builds) the chat
gateway and the encoder. The CLI, the chat and the tests all get them here, the same way."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from companion.files import make_private
from companion.llm import LLMGateway
from companion.settings import Settings
from companion.store import Store
from embeddings import CachingEmbedder, EmbeddingCache, make_encoder

if TYPE_CHECKING:
    from companion.accounts import Accounts
    from companion.goals.store import GoalStore
    from companion.matching.ledger import MatchLedger
    from embeddings import Encoder


class Workspace:
    """The services of one data dir, each built on first use.

    `gateway` and `encoder` replace the configured chat models and encoder (tests pass
    fakes here; the product never does)."""

    def __init__(
        self,
        settings: Settings,
        gateway: LLMGateway | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        self.settings = settings
        self._gateway = gateway
        self._encoder = encoder
        make_private(settings.data_dir)

    @cached_property
    def store(self) -> Store:
        return Store(self.settings.store_dir)

    @cached_property
    def gateway(self) -> LLMGateway:
        return self._gateway or LLMGateway(self.settings.llm)

    @cached_property
    def embedder(self) -> CachingEmbedder:
        embedding = self.settings.embedding
        cache = EmbeddingCache(self.settings.cache_path) if embedding.cache else None
        return CachingEmbedder(
            self._encoder or make_encoder(embedding.backend, embedding.batch_size),
            cache=cache,
            batch_size=embedding.batch_size,
            progress=self.settings.progress,
        )

    @cached_property
    def ledger(self) -> MatchLedger:
        from companion.matching.ledger import MatchLedger

        return MatchLedger(self.settings.store_dir)

    @cached_property
    def accounts(self) -> Accounts:
        from companion.accounts import Accounts

        return Accounts(self.store)

    @cached_property
    def goal_store(self) -> GoalStore:
        from companion.goals.store import GoalStore

        return GoalStore(self.settings.store_dir)
