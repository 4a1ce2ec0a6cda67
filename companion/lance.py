"""Small LanceDB helpers shared by every table mentorkit keeps beside the people.

Each write is one Lance commit. A table is created by its first write.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa


def open_table(db: Any, name: str) -> Any | None:
    """The table, or None while it does not exist yet."""
    if name not in db.list_tables().tables:
        return None
    return db.open_table(name)


def append_rows(db: Any, name: str, rows: pa.Table) -> None:
    """Add rows in one commit, creating the table on first use."""
    table = open_table(db, name)
    if table is None:
        db.create_table(name, data=rows, schema=rows.schema)
    else:
        table.add(rows)


def upsert_rows(db: Any, name: str, key: str, rows: pa.Table) -> None:
    """Insert or replace rows by `key` in one commit, creating the table on first use."""
    table = open_table(db, name)
    if table is None:
        db.create_table(name, data=rows, schema=rows.schema)
    else:
        table.merge_insert(key).when_matched_update_all().when_not_matched_insert_all().execute(
            rows
        )


def sql_quote(value: str) -> str:
    """A string literal for a LanceDB filter, quotes doubled."""
    return "'" + value.replace("'", "''") + "'"
