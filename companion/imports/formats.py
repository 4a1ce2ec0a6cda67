"""Reading people files: CSV, JSON and JSONL, each row with the line it started on."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from companion.files import write_atomic
from companion.imports.problems import ImportFailed, Problem
from companion.models import LIST_FIELDS, Person
from companion.settings import ImportSettings

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
    """One record of an import file, the line it starts on, and what reading it found
    wrong (field or None, message): a short CSV row, a JSON key given twice."""

    line: int
    data: dict[str, Any]
    refusals: tuple[tuple[str | None, str], ...] = ()


@dataclass(frozen=True)
class TooManyDigits:
    """A JSON number too long to convert, kept as its length so the row can say so."""

    digits: int


class JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers the keys it was given more than once."""

    repeated: list[str]


def file_name(path: Path) -> str:
    """How problems name the file: its name, or the whole path when it has none ('/')."""
    return path.name or str(path)


def detect_format(path: Path, fmt: str | None = None) -> Format:
    if fmt is not None:
        if fmt not in ("csv", "json", "jsonl"):
            raise ImportFailed([Problem(file_name(path), None, None, f"unknown format {fmt!r}")])
        return fmt  # type: ignore[return-value]
    try:
        return _SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise ImportFailed(
            [
                Problem(
                    file_name(path),
                    None,
                    None,
                    "cannot tell the format: name the file .csv, .json or .jsonl, or pass --format",
                )
            ]
        ) from None


