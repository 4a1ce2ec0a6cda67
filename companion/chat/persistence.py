"""Chat threads persisted with Chainlit's SQLAlchemy data layer: SQLite in the data dir by
default, PostgreSQL when DATABASE_URL says so. Chainlit creates no tables: we do.

Confidential text never reaches the thread store: every data layer we build redacts, before
anything is written, each step that is a note (sent with the `note` command), that we
marked confidential (a summary, the local model's draft, a pair's history with its
check-in comments), or that answers a question asked in confidence (a check-in comment),
keeping a placeholder. Thread
names are never taken from what people type (Chainlit would name a thread after its first
message, which may be a note). The SQLite file is 0600, and a failed write is logged
without its parameter values.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

CONFIDENTIAL_COMMANDS = frozenset({"note"})
CONFIDENTIAL_METADATA = "confidential"
REDACTED = (
    "🔒 Confidential: shown when you asked, never kept in the chat history (notes stay "
    "encrypted with the pair; check-in comments go to the coordinator only). Ask again to "
    "read it."
)
# Threads whose next message from the person is confidential (a check-in comment the
# companion just asked for), and the steps redacted for it (their later updates too).
_AWAITING: set[str] = set()
_REDACTED_STEPS: set[str] = set()


def expect_confidential(thread_id: str | None, expecting: bool) -> None:
    """Whether the person's next message in `thread_id` is to be kept out of the store."""
    if thread_id is None:
        return
    if expecting:
        _AWAITING.add(thread_id)
    else:
        _AWAITING.discard(thread_id)


def _awaited(step: dict) -> dict:
    """A person's message the companion asked for in confidence, marked confidential."""
    awaited = step.get("type") == "user_message" and step.get("threadId") in _AWAITING
    if awaited or step.get("id") in _REDACTED_STEPS:
        _REDACTED_STEPS.add(step.get("id", ""))
        metadata = {**(step.get("metadata") or {}), CONFIDENTIAL_METADATA: True}
        return {**step, "metadata": metadata}
    return step


_TEXT_FIELDS = ("input", "output")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    "id" TEXT PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE, "metadata" TEXT NOT NULL,
    "createdAt" TEXT);
