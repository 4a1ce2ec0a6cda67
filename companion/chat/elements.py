"""Chat elements (the dashboard's plots) kept on this machine so that a reopened thread shows
them again, after a restart too.

Chainlit's data layers persist an element only through a storage client (S3, GCS, Azure...);
this one keeps each element as a private file under the data dir and hands the browser a URL
on our own server. The URL is served only to the user whose thread holds the element (the
object key starts with that user's id), checked where the file is read.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from chainlit.data.storage_clients.base import BaseStorageClient
from starlette.requests import Request
from starlette.responses import Response

from companion.files import write_atomic

ROUTE = "/mentorkit/elements/"
_SEGMENT = re.compile(r"[^A-Za-z0-9._-]")


def session_files(data_dir: Path) -> Path:
    """The folder for Chainlit's per-session copies of elements: under the data dir, owner
    only, emptied (a stopped server's sessions are gone)."""
    folder = data_dir / "ui" / "session-files"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, mode=0o700)
    return folder


class NotFound(LookupError):
    pass


def _folder(root: Path, object_key: str) -> Path:
    """Where a key's files live: each segment made safe, so a key never leaves `root`."""
    parts = [_SEGMENT.sub("_", p)[:80] for p in object_key.split("/") if p not in ("", ".", "..")]
    if not parts:
        raise NotFound(object_key)
    return root.joinpath(*parts)


class LocalElements(BaseStorageClient):
    """Element files under `root`: `<key>/content` and `<key>/mime`, owner-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True, mode=0o700)

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        folder = _folder(self.root, object_key)
        if folder.exists() and not overwrite:
            return {}
        content = data.encode() if isinstance(data, str) else data
        write_atomic(folder / "content", lambda f: f.write(content), binary=True)
        write_atomic(folder / "mime", lambda f: f.write(mime))
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        folder = _folder(self.root, object_key)
        for name in ("content", "mime"):
            (folder / name).unlink(missing_ok=True)
        return True

    async def get_read_url(self, object_key: str) -> str:
        return ROUTE + quote(object_key)

    async def close(self) -> None:
        return None

    async def respond(self, request: Request) -> Response:
        """The file behind a URL on ROUTE, for the signed-in owner of its thread only."""
        from chainlit.auth import authenticate_user, get_token_from_cookies
        from fastapi import HTTPException

        token = get_token_from_cookies(dict(request.cookies))
        try:
            user = await authenticate_user(token) if token else None
        except HTTPException:
            user = None
        if user is None:
            return Response("Sign in to see this.", status_code=401)
        object_key = unquote(request.url.path.removeprefix(ROUTE))
        try:
            if not await _owns(object_key, user):
                raise NotFound(object_key)
            folder = _folder(self.root, object_key)
            content, mime = (folder / "content").read_bytes(), (folder / "mime").read_text()
        except (NotFound, OSError, ValueError):
            return Response("Not found.", status_code=404)
        return Response(content, media_type=mime, headers={"Cache-Control": "private"})


async def _owns(object_key: str, user: Any) -> bool:
    """Whether `user` wrote the thread an element belongs to. Chainlit's own layer keys an
    element `threads/<thread id>/files/<id>`; for SQLAlchemy's (whose keys start with a
    user id that is "unknown" when the element is saved before its thread), the thread is
    the one its row names."""
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    if layer is None:
        return False
    first, _, rest = object_key.partition("/")
    thread_id: str | None
    if first == "threads":
        thread_id = rest.split("/", 1)[0]
    else:
        rows = await layer.execute_sql(
            'SELECT "threadId" FROM elements WHERE "objectKey" = :key', {"key": object_key}
        )
        thread_id = rows[0]["threadId"] if isinstance(rows, list) and rows else None
    return bool(thread_id) and await layer.get_thread_author(thread_id) == user.identifier
