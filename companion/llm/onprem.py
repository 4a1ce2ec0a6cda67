"""Where confidential text may go, and the one HTTP client that takes it there.

The guard decides by route, not by string. A confidential request may only go to:
- the embedded model (in this process, on 127.0.0.1), or
- a provider that honours the configured base URL, speaking the OpenAI-compatible chat
  API (`openai/`, `hosted_vllm/`, `ollama/`, `ollama_chat/`), at a base URL on loopback or
  on a host the organisation named in `confidential_hosts` (its own model servers).

Any other provider is refused for confidential text: litellm's `replicate/`, `sagemaker/`,
`bedrock/`, `vertex_ai/`... call their own cloud whatever `api_base` says. And the request
is sent by `OnPremChatModel` below, an httpx client that ignores HTTP(S)_PROXY and every
other environment setting, so a proxy never sees a note. litellm is not on this path.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import httpx

from companion.llm.base import ChatRequest, ModelUnavailable

# Providers whose requests go to `api_base` and nowhere else, all OpenAI-compatible there
# (Ollama serves the same API under /v1).
CONFIDENTIAL_PROVIDERS = ("openai", "hosted_vllm", "ollama", "ollama_chat")
_OLLAMA = ("ollama", "ollama_chat")


def is_loopback(url: str | None) -> bool:
    """Whether a base URL points at this machine (127.0.0.0/8, ::1 or localhost)."""
    if not url:
        return False
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def confidential_refusal(
    model: str, api_base: str | None, allowed_hosts: list[str] | tuple[str, ...] = ()
) -> str | None:
    """Why `model` at `api_base` may not receive confidential text, or None if it may."""
    provider, _, name = model.partition("/")
    if not name or provider not in CONFIDENTIAL_PROVIDERS:
        return (
            f"provider {provider if name else '(none)'!r} of {model!r} may call its own "
            f"servers whatever the base URL says; confidential text goes only to "
            f"{', '.join(p + '/' for p in CONFIDENTIAL_PROVIDERS)} models or 'embedded'"
        )
    if not api_base:
        return f"{model!r} has no base URL, so it would go to the provider's cloud"
    url = urlparse(api_base)
    if url.scheme not in ("http", "https") or not url.hostname:
        return f"the base URL {api_base!r} is not an http(s) URL with a host"
    if is_loopback(api_base):
        return None
    if url.hostname.lower() in {h.strip().lower() for h in allowed_hosts}:
        return None
    return (
        f"{url.hostname!r} is neither on this machine (loopback) nor named in "
        "MENTORKIT_LLM__CONFIDENTIAL_HOSTS"
    )


class OnPremChatModel:
    """An OpenAI-compatible chat endpoint reached directly, never through a proxy."""

    local = True

    def __init__(
        self,
        model: str,
        api_base: str | None,
        api_key: str | None = None,
        timeout: float = 120.0,
    ) -> None:
        self.name = model
        self.api_base = api_base
        self.api_key = api_key
        self.timeout = timeout

    def _url(self) -> str:
        base = (self.api_base or "").rstrip("/")
        provider = self.name.partition("/")[0]
        if provider in _OLLAMA and not base.endswith("/v1"):
            base += "/v1"
        return base + "/chat/completions"

    def _body(self, request: ChatRequest, stream: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.name.partition("/")[2],
            "messages": request.messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "stream": stream,
        }
        if request.json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.name, "schema": request.json_schema},
            }
        return body

    def _client(self) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        # trust_env=False: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, .netrc and friends are ignored.
        return httpx.Client(trust_env=False, timeout=self.timeout, headers=headers)

    def _unavailable(self, err: Exception) -> ModelUnavailable:
        return ModelUnavailable(
            f"the local model {self.name!r} at {self.api_base} did not answer "
            f"({type(err).__name__}: {err}); is it running? Nothing was sent anywhere else"
        )

    def complete(self, request: ChatRequest) -> str:
        try:
            with self._client() as client:
                response = client.post(self._url(), json=self._body(request, stream=False))
                response.raise_for_status()
                return response.json()["choices"][0]["message"].get("content") or ""
        except (httpx.HTTPError, ValueError, KeyError, IndexError) as err:
            raise self._unavailable(err) from None

    def stream(self, request: ChatRequest) -> Iterator[str]:
        try:
            with (
                self._client() as client,
                client.stream(
                    "POST", self._url(), json=self._body(request, stream=True)
                ) as response,
            ):
                response.raise_for_status()
                for line in response.iter_lines():
                    data = line.removeprefix("data:").strip()
                    if not line.startswith("data:") or not data or data == "[DONE]":
                        continue
                    choices = json.loads(data).get("choices") or [{}]
                    piece = (choices[0].get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except (httpx.HTTPError, ValueError) as err:
            raise self._unavailable(err) from None
