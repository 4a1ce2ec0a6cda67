"""Reading people files: CSV, JSON and JSONL, each row with the line it started on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from companion.files import write_atomic
from companion.imports.problems import ImportFailed, Problem
from companion.models import LIST_FIELDS, Person

Format = Literal["csv", "json", "jsonl"]
COLUMNS = tuple(Person.model_fields)
_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class Row:
    """One record of an import file and the line it starts on."""

    line: int
    data: dict[str, Any]


def detect_format(path: Path, fmt: str | None = None) -> Format:
    if fmt is not None:
        if fmt not in ("csv", "json", "jsonl"):
            raise ImportFailed([Problem(path.name, None, None, f"unknown format {fmt!r}")])
        return fmt  # type: ignore[return-value]
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise ImportFailed(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    "cannot tell the format: name the file .csv, .json or .jsonl, or pass --format",
                )
            ]
        ) from None


def read_text(path: Path) -> str:
    """The file as text: it must exist, be UTF-8 and hold something."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed([Problem(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise ImportFailed([Problem(name, None, None, "is a folder, not a file")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        byte = raw[err.start : err.start + 1].hex()
        raise ImportFailed(
            [Problem(name, line, None, f"not UTF-8 (byte 0x{byte}); save the file as UTF-8")]
        ) from None
    if not text.strip():
        raise ImportFailed([Problem(name, None, None, "the file is empty")])
    return text


def read_rows(path: Path, fmt: str | None = None, separator: str = ";") -> list[Row]:
    """Every record in the file, or ImportFailed naming what makes the file unreadable."""
    kind = detect_format(path, fmt)
    text = read_text(path)
    reader = {"csv": _csv_rows, "json": _json_rows, "jsonl": _jsonl_rows}[kind]
    rows = reader(text, path.name, separator)
    if not rows:
        raise ImportFailed([Problem(path.name, None, None, "the file holds no people")])
    return rows


def _csv_rows(text: str, name: str, separator: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    _check_header(header, name)
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise ImportFailed([Problem(name, start, None, f"unreadable CSV: {err}")]) from None
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            rows.append(Row(start, {"__cells__": (len(cells), len(header))}))
            continue
        data: dict[str, Any] = {}
        for column, cell in zip(header, cells, strict=True):
            cell = cell.strip()
            if column in LIST_FIELDS:
                data[column] = [p.strip() for p in cell.split(separator) if p.strip()]
            elif cell:
                data[column] = cell
        rows.append(Row(start, data))
    return rows


def _check_header(header: list[str], name: str) -> None:
    problems = []
    seen: set[str] = set()
    for column in header:
        if column not in COLUMNS:
            problems.append(
                Problem(name, 1, column, f"unknown column; expected some of: {', '.join(COLUMNS)}")
            )
        elif column in seen:
            problems.append(Problem(name, 1, column, "column appears twice"))
        seen.add(column)
    for column in ("id", "name", "email", "role", "seniority"):
        if column not in seen:
            problems.append(Problem(name, 1, column, "required column is missing"))
    if problems:
        raise ImportFailed(problems)


def _json_rows(text: str, name: str, separator: str) -> list[Row]:
    """A JSON array of objects, each with the line its object starts on."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise ImportFailed(
            [Problem(name, _line(text, pos), None, "expected a JSON array of people")]
        )
    pos = _skip_space(text, pos + 1)
    rows: list[Row] = []
    if pos < len(text) and text[pos] == "]":
        return rows
    while True:
        line = _line(text, pos)
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ImportFailed(
                [Problem(name, err.lineno, None, f"invalid JSON: {err.msg}")]
            ) from None
        rows.append(_object_row(item, line, name))
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]" and not text[pos + 1 :].strip():
            return rows
        raise ImportFailed(
            [Problem(name, _line(text, pos), None, "invalid JSON: expected ',' or ']'")]
        )


def _jsonl_rows(text: str, name: str, separator: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise ImportFailed([Problem(name, number, None, f"invalid JSON: {err.msg}")]) from None
        rows.append(_object_row(item, number, name))
    return rows


def _object_row(item: Any, line: int, name: str) -> Row:
    if not isinstance(item, dict):
        raise ImportFailed([Problem(name, line, None, "each person must be a JSON object")])
    return Row(line, item)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def write_people_csv(people: Iterable[Person], path: Path, separator: str = ";") -> None:
    """Write people as an import CSV, atomically: a reader sees the old file or the new one."""

    def write(f: IO[str]) -> None:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for person in people:
            row = person.model_dump(mode="json")
            for column in LIST_FIELDS:
                row[column] = separator.join(row[column])
            writer.writerow({k: "" if v is None else v for k, v in row.items()})

    write_atomic(path, write)
