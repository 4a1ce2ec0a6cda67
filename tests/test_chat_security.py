"""The UI's defences without a browser: the thread store redacts confidential steps, failed
writes are logged without values, sign-ins are rate-limited, foreign origins, stale
sessions and uploads are refused. (tests/test_ui_browser.py checks them in a real browser.)"""

from __future__ import annotations

import asyncio
import logging
import stat
import time
from pathlib import Path

import httpx
import pytest
from chainlit.context import init_http_context

from companion.chat.elements import LocalElements
from companion.chat.persistence import REDACTED, redacted, sqlite_data_layer
from companion.chat.signin import SignInLimiter
from companion.chat.web import RequestGuard

CANARY = "canary-7f3c the merger with Northwind closes in March"


def step(**fields: object) -> dict:
    base = {
        "id": "s1",
        "threadId": "t1",
        "name": "user",
        "type": "user_message",
        "output": CANARY,
        "streaming": False,
        "metadata": {},
        "createdAt": "2027-01-01T00:00:00Z",
    }
    return {**base, **fields}


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        pytest.param({"command": "note"}, False, id="note-command"),
        pytest.param({"metadata": {"confidential": True}}, False, id="marked-reply"),
        pytest.param({"input": CANARY, "metadata": {"confidential": True}}, False, id="input"),
        pytest.param(
            {"type": "run", "name": "on_message", "input": CANARY, "output": ""},
            False,
            id="on-message-step-repeats-the-note",
        ),
        pytest.param({}, True, id="ordinary-message"),
    ],
)
def test_confidential_steps_are_redacted_before_storage(fields: dict, kept: bool) -> None:
    stored = redacted(step(**fields))
    assert (CANARY in str(stored)) is kept
    if not kept and stored["output"]:
        assert stored["output"] == REDACTED


def test_the_sqlite_thread_store_never_holds_a_note_or_its_name(tmp_path: Path) -> None:
    path = tmp_path / "ui" / "threads.sqlite"
    layer = sqlite_data_layer(path, LocalElements(tmp_path / "elements"))

    async def run() -> None:
        init_http_context(thread_id="t1")
        await layer.update_thread("t1", name=CANARY)  # Chainlit names threads this way
        await layer.create_step(step(command="note"))
        await layer.update_step(step(id="s2", metadata={"confidential": True}))
        await layer.create_step(step(id="s3", output="hello"))
        await layer.engine.dispose()

    asyncio.run(run())
    raw = b"".join(p.read_bytes() for p in path.parent.glob("threads.sqlite*"))
    assert CANARY.encode() not in raw and b"canary" not in raw
    assert b"hello" in raw and REDACTED.encode() in raw
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_answer_asked_in_confidence_never_reaches_the_thread_store(tmp_path: Path) -> None:
    """A check-in comment: the companion asked for it in confidence, so the person's next
    message in that thread is kept out, and so are later updates of it; the same words in
    another thread, or after the answer, are ordinary messages."""
    from companion.chat.persistence import expect_confidential

    path = tmp_path / "ui" / "threads.sqlite"
    layer = sqlite_data_layer(path, LocalElements(tmp_path / "elements"))

    async def run() -> None:
        init_http_context(thread_id="t1")
        expect_confidential("t1", True)
        await layer.create_step(step(id="c1"))  # the comment
        expect_confidential("t1", False)  # the companion has answered
        await layer.update_step(step(id="c1"))  # Chainlit updating that message later
        await layer.create_step(step(id="c2", threadId="t1", output="plain hello"))
        await layer.engine.dispose()

    asyncio.run(run())
    raw = b"".join(p.read_bytes() for p in path.parent.glob("threads.sqlite*"))
    assert CANARY.encode() not in raw and b"plain hello" in raw


