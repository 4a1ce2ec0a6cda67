"""Hostile rows for evals.fuzz_import: one seeded generator per kind.

Each generator takes a random.Random and the case number and returns a Case: the file's
bytes (or an endless device), and, where it knows them, the (line, field) pairs that a
clear refusal must name. The kinds here hide one to four hostile rows among valid ones;
evals.fuzz_files holds the kinds that spoil a whole file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

from companion.imports.formats import COLUMNS
from companion.models import LIST_FIELDS
from companion.plain_text import BIDI_CONTROLS
from companion.settings import ImportSettings

Where = tuple[int | None, str | None]
TEXT_FIELDS = ("name", "title", "department", "team", "location", "track")
PHRASE_FIELDS = ("languages", "skills_offered", "skills_wanted")
FREE_FIELDS = ("goals", "bio")
CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
ESCAPES = [
    "\x1b]0;pwned\x07",  # set the terminal title
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31mred\x1b[0m",
    "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # a hidden hyperlink
    "\x1bP+q544e\x1b\\",  # a device control string
    "\x9b2J",  # the one-byte C1 CSI
    "\x1b[6n",  # asks the terminal to type its cursor position
]
BAD_IDS = [".", "..", "-", "-rm", "--help", "-x", ".ssh", "../etc", "a/b", "a\\b", "a b"]
BAD_IDS += ["x" * 65, "ïd", "\u0430da", "id;rm", "id\x00", "id\u202e"]
MAGIC_KEYS = ["__cells__", "__class__", "__proto__", "constructor", "__dict__", "__init__"]
MAGIC_KEYS += ["model_config", "", " id", "ID", "Name", "id\x00", "\x1b]0;pwned\x07"]
MAGIC_KEYS += ["\u202eid", "$where", "a" * 10_000, "skills offered"]
NAMES = ["Ada Okafor", "Ben Tran", "Cleo Park", "Dev Rao", "Eun-ji Lee", "Farah Haddad"]


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    data: bytes = b""
    fmt: str | None = None
    settings: ImportSettings | None = None
    device: Path | None = None
    expect: tuple[Where, ...] = ()
    hostile_rows: int = 0

    @property
    def label(self) -> str:
        return self.name if self.device is None else f"{self.name} ({self.device})"


def population() -> list[dict[str, Any]]:
    """The valid people the store holds before every case."""
    roles = ["mentor", "mentee", "both"]
    return [
        {
            "id": f"p{n:02d}",
            "name": f"{NAMES[n % len(NAMES)]} {n}",
            "email": f"p{n:02d}@example.com",
            "role": roles[n % 3],
            "seniority": 1 + n % 5,
            "manager_id": None if n == 1 else "p01",
            "skills_offered": ["python", "sql"],
            "skills_wanted": ["public speaking"],
            "goals": "Lead a team.",
            "bio": "Ten years in data.",
        }
        for n in range(1, 13)
    ]


def valid_row(rng: Random, n: int) -> dict[str, Any]:
    return {
        "id": f"n{n:05d}",
        "name": rng.choice(NAMES),
        "email": f"n{n:05d}@example.org",
        "role": rng.choice(["mentee", "mentor", "both"]),
        "seniority": rng.randint(1, 5),
        "manager_id": rng.choice(["p01", "p02"]),
        "title": "Data Analyst",
        "department": "Finance",
        "team": "Planning",
        "location": "Leeds",
        "track": "leadership",
        "languages": ["English"],
        "skills_offered": ["forecasting"],
        "skills_wanted": ["negotiation", "public speaking"],
        "goals": "Present the budget to the board.",
        "bio": "Eight years in planning.",
        "capacity": rng.randint(0, 3),
    }


# -- serialising rows ----------------------------------------------------------------------


def serialise(rows: list[dict[str, Any]], fmt: str, rng: Random) -> tuple[bytes, list[int]]:
    """The file's bytes and the line each row starts on."""
    if fmt == "csv":
        return csv_rows(rows, rng)
    ascii_only = rng.random() < 0.5
    texts = [json.dumps(row, ensure_ascii=ascii_only) for row in rows]
    if fmt == "jsonl":
        return ("\n".join(texts) + "\n").encode(), list(range(1, len(rows) + 1))
    return ("[\n" + ",\n".join(texts) + "\n]\n").encode(), list(range(2, len(rows) + 2))


