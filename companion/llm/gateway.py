"""The LLM gateway: which model answers which request, and the confidentiality guard.

Every request says whether it carries confidential text. Confidential requests go only
to the configured local model, and only if it runs on this machine (the embedded model,
or an endpoint on loopback); otherwise ConfidentialityError is raised before any
network call. The general model never sees a confidential request, wherever it runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from companion.llm.base import ChatModel, ChatReply, ChatRequest, ConfidentialityError
from companion.llm.remote import LiteLLMChatModel, is_loopback

EMBEDDED = "embedded"


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(EMBEDDED, description="General model: 'embedded' or a litellm model string.")
    api_base: str | None = Field(None, description="Endpoint of the general model, if needed.")
    api_key: SecretStr | None = Field(None, description="API key of the general model.")
    local_model: str = Field(
        EMBEDDED, description="Model for confidential text: 'embedded' or a model on loopback."
    )
    local_api_base: str | None = Field(None, description="Loopback endpoint of the local model.")
    local_api_key: SecretStr | None = Field(None, description="API key of the local model.")
    max_tokens: int = Field(256, ge=16, le=8192, description="Longest reply, in tokens.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for a reply.")
    threads: int = Field(2, ge=1, le=64, description="CPU threads of the embedded model.")


class EmbeddedChatModel(LiteLLMChatModel):
    """SmolLM2 on the in-process llama.cpp server, started on first call."""

    def __init__(self, threads: int, timeout: float) -> None:
        from companion.llm.embedded import ALIAS

        super().__init__(f"openai/{ALIAS}", api_key="local", local=True, timeout=timeout)
        self.threads = threads

    def _arguments(self, request: ChatRequest) -> dict:
        from companion.llm.embedded import api_base

        self.api_base = api_base(self.threads)
        return super()._arguments(request)


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


class LLMGateway:
    """Routes requests: confidential ones to the local model only, the rest to the general one."""

    def __init__(
        self,
        settings: LLMSettings,
        general: ChatModel | None = None,
        local: ChatModel | None = None,
    ) -> None:
        self.settings = settings
        if general is not None:
            self.__dict__["general"] = general
        if local is not None:
            self.__dict__["local"] = local

    def _build(self, model: str, api_base: str | None, api_key: str | None) -> ChatModel:
        if model == EMBEDDED:
            return EmbeddedChatModel(self.settings.threads, self.settings.timeout)
        return LiteLLMChatModel(
            model, api_base, api_key, local=is_loopback(api_base), timeout=self.settings.timeout
        )

    @cached_property
    def general(self) -> ChatModel:
        s = self.settings
        return self._build(s.model, s.api_base, _secret(s.api_key))

    @cached_property
    def local(self) -> ChatModel:
        s = self.settings
        return self._build(s.local_model, s.local_api_base, _secret(s.local_api_key))

    def model_for(self, request: ChatRequest) -> ChatModel:
        if not request.confidential:
            return self.general
        if not self.local.local:
            raise ConfidentialityError(
                f"confidential text may only go to a model on this machine, and "
                f"{self.local.name!r} is not (its endpoint must be on loopback, or use "
                "'embedded'); nothing was sent"
            )
        return self.local

    def complete(self, request: ChatRequest) -> ChatReply:
        model = self.model_for(request)
        return ChatReply(text=model.complete(request), model=model.name, local=model.local)

    def stream(self, request: ChatRequest) -> Iterator[str]:
        yield from self.model_for(request).stream(request)
