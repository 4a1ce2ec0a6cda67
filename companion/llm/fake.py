"""A queue-driven chat model for unit tests: replies are enqueued, calls are recorded."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

from companion.llm.base import ChatRequest


class FakeChatModel:
    """Returns enqueued replies in order (or `default` when the queue is empty)."""

    def __init__(self, name: str = "fake", local: bool = True, default: str = "") -> None:
        self.name = name
        self.local = local
        self.default = default
        self.replies: deque[str] = deque()
        self.history: list[ChatRequest] = []

    def enqueue(self, *replies: str) -> FakeChatModel:
        self.replies.extend(replies)
        return self

    def complete(self, request: ChatRequest) -> str:
        self.history.append(request)
        return self.replies.popleft() if self.replies else self.default

    def stream(self, request: ChatRequest) -> Iterator[str]:
        """The next reply in word-sized pieces that join back to the whole reply."""
        yield from re.findall(r"\s*\S+|\s+", self.complete(request))