def csv_rows(rows: list[dict[str, Any]], rng: Random) -> tuple[bytes, list[int]]:
    columns = list(dict.fromkeys([c for c in COLUMNS if any(c in r for r in rows)]))
    columns += [k for r in rows for k in r if k not in columns]
    out = io.StringIO()
    quoting = rng.choice([csv.QUOTE_ALL, csv.QUOTE_MINIMAL])
    writer = csv.writer(out, quoting=quoting, lineterminator="\r\n")
    writer.writerow(columns)
    lines = []
    for row in rows:
        lines.append(len(re.findall(r"\r\n|\r|\n", out.getvalue())) + 1)
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue().encode(), lines


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return "" if value is None else str(value)


def spoilt_rows(
    kind: str, rng: Random, number: int, spoil: Callable[[Random, dict[str, Any]], str], fmts=None
) -> Case:
    """One to four valid rows, some of them spoilt by `spoil`, which names the field."""
    fmt = rng.choice(fmts or ["csv", "json", "jsonl"])
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(1, 4))]
    spoilt = sorted(rng.sample(range(len(rows)), rng.randint(1, len(rows))))
    fields = {i: spoil(rng, rows[i]) for i in spoilt}
    data, lines = serialise(rows, fmt, rng)
    expect = tuple((lines[i], fields[i]) for i in spoilt)
    return Case(kind, f"{kind}-{number:04d}.{fmt}", data, expect=expect, hostile_rows=len(spoilt))


def _insert(rng: Random, row: dict[str, Any], field: str, bad: str, anywhere: bool) -> None:
    """Put `bad` into `field`: inside the text, or (when `anywhere`) also at its start."""
    value = row[field]
    target = value[0] if isinstance(value, list) else value
    at = rng.randint(0 if anywhere else 1, len(target) - 1)
    spoilt = target[:at] + bad + target[at:]
    row[field] = [spoilt, *value[1:]] if isinstance(value, list) else spoilt


# -- row-level kinds ------------------------------------------------------------------------


def control_characters(rng: Random, number: int) -> Case:
    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice([*TEXT_FIELDS, *PHRASE_FIELDS, *FREE_FIELDS])
        allowed = "\t\n" if field in FREE_FIELDS else ""
        char = rng.choice([c for c in CONTROLS if c not in allowed])
        _insert(rng, row, field, char, anywhere=False)  # the ends are trimmed as whitespace
        return field

    return spoilt_rows("control-characters", rng, number, spoil)


def escape_sequences(rng: Random, number: int) -> Case:
    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice([*TEXT_FIELDS, *PHRASE_FIELDS, *FREE_FIELDS])
        sequence = rng.choice(ESCAPES)
        if field in PHRASE_FIELDS:
            sequence = sequence.replace(";", ":")  # keep the escape within one phrase
        _insert(rng, row, field, sequence, anywhere=True)
        return field

    return spoilt_rows("escape-sequences", rng, number, spoil)


def bidi_controls(rng: Random, number: int) -> Case:
    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice([*TEXT_FIELDS, *PHRASE_FIELDS, *FREE_FIELDS])
        _insert(rng, row, field, rng.choice(BIDI_CONTROLS), anywhere=True)
        return field

    return spoilt_rows("bidi-controls", rng, number, spoil)


def bad_ids(rng: Random, number: int) -> Case:
    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice(["id", "id", "manager_id", "exclude"])
        bad = rng.choice(BAD_IDS)
        row[field] = [bad] if field == "exclude" else bad
        return field

    return spoilt_rows("bad-ids", rng, number, spoil)


def case_duplicate_ids(rng: Random, number: int) -> Case:
    """Two rows of the file, or a row and a stored person, whose ids differ by case."""
    fmt = rng.choice(["csv", "json", "jsonl"])
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(2, 4))]
    first, second = rng.sample(range(len(rows)), 2)
    against_store = rng.random() < 0.4
    original = f"p{rng.randint(1, 12):02d}" if against_store else rows[first]["id"]
    rows[second]["id"] = _other_case(rng, original)
    data, lines = serialise(rows, fmt, rng)
    named = [second] if against_store else [first, second]
    expect = tuple((lines[i], "id") for i in named)
    kind = "case-duplicate-ids"
    return Case(kind, f"{kind}-{number:04d}.{fmt}", data, expect=expect, hostile_rows=len(named))


def _other_case(rng: Random, text: str) -> str:
    while True:
        spelt = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text)
        if spelt != text:
            return spelt


