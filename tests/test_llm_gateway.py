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
    assert summary.model.startswith("openai/smollm2")
    assert len(summary.bullets) == 3 and len(summary.action_items) == 2
    assert record.bytes == 0


@pytest.mark.slow
def test_the_embedded_model_answers_streams_and_keeps_to_a_schema(
    remote_general_model: Spy,
) -> None:
    record = remote_general_model
    gateway = LLMGateway(Settings().llm)
    ask = [{"role": "user", "content": f"Summarise: Ben will send the {SECRET} by Friday."}]
    reply = gateway.complete(ChatRequest(messages=ask, confidential=True, max_tokens=40))
    assert reply.local and reply.model.startswith("openai/smollm2") and reply.text.strip()
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
