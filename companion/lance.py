"""Small LanceDB helpers shared by every table mentorkit keeps beside the people.

Each write is one Lance commit. A table is created by its first write, under a lock file,
so that the first-ever writes of several processes create it once. A folder left by a
first write that never committed (no manifest in `_versions`) counts as no table: it is
cleared and the table created anew, instead of failing every later command.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa


def _folder(db: Any, name: str) -> Path:
    return Path(db.uri) / f"{name}.lance"


def _never_committed(db: Any, name: str) -> bool:
    return not any((_folder(db, name) / "_versions").glob("*.manifest"))


def open_table(db: Any, name: str) -> Any | None:
    """The table, or None while it does not exist yet (or its first write never committed)."""
    if name not in db.list_tables().tables:
        return None
    try:
        return db.open_table(name)
    except ValueError:
        if _never_committed(db, name):
            return None
        raise


@contextmanager
def _creating(db: Any, name: str) -> Iterator[None]:
    """Exclusive across threads and processes while `name` may be created."""
    with open(Path(db.uri) / f".{name}.create.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


table_lock = _creating  # for a writer whose commit must not interleave with another's


def _create(db: Any, name: str, rows: pa.Table) -> None:
    """Create `name` with `rows` (called under `_creating`), clearing a never-committed folder."""
    if _folder(db, name).exists() and _never_committed(db, name):
        shutil.rmtree(_folder(db, name))
    db.create_table(name, data=rows, schema=rows.schema)


def open_or_create(db: Any, name: str, schema: pa.Schema) -> Any:
    """The table, created empty with `schema` if it does not exist yet."""
    table = open_table(db, name)
    if table is not None:
        return table
    with _creating(db, name):
        table = open_table(db, name)
        if table is None:
            _create(db, name, schema.empty_table())
            table = db.open_table(name)
    return table


def _existing_or_created(db: Any, name: str, rows: pa.Table) -> Any | None:
    """The table if it exists; else None, after creating it holding `rows` (one commit)."""
    table = open_table(db, name)
    if table is None:
        with _creating(db, name):
            table = open_table(db, name)
            if table is None:
                _create(db, name, rows)
    return table


def append_rows(db: Any, name: str, rows: pa.Table) -> None:
    """Add rows in one commit, creating the table on first use."""
    table = _existing_or_created(db, name, rows)
    if table is not None:
        table.add(rows)


def upsert_rows(db: Any, name: str, key: str, rows: pa.Table) -> None:
    """Insert or replace rows by `key` in one commit, creating the table on first use."""
    table = _existing_or_created(db, name, rows)
    if table is not None:
        merge = table.merge_insert(key).when_matched_update_all().when_not_matched_insert_all()
        merge.execute(rows)


def replace_rows(db: Any, name: str, rows: pa.Table) -> None:
    """Replace the whole table by `rows` in one commit (older versions stay in its history)."""
    with _creating(db, name):
        if open_table(db, name) is None:
            return _create(db, name, rows)
        db.create_table(name, data=rows, schema=rows.schema, mode="overwrite")


def sql_quote(value: str) -> str:
    """A string literal for a LanceDB filter, quotes doubled."""
    return "'" + value.replace("'", "''") + "'"
