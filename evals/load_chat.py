"""Is the chat responsive while a crowd signs in and chats? A bounded load test on loopback.

    python -m evals.load_chat [--crowd 50] [--probes 10] [--out FILE]

It builds a demo organisation in a temporary data dir, adds one account per crowd member
plus a "probe" mentee, and starts `mentorkit serve` on 127.0.0.1 with the embedded
defaults. Then, over HTTP and the app's own websocket (as the browser does):

1. quiet (the baseline, same run): the signed-in probe sends `--probes` commands, one at a
   time, alternating /help and /suggest, and times each reply;
2. busy: `--crowd` people sign in at once (Argon2 on the server), connect, and each sends
   /suggest then /help, while the probe keeps sending commands until the last of them is
   done (at least `--probes` times), pausing `--interval` (1 s) after each reply as a
   person reading it would.

It prints connects, replies, errors and reply-time percentiles for the probe (quiet and
busy, with their ratio) and for the crowd, and writes evals/results/load_chat.json.
Every wait is bounded: a reply that takes longer than --timeout seconds counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from evals.report import markdown_table, write_report
from evals.serve import socket_auth, start_app

PASSWORD = "load-test-password"
MESSAGES = ("help", "suggest")


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


class ChatClient:
    """One person in the browser: signs in over HTTP, then chats over the websocket."""

    def __init__(self, url: str, username: str, timeout: float) -> None:
        self.url, self.username, self.timeout = url, username, timeout
        self.replies: asyncio.Queue[str] = asyncio.Queue()
        self.client: Any = None

    async def sign_in(self) -> float:
        import httpx

        started = time.perf_counter()
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            answer = await http.post(
                f"{self.url}/login", data={"username": self.username, "password": PASSWORD}
            )
        answer.raise_for_status()
        self.cookie = "; ".join(f"{k}={v}" for k, v in answer.cookies.items())
        return time.perf_counter() - started

    async def connect(self) -> float:
        """Connect as the web app does and wait for the welcome message."""
        import socketio

        started = time.perf_counter()
        self.client = socketio.AsyncClient(reconnection=False)

        def on_message(data: dict) -> None:
            if data.get("type") == "assistant_message" and data.get("output"):
                self.replies.put_nowait(data["output"])

        self.client.on("new_message", on_message)
        await self.client.connect(
            self.url,
            socketio_path="/ws/socket.io",
            headers={"Cookie": self.cookie, "Origin": self.url},
            transports=["websocket"],
            auth=socket_auth("Mentee"),
            wait_timeout=self.timeout,
        )
        await self.client.emit("connection_successful")
        await asyncio.wait_for(self.replies.get(), self.timeout)  # the welcome
        return time.perf_counter() - started

    async def ask(self, command: str) -> float:
        """Send `/command` and time its reply."""
        started = time.perf_counter()
        await self.client.emit(
            "client_message",
            {
                "message": {
                    "id": str(uuid.uuid4()),
                    "threadId": "",
                    "output": "please",
                    "name": "user",
                    "type": "user_message",
                    "createdAt": "2026-11-30T00:00:00Z",
                    "command": command,
                },
                "fileReferences": [],
            },
        )
        await asyncio.wait_for(self.replies.get(), self.timeout)
        return time.perf_counter() - started

    async def close(self) -> None:
        if self.client is not None and self.client.connected:
            await self.client.disconnect()


class Tally:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)

    def failed(self, kind: str, err: BaseException) -> None:
        self.errors.append(f"{kind}: {type(err).__name__} {str(err)[:80]}".strip())


async def probe_run(
    probe: ChatClient, count: int, tally: Tally, kind: str, offset: int = 0
) -> None:
    for i in range(offset, offset + count):
        try:
            tally.add(kind, await probe.ask(MESSAGES[i % 2]))
        except Exception as err:  # noqa: BLE001 (an error is a figure here, not a crash)
            tally.failed(kind, err)


async def member(client: ChatClient, tally: Tally, start: asyncio.Event) -> None:
    await start.wait()
    try:
        tally.add("sign-in", await client.sign_in())
        tally.add("connect", await client.connect())
        for command in ("suggest", "help"):
            tally.add("reply", await client.ask(command))
    except Exception as err:  # noqa: BLE001
        tally.failed("crowd", err)
    finally:
        await client.close()


async def run_load(url: str, crowd: int, probes: int, timeout: float, interval: float) -> Tally:
    tally = Tally()
    probe = ChatClient(url, "probe", timeout)
    await probe.sign_in()
    await probe.connect()
    await probe_run(probe, probes, tally, "probe quiet")
    start = asyncio.Event()
    members = [
        asyncio.create_task(member(ChatClient(url, f"load{i:03d}", timeout), tally, start))
        for i in range(crowd)
    ]
    start.set()
    await asyncio.sleep(0.2)  # the crowd's sign-ins are under way
    # The probe keeps asking until the last of the crowd is done (at least `probes` times),
    # so its figures cover the sign-in storm and the crowd's chatting alike.
    sent = 0
    while sent < probes or not all(m.done() for m in members):
        await probe_run(probe, 1, tally, "probe busy", offset=sent)
        sent += 1
        await asyncio.sleep(interval)  # a person reads the reply before the next command
    await asyncio.gather(*members)
    await probe.close()
    return tally


def prepare(data: Path, crowd: int) -> dict[str, str]:
    """A demo organisation and the accounts: one per crowd member, and the probe."""
    from companion.models import Role
    from companion.settings import Settings
    from companion.workspace import Workspace

    env = {**os.environ, "MENTORKIT_DATA_DIR": str(data), "MENTORKIT_PROGRESS": "false"}
    subprocess.run(
        [sys.executable, "-m", "companion.cli", "demo", "--people", "120", "--seed", "7"],
        env=env,
        check=True,
        capture_output=True,
    )
    workspace = Workspace(Settings(data_dir=data))
    mentees = [p.id for p in workspace.store.people() if p.role == Role.MENTEE]
    workspace.accounts.add("probe", PASSWORD, person_id=mentees[0])
    for i in range(crowd):
        workspace.accounts.add(f"load{i:03d}", PASSWORD, person_id=mentees[(i + 1) % len(mentees)])
    return env


def summary(tally: Tally, crowd: int, probes: int) -> dict[str, Any]:
    def stats(kind: str) -> dict[str, Any]:
        values = tally.times.get(kind, [])
        return {
            "count": len(values),
            "p50_s": percentile(values, 50),
            "p95_s": percentile(values, 95),
            "max_s": max(values) if values else None,
        }

    kinds = ("probe quiet", "probe busy", "sign-in", "connect", "reply")
    result: dict[str, Any] = {k: stats(k) for k in kinds}
    quiet, busy = result["probe quiet"]["p50_s"], result["probe busy"]["p50_s"]
    result["busy_over_quiet_p50"] = busy / quiet if quiet and busy else None
    result["crowd"] = crowd
    result["connects"] = f"{len(tally.times.get('connect', []))}/{crowd}"
    result["replies"] = f"{len(tally.times.get('reply', []))}/{crowd * 2}"
    busy_sent = len(tally.times.get("probe busy", [])) + sum(
        e.startswith("probe busy") for e in tally.errors
    )
    result["probe_replies"] = f"{len(tally.times.get('probe busy', []))}/{busy_sent}"
    result["errors"] = tally.errors
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crowd", type=int, default=50)
    parser.add_argument("--probes", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="Seconds the probe waits between commands."
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentorkit-load-") as folder:
        data = Path(folder) / "data"
        print(f"preparing a demo organisation and {args.crowd + 1} accounts...", flush=True)
        env = prepare(data, args.crowd)
        process, url = start_app(env, Path(folder) / "server.log")
        try:
            print(f"serving on {url}; probing quiet, then with {args.crowd} others", flush=True)
            tally = asyncio.run(run_load(url, args.crowd, args.probes, args.timeout, args.interval))
        finally:
            process.terminate()
            process.wait(timeout=30)
    result = summary(tally, args.crowd, args.probes)
    rows = [
        [kind, s["count"], s["p50_s"], s["p95_s"], s["max_s"]]
        for kind, s in result.items()
        if isinstance(s, dict)
    ]
    text = "\n".join(
        [
            f"Chat under load: {args.crowd} people sign in and chat while one signed-in "
            f"person keeps sending commands (/help, /suggest), on {os.cpu_count()} CPUs.",
            "",
            markdown_table(["what", "count", "p50 s", "p95 s", "max s"], rows),
            "",
            f"connects {result['connects']}, crowd replies {result['replies']}, probe replies "
            f"{result['probe_replies']}, errors {len(result['errors'])}; probe p50 busy/quiet "
            f"{result['busy_over_quiet_p50'] or 0:.2f}x",
            *[f"- {e}" for e in result["errors"][:10]],
        ]
    )
    write_report("load_chat", result, text, args.out)


if __name__ == "__main__":
    main()