CREATE TABLE IF NOT EXISTS threads (
    "id" TEXT PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" TEXT,
    "userIdentifier" TEXT, "tags" TEXT, "metadata" TEXT,
    FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS steps (
    "id" TEXT PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
    "threadId" TEXT NOT NULL, "parentId" TEXT, "streaming" BOOLEAN NOT NULL,
    "waitForAnswer" BOOLEAN, "isError" BOOLEAN, "metadata" TEXT, "tags" TEXT, "input" TEXT,
    "output" TEXT, "createdAt" TEXT, "command" TEXT, "start" TEXT, "end" TEXT,
    "generation" TEXT, "showInput" TEXT, "language" TEXT, "indent" INT,
    "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN, "icon" TEXT, "modes" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS elements (
    "id" TEXT PRIMARY KEY, "threadId" TEXT, "type" TEXT, "url" TEXT, "chainlitKey" TEXT,
    "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT, "size" TEXT, "page" INT,
    "language" TEXT, "forId" TEXT, "mime" TEXT, "props" TEXT, "autoPlay" BOOLEAN,
    "playerConfig" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
CREATE TABLE IF NOT EXISTS feedbacks (
    "id" TEXT PRIMARY KEY, "forId" TEXT NOT NULL, "threadId" TEXT NOT NULL,
    "value" INT NOT NULL, "comment" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE);
"""


# Columns added to `steps` since the first schema, for stores made by older versions.
_ADDED_STEP_COLUMNS = {"autoCollapse": "BOOLEAN", "icon": "TEXT"}


def create_sqlite_schema(path: Path) -> str:
    """Create the tables (idempotent), private to the owner, and return the async URL."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        have = {row[1] for row in db.execute('PRAGMA table_info("steps")')}
        for column, kind in _ADDED_STEP_COLUMNS.items():
            if column not in have:
                db.execute(f'ALTER TABLE steps ADD COLUMN "{column}" {kind}')
        db.execute("PRAGMA secure_delete = ON")
    for file in path.parent.glob(path.name + "*"):  # the database, its journal and WAL
        file.chmod(0o600)
    return f"sqlite+aiosqlite:///{path}"


def is_confidential(step: dict) -> bool:
    return step.get("command") in CONFIDENTIAL_COMMANDS or bool(
        (step.get("metadata") or {}).get(CONFIDENTIAL_METADATA)
    )


def redacted(step: dict) -> dict:
    """The step as it may be stored: a confidential one keeps only a placeholder, and a run
    step (Chainlit's `on_message` wrapper, ours) never keeps its input: it repeats the
    message that started it, which may be a note."""
    if step.get("type") == "run" and step.get("input"):
        step = {**step, "input": ""}
    if not is_confidential(step):
        return step
    safe = {**step, "generation": None}
    for name in _TEXT_FIELDS:
        if safe.get(name):
            safe[name] = REDACTED
    return safe


def thread_name(profile: str | None, now: dt.datetime | None = None) -> str:
    """What a thread is called: its profile and when it started, never what was typed."""
    now = now or dt.datetime.now()
    return f"{profile or 'mentorkit'} · {now:%d %b, %H:%M}"


def redacting(layer_class: type) -> type:
    """A subclass of a Chainlit data layer that never stores confidential text."""

    class Redacting(layer_class):  # type: ignore[valid-type, misc]
        _users = None  # an asyncio.Lock, made in the server's loop on first use

        async def create_user(self, user: Any) -> Any:
            """One at a time: fifty first sign-ins of one user would otherwise race to
            insert the same row (Chainlit reads, then inserts)."""
            if self._users is None:
                self._users = asyncio.Lock()
            async with self._users:
                return await super().create_user(user)

        async def create_step(self, step_dict: dict) -> Any:
            return await super().create_step(redacted(_awaited(step_dict)))

        async def update_step(self, step_dict: dict) -> Any:
            return await super().update_step(redacted(_awaited(step_dict)))

        async def update_thread(self, thread_id: str, name: str | None = None, **rest: Any) -> Any:
            if name is not None:
                from chainlit.context import context

                try:
                    profile = context.session.chat_profile
                except Exception:  # noqa: BLE001 (no session: a rename from the thread list)
                    profile = None
                name = thread_name(profile)
            return await super().update_thread(thread_id, name=name, **rest)

    Redacting.__name__ = f"Redacting{layer_class.__name__}"
    return Redacting


def sqlite_data_layer(path: Path, elements: Any) -> Any:
    """Chainlit's SQLAlchemy layer on SQLite, redacting, with list parameters stored as JSON
    text (the layer passes thread tags as a Python list, which SQLite cannot bind), and the
    elements (plots) kept by `elements`, a storage client."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.orm import sessionmaker

    class SQLiteDataLayer(redacting(SQLAlchemyDataLayer)):  # type: ignore[misc]
        def __init__(self, conninfo: str) -> None:
            super().__init__(conninfo=conninfo, storage_provider=elements)
            # A failed statement is logged by the layer; never with the values it carried.
            self.engine = create_async_engine(conninfo, hide_parameters=True)
            self.async_session = sessionmaker(  # type: ignore[call-overload]
                bind=self.engine, expire_on_commit=False, class_=AsyncSession
            )

        async def execute_sql(self, query: str, parameters: dict) -> Any:
            fixed = {
                k: json.dumps(v) if isinstance(v, (list, dict)) else v
                for k, v in parameters.items()
            }
            return await super().execute_sql(query, fixed)

    return SQLiteDataLayer(conninfo=create_sqlite_schema(path))


def postgres_data_layer(database_url: str, elements: Any) -> Any:
    """Chainlit's own PostgreSQL layer, redacting like the SQLite one."""
    from chainlit.data.chainlit_data_layer import ChainlitDataLayer

    return redacting(ChainlitDataLayer)(database_url=database_url, storage_client=elements)