def long_emails(rng: Random, number: int) -> Case:
    def spoil(rng: Random, row: dict[str, Any]) -> str:
        if rng.random() < 0.5:  # the part before the @ over 64
            row["email"] = "a" * rng.randint(65, 400) + "@example.org"
            return "email"
        email = "c" * rng.randint(1, 64) + "@example.org"  # the whole address over 254
        while len(email) <= 254 or rng.random() < 0.3:
            email = email.replace("@", "@" + "b" * rng.randint(1, 63) + ".", 1)
        row["email"] = email
        return "email"

    return spoilt_rows("long-emails", rng, number, spoil)


def huge_integers(rng: Random, number: int) -> Case:
    """Numbers of 21 to 500,000 digits (CSV: under its 131,072-character cell limit)."""
    fmt = rng.choice(["csv", "json", "jsonl"])
    fields = ["seniority", "capacity"] + ([] if fmt == "csv" else ["skills_wanted", "shoe_size"])
    most = 100_000 if fmt == "csv" else 500_000

    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice(fields)
        digits = min(int(21 * 1.4 ** rng.randint(0, 30)), most)
        value = f"@BIG{rng.choice(['', '-'])}{'9' * digits}"
        row[field] = [value] if field == "skills_wanted" else value
        return field

    case = spoilt_rows("huge-integers", rng, number, spoil, [fmt])
    pattern = r"@BIG(-?9+)" if fmt == "csv" else r'"@BIG(-?9+)"'
    text = re.sub(pattern, lambda m: m.group(1), case.data.decode())
    return Case(**{**case.__dict__, "data": text.encode()})


def magic_keys(rng: Random, number: int) -> Case:
    """Unknown keys (JSON) or columns (CSV), or a key given twice in one JSON object."""
    key = rng.choice(MAGIC_KEYS)
    fmt = rng.choice(["csv", "json", "jsonl"])
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(1, 3))]
    value = rng.choice([1, "x", None, [1, 2], {"a": 1}, True])
    kind = "magic-keys"
    if fmt == "csv":
        for row in rows:
            row[key] = "" if value is None else json.dumps(value)
        data, _ = serialise(rows, fmt, rng)
        return Case(kind, f"{kind}-{number:04d}.csv", data, expect=((1, key.strip()),))
    data, lines = serialise(rows, fmt, rng)
    text = data.decode()
    twice = rng.random() < 0.3
    key = rng.choice(["name", "id", "role"]) if twice else key
    first = json.dumps(rows[0], ensure_ascii=False)
    first_ascii = json.dumps(rows[0])
    extra = f", {json.dumps(key)}: {json.dumps(value)}" + "}"
    for form in (first, first_ascii):
        text = text.replace(form, form[:-1] + extra, 1)
    expect = ((lines[0], key),)
    return Case(kind, f"{kind}-{number:04d}.{fmt}", text.encode(), expect=expect, hostile_rows=1)


def overlong_text(rng: Random, number: int) -> Case:
    limits = {"name": 200, "title": 200, "bio": 4000, "goals": 2000, "track": 100, "id": 64}
    limits.update({"skills_offered": 120, "languages": 120})

    def spoil(rng: Random, row: dict[str, Any]) -> str:
        field = rng.choice(sorted(limits))
        text = "x" * rng.randint(limits[field] + 1, 100_000)
        row[field] = [text] if field in LIST_FIELDS else text
        return field

    return spoilt_rows("overlong-text", rng, number, spoil)


def number_tricks(rng: Random, number: int) -> Case:
    json_values = ["NaN", "Infinity", "-Infinity", "1e400", "2.5", "1e3", "0", "6", "-1"]
    json_values += ['"0x10"', '"1_000"', '"\u0663"', "[]", "{}", "null", '""', "false"]
    csv_values = ["NaN", "inf", "1e400", "2.5", "0x10", "1_000", "\u0663", "six", "0", "-1"]

    def spoil(rng: Random, row: dict[str, Any]) -> str:
        row["seniority"] = f"@NUM{rng.randrange(1000)}"
        return "seniority"

    fmt = rng.choice(["csv", "json", "jsonl"])
    case = spoilt_rows("number-tricks", rng, number, spoil, [fmt])
    if fmt == "csv":
        text = re.sub(r"@NUM\d+", lambda m: rng.choice(csv_values), case.data.decode())
    else:
        text = re.sub(r'"@NUM\d+"', lambda m: rng.choice(json_values), case.data.decode())
    return Case(**{**case.__dict__, "data": text.encode()})
