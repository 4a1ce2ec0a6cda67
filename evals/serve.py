"""`mentorkit serve` on a free loopback port, once it answers: for the load script and the
browser tests alike."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


class AppDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(
    env: dict[str, str], log: Path | None = None, wait_s: float = 180
) -> tuple[subprocess.Popen, str]:
    """Start the app with `env`, its output appended to `log`; (process, url) once it answers."""
    port = free_port()
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the server owns it)
    process = subprocess.Popen(
        [sys.executable, "-m", "companion.cli", "serve", "--port", str(port)],
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + wait_s
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(1)
    process.kill()
    raise AppDidNotStart(
        f"the app did not start within {wait_s:.0f} s" + (f"; see {log}" if log else "")
    )


def socket_auth(profile: str) -> dict[str, object]:
    """What the web app sends when it opens its websocket, with a chosen chat profile."""
    import uuid

    return {
        "clientType": "webapp",
        "sessionId": str(uuid.uuid4()),
        "threadId": None,
        "userEnv": "{}",
        "chatProfile": profile,
    }
