"""The LLM gateway and its confidentiality guard, with a spy server standing in for a remote."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from companion.llm import (
    ChatRequest,
    ConfidentialityError,
    FakeChatModel,
    LLMGateway,
    LLMSettings,
    confidential_refusal,
    is_loopback,
)
from companion.notes import Notebook, Viewer
from companion.settings import Settings
from companion.workspace import Workspace
from tests.test_notes import NOTES, SESSION

SECRET = "draft deck"


class Spy:
    def __init__(self) -> None:
        self.bytes = 0
        self.bodies: list[bytes] = []


@pytest.fixture
def spy() -> Iterator[tuple[Spy, str]]:
    """An OpenAI-compatible server on loopback that records every byte it receives."""
    record = Spy()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            record.bytes += len(body) + len(str(self.headers))
            record.bodies.append(body)
            if json.loads(body or b"{}").get("stream"):
                chunks = [{"choices": [{"delta": {"content": p}}]} for p in ("- spy", " reply")]
                events = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks)
                stream = (events + "data: [DONE]\n\n").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Content-Length", str(len(stream)))
                self.end_headers()
                self.wfile.write(stream)
                return
            reply = json.dumps(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "spy",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": "- spy reply"},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield record, f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


@pytest.fixture
def remote_general_model(spy: tuple[Spy, str], monkeypatch: pytest.MonkeyPatch) -> Spy:
    """The general model configured as a remote one (openai/...), served by the spy."""
    record, url = spy
    monkeypatch.setenv("MENTORKIT_LLM_MODEL", "openai/gpt-4o-mini")
    monkeypatch.setenv("MENTORKIT_LLM_API_BASE", url)
    monkeypatch.setenv("MENTORKIT_LLM_API_KEY", "sk-test")
    return record


def test_confidential_notes_never_reach_the_general_model(
    workspace: Workspace,
    pair: str,
    remote_general_model: Spy,
) -> None:
    record = remote_general_model
    settings = Settings()
    local = FakeChatModel("local-fake", local=True)
    gateway = LLMGateway(settings.llm, local=local)
    book = Notebook(Workspace(settings), gateway)
    book.add(Viewer(person_id="ben", role="mentee"), pair, NOTES, SESSION)
    summary = book.summarise(Viewer(person_id="ada", role="mentor"), pair)
    assert summary.model == "local-fake" and SECRET in local.history[0].messages[0]["content"]
    assert record.bytes == 0
    # The spy does see what is not confidential, so a leak would have shown.
    reply = gateway.complete(
        ChatRequest(messages=[{"role": "user", "content": "hello"}], confidential=False)
    )
    assert reply.text == "- spy reply" and record.bytes > 0
    assert all(SECRET.encode() not in body for body in record.bodies)


def test_a_local_model_that_is_not_on_this_machine_is_refused_before_any_network_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    settings = LLMSettings(local_model="openai/gpt-4o-mini", local_api_base="http://192.0.2.10/v1")
    gateway = LLMGateway(settings, general=FakeChatModel(local=False))
    with pytest.raises(ConfidentialityError, match="nothing was sent"):
        gateway.complete(
            ChatRequest(messages=[{"role": "user", "content": SECRET}], confidential=True)
        )
    assert attempts == []


@pytest.mark.parametrize(
    "model",
    [
        pytest.param("replicate/meta/llama-3-8b", id="replicate-ignores-api-base"),
        pytest.param("sagemaker/my-endpoint", id="sagemaker-ignores-api-base"),
        pytest.param("bedrock/anthropic.claude-v2", id="bedrock"),
        pytest.param("gpt-4o-mini", id="no-provider-means-openai-cloud"),
        pytest.param("anthropic/claude-3-haiku", id="anthropic"),
    ],
)
def test_a_provider_that_ignores_the_base_url_never_gets_confidential_text(
    spy: tuple[Spy, str], model: str
) -> None:
    record, url = spy
    gateway = LLMGateway(
        LLMSettings(local_model=model, local_api_base=url), general=FakeChatModel(local=False)
    )
    ask = ChatRequest(messages=[{"role": "user", "content": SECRET}], confidential=True)
    with pytest.raises(ConfidentialityError, match="may call its own servers"):
        gateway.complete(ask)
    with pytest.raises(ConfidentialityError):
        list(gateway.stream(ask))
    assert record.bytes == 0


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Spy]:
    """A forward proxy set in every proxy variable; it records what reaches it and fails it."""
    record = Spy()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            record.bytes += len(self.requestline) + len(body)
            record.bodies.append(body)
            self.send_error(502)

        do_GET = do_POST = do_CONNECT = _any  # noqa: N815 (http.server's names)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, address)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield record
    server.shutdown()


def test_confidential_requests_ignore_proxy_settings(spy: tuple[Spy, str], proxy: Spy) -> None:
    record, url = spy
    gateway = LLMGateway(LLMSettings(local_model="openai/on-prem", local_api_base=url))
    ask = ChatRequest(messages=[{"role": "user", "content": SECRET}], confidential=True)
    assert gateway.complete(ask).text == "- spy reply"
    assert "".join(gateway.stream(ask)) == "- spy reply"
    assert proxy.bytes == 0
    assert len(record.bodies) == 2 and all(SECRET.encode() in b for b in record.bodies)


@pytest.mark.parametrize(
    ("model", "base", "hosts", "allowed"),
    [
        pytest.param("openai/m", "http://127.0.0.1:8000/v1", [], True, id="loopback"),
        pytest.param("ollama/llama3.1", "http://localhost:11434", [], True, id="ollama-local"),
        pytest.param("hosted_vllm/m", "https://vllm.corp.example/v1", [], False, id="not-listed"),
        pytest.param(
            "hosted_vllm/m",
            "https://vllm.corp.example/v1",
            ["vllm.corp.example"],
            True,
            id="listed-host",
        ),
        pytest.param(
            "openai/m",
            "https://vllm.corp.example.evil.net/v1",
            ["vllm.corp.example"],
            False,
            id="listed-name-as-prefix",
        ),
        pytest.param(
            "openai/m", "http://127.0.0.1@api.openai.com/v1", [], False, id="userinfo-trick"
        ),
        pytest.param("openai/m", None, [], False, id="no-base-url"),
        pytest.param("openai/m", "file:///tmp/socket", [], False, id="not-http"),
        pytest.param("replicate/m", "http://127.0.0.1:8000", ["127.0.0.1"], False, id="replicate"),
    ],
)
def test_the_route_decides_where_confidential_text_may_go(
    model: str, base: str | None, hosts: list[str], allowed: bool
) -> None:
    assert (confidential_refusal(model, base, hosts) is None) is allowed


@pytest.mark.parametrize("host", ["*.corp.example", "http://vllm.corp", "vllm:8000", "a/b", ""])
def test_confidential_hosts_are_exact_names(host: str) -> None:
    with pytest.raises(ValueError, match="plain host name"):
        LLMSettings(confidential_hosts=[host])


def test_a_local_model_on_loopback_is_allowed() -> None:
    gateway = LLMGateway(
        LLMSettings(local_model="ollama/llama3.1", local_api_base="http://127.0.0.1:11434")
    )
    assert (
        gateway.local.local
        and gateway.model_for(ChatRequest(messages=[], confidential=True)) is gateway.local
    )


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8080/v1", True),
        ("http://127.8.9.1", True),
        ("http://localhost:11434", True),
        ("http://[::1]:9000", True),
        ("http://10.0.0.5:11434", False),
        ("https://api.openai.com/v1", False),
        (None, False),
    ],
)
def test_loopback_detection(url: str | None, local: bool) -> None:
    assert is_loopback(url) is local


@pytest.mark.slow
def test_notes_are_summarised_on_the_embedded_model_when_the_general_model_is_remote(
    workspace: Workspace,
    pair: str,
    remote_general_model: Spy,
) -> None:
    record = remote_general_model
    book = Notebook(Workspace(Settings()))
    book.add(Viewer(person_id="ben", role="mentee"), pair, NOTES, SESSION)
    summary = book.summarise(Viewer(person_id="ben", role="mentee"), pair)
    assert summary.model.startswith("embedded/smollm2")
    assert len(summary.action_items) == 2 and "in two weeks" in summary.text()
    assert record.bytes == 0


@pytest.mark.slow
def test_the_embedded_model_answers_streams_and_keeps_to_a_schema(
    remote_general_model: Spy,
) -> None:
    record = remote_general_model
    gateway = LLMGateway(Settings().llm)
    ask = [{"role": "user", "content": f"Summarise: Ben will send the {SECRET} by Friday."}]
    reply = gateway.complete(ChatRequest(messages=ask, confidential=True, max_tokens=40))
    assert reply.local and reply.model.startswith("embedded/smollm2") and reply.text.strip()
    pieces = list(gateway.stream(ChatRequest(messages=ask, confidential=True, max_tokens=20)))
    assert len(pieces) > 1
    schema = {"type": "object", "properties": {"owner": {"type": "string"}}, "required": ["owner"]}
    shaped = gateway.complete(
        ChatRequest(messages=ask, confidential=True, json_schema=schema, max_tokens=40)
    )
    assert isinstance(json.loads(shaped.text)["owner"], str)
    assert record.bytes == 0


def test_a_wrong_date_from_the_model_never_reaches_the_summary() -> None:
    from companion.notes import summarise_notes_locally

    local = FakeChatModel("local", local=True).enqueue("- Ben sends the deck on 1 April.")
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    summary = summarise_notes_locally(NOTES, SESSION, {"ben": "Ben", "ada": "Ada"}, gateway)
    assert summary.dropped and summary.dropped[0].bullet.startswith("Ben sends")
    assert all("April" not in b for b in summary.bullets)
    assert dt.date(2027, 2, 5) in {i.due for i in summary.action_items}