def read_text(path: Path, max_bytes: int = ImportSettings().max_bytes) -> str:
    """The file as text: it must exist, be at most `max_bytes`, be UTF-8 and hold something.

    No more than `max_bytes` + 1 bytes are ever read, so an endless file stops too.
    """
    name = file_name(path)
    raw = _read_bytes(path, name, max_bytes)
    if len(raw) > max_bytes:
        raise ImportFailed(
            [
                Problem(
                    name,
                    None,
                    None,
                    f"larger than the import limit of {max_bytes:,} bytes; split the file, "
                    "or raise the limit with MENTORKIT_IMPORTS__MAX_BYTES",
                )
            ]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw[:4096].count(0) * 8 > len(raw[:4096]):
        line = raw[: max(raw.find(0), 0)].count(b"\n") + 1
        raise ImportFailed(
            [Problem(name, line, None, "looks like UTF-16, UTF-32 or binary; save it as UTF-8")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        at = err.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # the BOM is not decoded
        line = raw[:at].count(b"\n") + 1
        byte = raw[at : at + 1].hex()
        raise ImportFailed(
            [Problem(name, line, None, f"not UTF-8 (byte 0x{byte}); save the file as UTF-8")]
        ) from None
    if not text.strip():
        raise ImportFailed([Problem(name, None, None, "the file is empty")])
    return text


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except FileNotFoundError:
        raise ImportFailed([Problem(name, None, None, "no such file")]) from None
    except IsADirectoryError:
        raise ImportFailed([Problem(name, None, None, "is a folder, not a file")]) from None
    except OSError as err:
        why = err.strerror or type(err).__name__
        raise ImportFailed([Problem(name, None, None, f"cannot be read: {why}")]) from None


def read_rows(
    path: Path,
    fmt: str | None = None,
    settings: ImportSettings | None = None,
    *,
    check_header: Callable[[list[str], str], None] | None = None,
    list_fields: Container[str] = LIST_FIELDS,
    what: str = "people",
) -> list[Row]:
    """Every record in the file, or ImportFailed naming what makes the file unreadable.

    By default the file is a people file; other imports pass their own header check, the
    CSV columns that hold lists, and what the file holds (for "the file holds no ...")."""
    settings = settings or ImportSettings()
    kind = detect_format(path, fmt)
    text = read_text(path, settings.max_bytes)
    name = file_name(path)
    if kind == "csv":
        header_check = check_header or _check_header
        rows = _csv_rows(text, name, settings.list_separator, header_check, list_fields)
    elif kind == "json":
        rows = _json_rows(text, name, settings)
    else:
        rows = _jsonl_rows(text, name, settings)
    if not rows:
        raise ImportFailed([Problem(name, None, None, f"the file holds no {what}")])
    return rows


def _csv_rows(
    text: str,
    name: str,
    separator: str,
    check_header: Callable[[list[str], str], None],
    list_fields: Container[str],
) -> list[Row]:
    # strict: a quote left open (a truncated file) or text after a closing quote is an
    # error on its line, not the rest of the file swallowed into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as err:
        raise ImportFailed([Problem(name, 1, None, f"unreadable CSV: {err}")]) from None
    check_header(header, name)
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
            why = f"{len(cells)} cells, but the header has {len(header)}"
            rows.append(Row(start, {}, ((None, why),)))
            continue
        data: dict[str, Any] = {}
        for column, cell in zip(header, cells, strict=True):
            cell = cell.strip()
            if column in list_fields:
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


def _json_rows(text: str, name: str, settings: ImportSettings) -> list[Row]:
    """A JSON array of objects, each with the line its object starts on."""
    decoder = _decoder(settings.max_digits)
    pos = _skip_space(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise ImportFailed(
            [Problem(name, _line(text, pos), None, "expected a JSON array of people")]
        )
    pos = _skip_space(text, pos + 1)
    rows: list[Row] = []
    if pos < len(text) and text[pos] == "]":
        return rows
    line, counted = 1, 0
    while True:
        line += text.count("\n", counted, pos)  # counted on from the last item, not from 0
        counted = pos
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            raise ImportFailed(
                [Problem(name, err.lineno, None, f"invalid JSON: {err.msg}")]
            ) from None
        except RecursionError:  # past the parser's own limit, ~1,000 levels
            raise _too_deep(name, line, settings.max_depth) from None
        rows.append(_object_row(item, line, name, settings.max_depth, level=2))
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]" and not text[pos + 1 :].strip():
            return rows
        raise ImportFailed(
            [Problem(name, _line(text, pos), None, "invalid JSON: expected ',' or ']'")]
        )


def _jsonl_rows(text: str, name: str, settings: ImportSettings) -> list[Row]:
    """One JSON object a line. Lines end at '\\n' only: U+2028 and friends are text."""
    decoder = _decoder(settings.max_digits)
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = decoder.decode(line)
        except json.JSONDecodeError as err:
            raise ImportFailed([Problem(name, number, None, f"invalid JSON: {err.msg}")]) from None
        except RecursionError:  # past the parser's own limit, ~1,000 levels
            raise _too_deep(name, number, settings.max_depth) from None
        rows.append(_object_row(item, number, name, settings.max_depth, level=1))
    return rows


def _decoder(max_digits: int) -> json.JSONDecoder:
    """A decoder that never converts a number longer than `max_digits` (Python refuses
    over 4,300 digits with a ValueError, and converting is quadratic below that), and
    that notes keys given twice in one object instead of keeping the last silently."""

    def parse_int(digits: str) -> int | TooManyDigits:
        count = len(digits.lstrip("-"))
        return TooManyDigits(count) if count > max_digits else int(digits)

    def object_pairs(pairs: list[tuple[str, Any]]) -> JsonObject:
        obj = JsonObject(pairs)
        obj.repeated = [] if len(obj) == len(pairs) else _repeated(pairs)
        return obj

    return json.JSONDecoder(parse_int=parse_int, object_pairs_hook=object_pairs)


def _repeated(pairs: list[tuple[str, Any]]) -> list[str]:
    seen: set[str] = set()
    twice = []
    for key, _ in pairs:
        if key in seen and key not in twice:
            twice.append(key)
        seen.add(key)
    return twice


_SPACE = re.compile(r"[ \t\r\n]*")


def _too_deep(name: str, line: int, max_depth: int) -> ImportFailed:
    return ImportFailed(
        [
            Problem(
                name,
                line,
                None,
                f"nested deeper than {max_depth} levels of arrays and objects; "
                "a person is an object of plain values and lists",
            )
        ]
    )


def _deeper_than(value: Any, max_depth: int, level: int) -> bool:
    """Whether `value` (an array or object at nesting `level`) nests deeper than `max_depth`."""
    stack = [(value, level)]
    while stack:
        current, at = stack.pop()
        if at > max_depth:
            return True
        children = current.values() if isinstance(current, dict) else current
        stack.extend((c, at + 1) for c in children if isinstance(c, dict | list))
    return False


def _object_row(item: Any, line: int, name: str, max_depth: int, level: int) -> Row:
    """The person at `line`, an object at nesting `level` (2 in an array, 1 on its own)."""
    if not isinstance(item, dict):
        raise ImportFailed([Problem(name, line, None, "each person must be a JSON object")])
    if _deeper_than(item, max_depth, level):
        raise _too_deep(name, line, max_depth)
    repeated = getattr(item, "repeated", [])
    refusals = tuple((key, "key appears more than once in this object") for key in repeated)
    return Row(line, dict(item), refusals)


def _skip_space(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # `*` always matches


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
