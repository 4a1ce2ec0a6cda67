"""The one LLM seam: a ChatModel answers a ChatRequest, whole or streamed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol


class ConfidentialityError(RuntimeError):
    """A confidential request would have left this machine; nothing was sent."""


class ModelUnavailable(RuntimeError):
    """The model did not answer (not running, unreachable, or an error reply)."""


@dataclass(frozen=True)
class ChatRequest:
    """What to ask a model. `confidential` marks text that must stay on this machine."""

    messages: list[dict[str, str]]
    confidential: bool
    json_schema: dict[str, Any] | None = None
    max_tokens: int = 256
    temperature: float = 0.2
    name: str = "mentorkit"  # a label for the schema and the logs


@dataclass
class ChatReply:
    text: str
    model: str
    local: bool
    extra: dict[str, Any] = field(default_factory=dict)


class ChatModel(Protocol):
    """A chat model: `local` says whether it runs on this machine."""

    name: str
    local: bool

    def complete(self, request: ChatRequest) -> str: ...

    def stream(self, request: ChatRequest) -> Iterator[str]: ...