def test_a_failed_write_is_logged_without_its_values(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    layer = sqlite_data_layer(tmp_path / "threads.sqlite", LocalElements(tmp_path / "e"))

    async def run() -> None:
        init_http_context(thread_id="t1")
        await layer.update_thread("t1")
        await layer.create_step(step(autoCollapse=True, bogus=CANARY))  # no such column
        await layer.engine.dispose()

    with caplog.at_level(logging.INFO):
        asyncio.run(run())
    assert "bogus" in caplog.text  # the failure is reported...
    assert "canary" not in caplog.text  # ...without what it carried


def test_failed_sign_ins_lock_out_for_a_while_and_a_success_clears_the_count() -> None:
    limiter = SignInLimiter("3/2 seconds", "5/2 seconds")
    for _ in range(3):
        assert limiter.locked("cora", "10.0.0.1") is None
        limiter.failed("cora", "10.0.0.1")
    lockout = limiter.locked("CORA ", "10.0.0.9")
    assert lockout is not None and "Try again in 1 minute" in lockout.message
    assert limiter.locked("ben", "10.0.0.2") is None  # others are not locked out
    limiter.failed("ben", "10.0.0.1")
    limiter.failed("eve", "10.0.0.1")
    assert limiter.locked("zed", "10.0.0.1") is not None  # the address is, after 5
    time.sleep(2.1)
    assert limiter.locked("cora", "10.0.0.1") is None  # the lockout expires
    limiter.failed("dan", "10.0.0.3")
    limiter.succeeded("dan")
    assert limiter.locked("dan", "10.0.0.4") is None


async def fake_chainlit(scope, receive, send) -> None:
    """Stands in for Chainlit: /login accepts only the password 'right'."""
    body = b""
    if scope["type"] == "http":
        message = await receive()
        body = message.get("body", b"")
    login = scope["path"] == "/login" and scope.get("method") == "POST"
    status = 401 if login and b"password=right" not in body else 200
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def client(valid: bool = True) -> httpx.AsyncClient:
    guard = RequestGuard(
        fake_chainlit,
        origins=["http://127.0.0.1:8000", "http://localhost:8000"],
        limiter=SignInLimiter("3/15 minutes", "10/15 minutes"),
        session_valid=lambda token: valid,
    )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=guard), base_url="http://127.0.0.1:8000"
    )


def call(coroutine_factory) -> list[httpx.Response]:
    return asyncio.run(coroutine_factory())


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        pytest.param({}, 200, id="same-site"),
        pytest.param({"Origin": "http://127.0.0.1:8000"}, 200, id="served-origin"),
        pytest.param({"Origin": "http://evil.example"}, 403, id="foreign-origin"),
        pytest.param({"Origin": "null"}, 403, id="null-origin"),
        pytest.param({"Host": "rebind.evil.example:8000"}, 403, id="dns-rebinding-host"),
    ],
)
def test_requests_from_other_sites_are_refused(headers: dict, status: int) -> None:
    async def run() -> httpx.Response:
        async with client() as c:
            return await c.get("/project/threads", headers=headers)

    assert asyncio.run(run()).status_code == status


def test_a_stale_session_is_refused_and_its_cookie_cleared() -> None:
    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with client(valid=False) as c:
            api = await c.get("/user", headers={"Cookie": "access_token=old"})
            page = await c.get("/login", headers={"Cookie": "access_token=old"})
            return api, page

    api, page = asyncio.run(run())
    assert api.status_code == 401 and "session has ended" in api.json()["detail"]
    assert "access_token=;" in api.headers["set-cookie"]
    assert page.status_code == 200  # the sign-in page itself still loads


def test_uploads_are_refused() -> None:
    async def run() -> httpx.Response:
        async with client() as c:
            return await c.post("/project/file?session_id=x", files={"file": ("a.txt", b"x")})

    refused = asyncio.run(run())
    assert refused.status_code == 403 and "uploads are off" in refused.json()["detail"]


def test_sign_in_lockout_answers_429_before_the_password_is_checked() -> None:
    async def run() -> list[int]:
        async with client() as c:
            codes = []
            for password in ("a", "b", "c", "right"):
                r = await c.post("/login", data={"username": "cora", "password": password})
                codes.append(r.status_code)
                if r.status_code == 401:
                    assert r.json()["detail"].startswith("Wrong username or password.")
            last = await c.post("/login", data={"username": "cora", "password": "right"})
            assert "Too many failed sign-ins" in last.json()["detail"]
            ok = await c.post("/login", data={"username": "ben", "password": "right"})
            # The browser sends the form as multipart (FormData): counted the same.
            multipart = await c.post(
                "/login", files={"username": (None, "cora"), "password": (None, "right")}
            )
            return [*codes, last.status_code, ok.status_code, multipart.status_code]

    assert asyncio.run(run()) == [401, 401, 401, 429, 429, 200, 429]


def test_element_files_stay_under_their_folder_private_and_whole(tmp_path: Path) -> None:
    elements = LocalElements(tmp_path / "elements")

    async def run() -> list[dict]:
        return [
            await elements.upload_file("u1/e1/Mentor load", b'{"data": []}', "application/json"),
            await elements.upload_file("../../../etc/passwd", b"x", "text/plain"),
        ]

    kept, hostile = asyncio.run(run())
    assert kept["url"] == "/mentorkit/elements/u1/e1/Mentor%20load"
    files = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert all(str(f).startswith("elements/") for f in files), files
    assert (tmp_path / "elements" / "u1" / "e1" / "Mentor_load" / "content").read_bytes() == (
        b'{"data": []}'
    )
    assert hostile["object_key"] == "../../../etc/passwd"
    assert (tmp_path / "elements" / "etc" / "passwd" / "content").read_bytes() == b"x"
