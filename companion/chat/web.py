"""One ASGI guard in front of the chat UI's server, for what Chainlit leaves open:

- requests (HTTP and websocket alike) from another site are refused: an Origin header must
  be one of the served origins, and the Host one of theirs (against DNS rebinding);
- a session token whose account is gone, or whose password was reset after it was issued,
  is refused on every API and websocket request, and its cookie cleared;
- failed sign-ins are counted per username and client address, and a locked-out attempt
  is answered 429 with a clear message before any password hash is computed;
- file uploads are refused before a byte is read: no mentorkit feature takes files in the
  chat (Chainlit would read a whole upload into memory, then write it into the checkout).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlparse

from companion.chat.signin import SignInLimiter

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Where Chainlit checks the session: its API and its websocket (not the page and assets,
# which the sign-in page itself needs).
_SESSION_PATHS = ("/project/", "/user", "/ws/")
_OPEN_PATHS = ("/project/translations",)
UPLOADS = "/project/file"
NOT_SIGNED_ON = json.dumps(
    {"detail": "Not signed in by your organisation's sign-on: use your username and password."}
).encode()
WRONG_PASSWORD = json.dumps(
    {"detail": "Wrong username or password. Ask your coordinator if you have forgotten it."}
).encode()


class RequestGuard:
    def __init__(
        self,
        app: ASGIApp,
        origins: list[str],
        limiter: SignInLimiter,
        session_valid: Callable[[str], bool],
        cookie_name: str = "access_token",
    ) -> None:
        self.app = app
        self.origins = {o.rstrip("/").lower() for o in origins}
        self.hosts = {urlparse(o).netloc for o in self.origins}
        self.limiter = limiter
        self.session_valid = session_valid
        self.cookie_name = cookie_name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self.foreign(headers)
        if refusal:
            return await _deny(scope, send, 403, refusal)
        path = scope["path"]
        if path.rstrip("/") == UPLOADS:
            return await _deny(scope, send, 403, "File uploads are off in mentorkit.")
        token = self.token(headers)
        if (
            token
            and path.startswith(_SESSION_PATHS)
            and not path.startswith(_OPEN_PATHS)
            and not await asyncio.to_thread(self.session_valid, token)
        ):
            gone = f"{self.cookie_name}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"
            return await _deny(
                scope, send, 401, "Your session has ended: please sign in again.", gone
            )
        if scope["type"] == "http" and scope["method"] == "POST" and path.rstrip("/") == "/login":
            return await self.login(scope, receive, send)
        if scope["type"] == "http" and path.rstrip("/") == "/auth/header":
            return await self.app(scope, receive, _worded_401(send, NOT_SIGNED_ON, []))
        await self.app(scope, receive, send)

    def foreign(self, headers: dict[str, str]) -> str | None:
        """Why a request comes from another site, or None."""
        host = headers.get("host", "").lower()
        if self.hosts and host not in self.hosts:
            return f"this server does not answer for host {host!r}"
        origin = headers.get("origin")
        if origin is None:
            return None  # not a cross-site request by a browser
        allowed = self.origins or {f"http://{host}", f"https://{host}"}
        if origin.rstrip("/").lower() not in allowed:
            return f"requests from {origin!r} are not allowed"
        return None

    def token(self, headers: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 (a malformed cookie header: no token)
            return None
        values = {k: m.value for k, m in cookies.items()}
        if self.cookie_name in values:
            return values[self.cookie_name]
        chunks: list[str] = []  # Chainlit splits a long token over access_token_0, _1, ...
        while f"{self.cookie_name}_{len(chunks)}" in values:
            chunks.append(values[f"{self.cookie_name}_{len(chunks)}"])
        return "".join(chunks) or None

    async def login(self, scope: Scope, receive: Receive, send: Send) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > 64 * 1024:
                return await _deny(scope, send, 413, "The sign-in form is too large.")
        username = await _form_field(scope, body, "username")
        address = (scope.get("client") or ("unknown",))[0]
        lockout = self.limiter.locked(username, address)
        if lockout:
            return await _deny(scope, send, 429, lockout.message)
        status: list[int] = []

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, _worded_401(send, WRONG_PASSWORD, status))
        if status and status[0] == 401:
            self.limiter.failed(username, address)
        elif status and status[0] < 400:
            self.limiter.succeeded(username)


def _worded_401(send: Send, body: bytes, status: list[int]) -> Send:
    """`send`, with a 401's body replaced by `body`: people read words, not Chainlit's code
    'credentialssignin'. The status codes sent are appended to `status`."""

    async def worded(message: Message) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])
            if message["status"] == 401:
                headers = [(k, v) for k, v in message["headers"] if k != b"content-length"]
                length = str(len(body)).encode()
                message = {**message, "headers": [*headers, (b"content-length", length)]}
        elif status and status[0] == 401:
            if message.get("more_body"):
                return
            message = {"type": "http.response.body", "body": body}
        await send(message)

    return worded


async def _form_field(scope: Scope, body: bytes, name: str) -> str:
    """A field of the sign-in form, urlencoded or multipart (the browser sends FormData)."""
    from starlette.requests import Request

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        value = (await Request(scope, once).form()).get(name)
    except Exception:  # noqa: BLE001 (a malformed form: Chainlit answers it)
        return ""
    return value if isinstance(value, str) else ""


async def _deny(
    scope: Scope, send: Send, status: int, detail: str, set_cookie: str | None = None
) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if set_cookie:
        headers.append((b"set-cookie", set_cookie.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
