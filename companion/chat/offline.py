"""Keeping the chat page whole with no internet: Chainlit's page links web fonts and a
KaTeX stylesheet from CDNs. Render-blocking links to unreachable hosts can stall the page,
so they are removed and the system font stack is used instead (ui/public/offline.css)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

_EXTERNAL = re.compile(
    rb"<link\b[^>]*\bhref=\"https://(?:fonts\.googleapis\.com|fonts\.gstatic\.com|"
    rb"cdn\.jsdelivr\.net)[^\"]*\"[^>]*>\s*",
    re.I,
)


def strip_external_assets(html: bytes) -> bytes:
    """The page without links to font and stylesheet CDNs."""
    return _EXTERNAL.sub(b"", html)


def strip_encoded(body: bytes, encoding: str | None) -> bytes:
    """The same for a response body that may be gzip-compressed; returns it uncompressed."""
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    return strip_external_assets(body)


async def downstream(request: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
    """call_next, except that a browser gone before the answer is not a server error:
    Starlette then raises "No response returned." (it would log a traceback each time)."""
    try:
        return await call_next(request)
    except RuntimeError as error:
        if str(error) == "No response returned." and await request.is_disconnected():
            from starlette.responses import Response

            return Response(status_code=499)  # client closed the request
        raise
