"""Any model litellm can reach: the general model. Never used for confidential text."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from companion.llm.base import ChatRequest


def _litellm() -> Any:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no price-list download
    import litellm

    litellm.telemetry = False
    return litellm


class LiteLLMChatModel:
    """A litellm model string (`openai/gpt-4o-mini`, `ollama/llama3.1`, ...) and its endpoint."""

    def __init__(
        self,
        model: str,
        api_base: str | None = None,
        api_key: str | None = None,
        local: bool = False,
        timeout: float = 120.0,
    ) -> None:
        self.name = model
        self.api_base = api_base
        self.api_key = api_key
        self.local = local
        self.timeout = timeout

    def _arguments(self, request: ChatRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "model": self.name,
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "timeout": self.timeout,
        }
        if self.api_base:
            arguments["api_base"] = self.api_base
        if self.api_key:
            arguments["api_key"] = self.api_key
        if request.json_schema is not None:
            arguments["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.name, "schema": request.json_schema},
            }
        return arguments

    def complete(self, request: ChatRequest) -> str:
        response = _litellm().completion(**self._arguments(request))
        return response.choices[0].message.content or ""

    def stream(self, request: ChatRequest) -> Iterator[str]:
        for chunk in _litellm().completion(**self._arguments(request), stream=True):
            piece = chunk.choices[0].delta.content
            if piece:
                yield piece
