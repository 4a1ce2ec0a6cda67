"""The LLM gateway: which model answers which request, and the confidentiality guard.

Every request says whether it carries confidential text. Confidential requests go only
to the configured local model, and only by a route that keeps them in the organisation
(see companion/llm/onprem.py): the embedded model, or an OpenAI-compatible provider at a
base URL on loopback or on a host named in `confidential_hosts`, sent by a client that
ignores proxy settings. Otherwise ConfidentialityError is raised before any network
call. The general model never sees a confidential request, wherever it runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from companion.llm.base import ChatModel, ChatReply, ChatRequest, ConfidentialityError
from companion.llm.onprem import OnPremChatModel, confidential_refusal
from companion.llm.remote import LiteLLMChatModel

EMBEDDED = "embedded"
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: str = Field(EMBEDDED, description="General model: 'embedded' or a litellm model string.")
    api_base: str | None = Field(None, description="Endpoint of the general model, if needed.")
    api_key: SecretStr | None = Field(None, description="API key of the general model.")
    local_model: str = Field(
        EMBEDDED,
        description="Model for confidential text: 'embedded', or an openai/, hosted_vllm/, "
        "ollama/ or ollama_chat/ model at local_api_base.",
    )
    local_api_base: str | None = Field(
        None, description="Endpoint of the local model: on loopback or a confidential host."
    )
    local_api_key: SecretStr | None = Field(None, description="API key of the local model.")
    max_tokens: int = Field(256, ge=16, le=8192, description="Longest reply, in tokens.")
    timeout: float = Field(120.0, gt=0, description="Seconds to wait for a reply.")
    threads: int = Field(2, ge=1, le=64, description="CPU threads of the embedded model.")
    confidential_hosts: list[str] = Field(
        default_factory=list,
        description="Host names of the organisation's own model servers (e.g. a vLLM host "
        "inside the company network) that may receive confidential text besides this "
        "machine. Exact names only, none by default.",
    )

    @field_validator("confidential_hosts")
    @classmethod
    def _exact_hosts(cls, hosts: list[str]) -> list[str]:
        for host in hosts:
            if not _HOST.fullmatch(host):
                raise ValueError(
                    f"{host!r} is not a plain host name (no scheme, port, path or wildcard)"
                )
        return [h.lower() for h in hosts]


class EmbeddedChatModel(OnPremChatModel):
    """SmolLM2 on the in-process llama.cpp server, started on first call."""

    def __init__(self, threads: int, timeout: float) -> None:
        from companion.llm.embedded import ALIAS

        super().__init__(f"embedded/{ALIAS}", None, timeout=timeout)
        self.threads = threads

    def _url(self) -> str:
        from companion.llm.embedded import api_base

        self.api_base = api_base(self.threads)
        return super()._url()


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
        s = self.settings
        if model == EMBEDDED:
            return EmbeddedChatModel(s.threads, s.timeout)
        if confidential_refusal(model, api_base, s.confidential_hosts) is None:
            return OnPremChatModel(model, api_base, api_key, timeout=s.timeout)
        return LiteLLMChatModel(model, api_base, api_key, local=False, timeout=s.timeout)

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
            s = self.settings
            why = confidential_refusal(s.local_model, s.local_api_base, s.confidential_hosts)
            raise ConfidentialityError(
                f"confidential text may only go to a model inside the organisation, and "
                f"{self.local.name!r} is refused: {why or 'it is not a local model'}; "
                "nothing was sent"
            )
        return self.local

    def complete(self, request: ChatRequest) -> ChatReply:
        model = self.model_for(request)
        return ChatReply(text=model.complete(request), model=model.name, local=model.local)

    def stream(self, request: ChatRequest) -> Iterator[str]:
        yield from self.model_for(request).stream(request)
