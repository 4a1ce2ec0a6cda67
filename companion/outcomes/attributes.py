"""Attributes a coordinator holds about people for the fairness audit only (for example a
demographic field): a file of person_id plus any columns.

They are kept in their own table, apart from the profiles: matching never reads them, the
encoder never sees them, no model is sent them, and only a coordinator may read them (the
check is here, where they are read). A file with any bad row is refused whole.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lancedb
import pyarrow as pa

from companion.imports.formats import Row, TooManyDigits, file_name, read_rows
from companion.imports.problems import ImportFailed, Problem
from companion.lance import open_table, upsert_rows
from companion.lookup import did_you_mean
from companion.models import Person, Profile, Viewer
from companion.plain_text import printable, refusal
from companion.settings import ImportSettings

ATTRIBUTES = "attributes"
KEY = "person_id"
MAX_COLUMNS = 50
MAX_VALUE = 200
COLUMN = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Grouping by these reads the profile; an attribute of the same name would be ambiguous.
PROFILE_GROUPS = ("department", "location", "seniority", "track", "team", "role", "title")


class NotAllowed(PermissionError):
    """Someone other than a coordinator asked for coordinator-only data."""


@dataclass
class AttributeReport:
    file: str
    rows: int
    columns: list[str]
    people: list[str] = field(default_factory=list)


def _check_header(header: list[str], name: str) -> None:
    problems = []
    if KEY not in header:
        problems.append(Problem(name, 1, KEY, "required column is missing"))
    for column in header:
        if column == KEY:
            continue
        if not COLUMN.fullmatch(column):
            why = "a column name is lower-case letters, digits and '_', starting with a letter"
            problems.append(Problem(name, 1, column, why))
        elif column in Person.model_fields or column in PROFILE_GROUPS:
            problems.append(Problem(name, 1, column, "is a profile field; rename the column"))
    if len(header) != len(set(header)):
        problems.append(Problem(name, 1, None, "a column appears twice"))
    if len(header) > MAX_COLUMNS + 1:
        problems.append(Problem(name, 1, None, f"{len(header) - 1} columns; at most {MAX_COLUMNS}"))
    if problems:
        raise ImportFailed(problems)


def _value(value: Any) -> tuple[str | None, str | None]:
    """The cell as text, or why it is refused."""
    if isinstance(value, bool) or value is None:
        return (None, None) if value is None else (str(value).lower(), None)
    if isinstance(value, TooManyDigits):
        return None, f"a number of {value.digits} digits is not an attribute value"
    if isinstance(value, float) and not math.isfinite(value):
        return None, "not a finite number"
    if isinstance(value, int | float):
        return str(value), None
    if not isinstance(value, str):
        return None, "a list or object is not an attribute value; give one text or number"
    text = value.strip()
    if len(text) > MAX_VALUE:
        return None, f"{len(text)} characters; at most {MAX_VALUE}"
    return (text or None), refusal(text)


def _validate(
    rows: list[Row], name: str, people: dict[str, Person]
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    found: dict[str, dict[str, str]] = {}
    first_line: dict[str, int] = {}
    problems = [Problem(name, r.line, f, m) for r in rows for f, m in r.refusals]
    for row in rows:
        pid = row.data.get(KEY)
        if not isinstance(pid, str) or not pid.strip():
            problems.append(Problem(name, row.line, KEY, "missing"))
            continue
        pid = pid.strip()
        if pid not in people:
            hint = did_you_mean(pid, people.values())
            problems.append(Problem(name, row.line, KEY, f"no person with id {pid!r}{hint}"))
        elif pid in first_line:
            problems.append(
                Problem(name, row.line, KEY, f"{pid!r} is also on line {first_line[pid]}")
            )
        first_line.setdefault(pid, row.line)
        values = {}
        for column, raw in row.data.items():
            if column == KEY:
                continue
            if not isinstance(column, str) or not COLUMN.fullmatch(column):
                problems.append(Problem(name, row.line, str(column), "not a valid column name"))
                continue
            text, why = _value(raw)
            if why:
                problems.append(Problem(name, row.line, column, why))
            elif text is not None:
                values[column] = text
        found[pid] = values
    return found, problems


class Attributes:
    """The coordinator-held attributes of one data dir."""

    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(store_dir))

    def import_file(
        self,
        path: Path,
        people: list[Person],
        settings: ImportSettings | None = None,
        fmt: str | None = None,
    ) -> AttributeReport:
        """Validate every row, then write all in one commit (a person's columns given here
        replace theirs; columns not in the file are kept). Any bad row: nothing written."""
        name = file_name(path)
        rows = read_rows(
            path, fmt, settings, check_header=_check_header, list_fields=(), what="rows"
        )
        found, problems = _validate(rows, name, {p.id: p for p in people})
        if problems:
            raise ImportFailed(problems)
        stored = self._all()
        table = [
            {KEY: pid, "data": json.dumps({**stored.get(pid, {}), **values}, sort_keys=True)}
            for pid, values in found.items()
        ]
        schema = pa.schema([(KEY, pa.string()), ("data", pa.string())])
        upsert_rows(self._db, ATTRIBUTES, KEY, pa.Table.from_pylist(table, schema=schema))
        columns = sorted({c for values in found.values() for c in values})
        return AttributeReport(name, len(rows), columns, sorted(found))

    def _all(self) -> dict[str, dict[str, str]]:
        table = open_table(self._db, ATTRIBUTES)
        if table is None:
            return {}
        rows = table.search().limit(None).to_arrow().to_pylist()
        return {r[KEY]: json.loads(r["data"]) for r in rows}

    def read(self, viewer: Viewer) -> dict[str, dict[str, str]]:
        """Person id -> their attributes: a coordinator's read only."""
        if viewer.role != Profile.COORDINATOR:
            raise NotAllowed("attributes are for the programme's coordinators only")
        return self._all()

    def columns(self, viewer: Viewer) -> list[str]:
        return sorted({c for values in self.read(viewer).values() for c in values})

    def column(self, viewer: Viewer, name: str) -> dict[str, str]:
        """Person id -> their value of one attribute (people without it are left out)."""
        known = self.columns(viewer)
        if name not in known:
            have = ", ".join(known) or "none imported yet"
            close = difflib.get_close_matches(name.replace("-", "_").lower(), known, 1, 0.75)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KeyError(f"no attribute {printable(name)!r}{hint} (attributes: {have})")
        return {pid: v[name] for pid, v in self.read(viewer).items() if name in v}
