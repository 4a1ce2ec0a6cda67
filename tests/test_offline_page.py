from __future__ import annotations

import gzip
from pathlib import Path

import chainlit

from companion.chat.offline import strip_encoded, strip_external_assets

PAGE = (Path(chainlit.__file__).parent / "frontend" / "dist" / "index.html").read_bytes()


def test_chainlits_page_loses_its_cdn_links_and_keeps_its_own() -> None:
    assert b"fonts.googleapis.com" in PAGE  # what we strip is really there
    stripped = strip_external_assets(PAGE)
    for host in (b"fonts.googleapis.com", b"fonts.gstatic.com", b"cdn.jsdelivr.net"):
        assert host not in stripped
    assert b'href="/assets/' in stripped and b"<script" in stripped


def test_a_gzipped_page_is_stripped_too() -> None:
    assert b"fonts.googleapis.com" not in strip_encoded(gzip.compress(PAGE), "gzip")


def test_a_browser_gone_before_the_answer_is_no_server_error() -> None:
    import asyncio

    import pytest

    from companion.chat.offline import downstream

    class Request:
        def __init__(self, gone: bool) -> None:
            self.gone = gone

        async def is_disconnected(self) -> bool:
            return self.gone

    async def nothing_sent(request: Request) -> None:
        raise RuntimeError("No response returned.")

    response = asyncio.run(downstream(Request(gone=True), nothing_sent))
    assert response.status_code == 499
    with pytest.raises(RuntimeError):  # still connected: a real fault, raised as before
        asyncio.run(downstream(Request(gone=False), nothing_sent))
