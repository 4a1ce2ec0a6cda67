"""Hostile whole files for evals.fuzz_import: nesting, size, garbage, shape, encoding.

Each generator takes a random.Random and the case number and returns a Case (see
evals.fuzz_cases); where it knows them, the (line, field) pairs a refusal must name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from random import Random
from typing import Any

from companion.settings import ImportSettings
from evals.fuzz_cases import Case, Where, csv_rows, serialise, valid_row


def _valid_file(rng: Random, number: int, fmt: str, rows: int = 3) -> tuple[bytes, list[int]]:
    return serialise([valid_row(rng, number * 10 + i) for i in range(rows)], fmt, rng)


def nested_json(rng: Random, number: int) -> Case:
    """Arrays and objects 11 to 200,000 levels deep: the whole file, a field, an extra key."""
    fmt = rng.choice(["json", "jsonl"])
    depth = min(int(11 * 1.5 ** rng.randint(0, 25)), 200_000)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    nest = opener * depth + "1" + closer * depth
    kind = "nested-json"
    if rng.random() < 0.2:
        text = "[" * depth + "]" * depth if fmt == "json" else nest + "\n"
        return Case(kind, f"{kind}-{number:04d}.{fmt}", text.encode(), expect=((1, None),))
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(1, 4))]
    at = rng.randrange(len(rows))
    rows[at][rng.choice(["skills_wanted", "bio", "nested"])] = "@NEST"
    data, lines = serialise(rows, fmt, rng)
    text = data.decode().replace('"@NEST"', nest)
    return Case(kind, f"{kind}-{number:04d}.{fmt}", text.encode(), expect=((lines[at], None),))


def oversized_files(rng: Random, number: int) -> Case:
    """Files past the size limit, and endless devices, which must stop at the limit."""
    limit = rng.randint(1_000, 20_000)
    settings = ImportSettings(max_bytes=limit)
    fmt = rng.choice(["csv", "json", "jsonl"])
    kind = "oversized-files"
    devices = [Path(d) for d in ("/dev/zero", "/dev/urandom") if Path(d).exists()]
    if devices and rng.random() < 0.2:
        device = rng.choice(devices)
        name = device.name
        return Case(kind, name, fmt=fmt, settings=settings, device=device, expect=((None, None),))
    rows = limit // 300 + rng.randint(1, 40)
    data, _ = _valid_file(rng, number, fmt, rows)
    data += b" " * max(0, limit + 1 - len(data))
    name = f"{kind}-{number:04d}.{fmt}"
    return Case(kind, name, data, settings=settings, expect=((None, None),))


def binary_garbage(rng: Random, number: int) -> Case:
    fmt = rng.choice(["csv", "json", "jsonl"])
    garbage = rng.randbytes(rng.randint(1, 5_000))
    if rng.random() < 0.5:  # behind a valid start, so the reader gets further
        garbage = _valid_file(rng, number, fmt, 2)[0] + garbage
    kind = "binary-garbage"
    return Case(kind, f"{kind}-{number:04d}.{fmt}", garbage)


def truncated_files(rng: Random, number: int) -> Case:
    """A valid file cut short inside its last record."""
    fmt = rng.choice(["csv", "json", "jsonl"])
    data, lines = _valid_file(rng, number, fmt, rng.randint(1, 4))
    text = data.decode()
    last = text.rstrip("\r\n").rfind("\n") + 1 if fmt != "json" else 0  # the last record
    if fmt == "csv":
        end = text.rindex(",")  # cut before the last cell: a short row or an open quote
        expect: tuple[Where, ...] = ((lines[-1], None),)
    elif fmt == "jsonl":
        end = text.rindex("}")
        expect = ((lines[-1], None),)
    else:
        end, expect = text.rindex("]"), ()
    cut = rng.randint(last + 1, end)
    kind = "truncated-files"
    return Case(kind, f"{kind}-{number:04d}.{fmt}", text[:cut].encode(), expect=expect)


def wrong_encodings(rng: Random, number: int) -> Case:
    names = {
        "latin-1": "José Núñez",
        "cp1252": "Zoë “Zed” Ödegaard",
        "shift_jis": "山田太郎",
        "koi8-r": "Иван Петров",
        "utf-16": "Ada Okafor",
        "utf-16-le": "Ada Okafor",
        "utf-16-be": "Ada Okafor",
        "utf-32": "Ada Okafor",
        "cp037": "Ada Okafor",  # EBCDIC
    }
    encoding = rng.choice(sorted(names))
    fmt = rng.choice(["csv", "json", "jsonl"])
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(1, 4))]
    rows[-1]["name"] = names[encoding]
    text = _serialise_text(rows, fmt, rng)
    kind = "wrong-encodings"
    return Case(kind, f"{kind}-{number:04d}.{fmt}", text.encode(encoding))


def _serialise_text(rows: list[dict[str, Any]], fmt: str, rng: Random) -> str:
    if fmt == "csv":
        return csv_rows(rows, rng)[0].decode()
    if fmt == "jsonl":
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"
    return json.dumps(rows, ensure_ascii=False)


def empty_files(rng: Random, number: int) -> Case:
    contents = {
        "csv": [b"", b" \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"id,name,email,role\n"],
        "json": [b"", b"[]", b"[ ]\n", b"\xef\xbb\xbf[]", b"{}", b"null", b'""', b"0", b"\n\n"],
        "jsonl": [b"", b"\n\n\n", b"{}\n", b"[]\n", b"null\n", b"\xef\xbb\xbf\n"],
    }
    fmt = rng.choice(sorted(contents))
    kind = "empty-files"
    return Case(kind, f"{kind}-{number:04d}.{fmt}", rng.choice(contents[fmt]))


def wrong_shapes(rng: Random, number: int) -> Case:
    """JSON of the wrong shape: not an array, not objects, fields of the wrong type."""
    fmt = rng.choice(["json", "jsonl"])
    kind = "wrong-shapes"
    name = f"{kind}-{number:04d}.{fmt}"
    if rng.random() < 0.4:
        top = rng.choice(['{"people": []}', "42", '"people"', "null", "true", "[1, 2]", '[["a"]]'])
        return Case(kind, name, (top + "\n").encode())
    field = rng.choice(["name", "email", "role", "seniority", "skills_wanted", "exclude", "bio"])
    wrong = rng.choice([{"a": 1}, [["x"]], 3.5, False, [None], {"$gt": ""}, ["a", {"b": 1}]])
    rows = [valid_row(rng, number * 10 + i) for i in range(rng.randint(1, 3))]
    at = rng.randrange(len(rows))
    rows[at][field] = wrong
    data, lines = serialise(rows, fmt, rng)
    return Case(kind, name, data, expect=((lines[at], field),), hostile_rows=1)


def csv_structure(rng: Random, number: int) -> Case:
    """Ragged rows, stray quotes, and headers with missing, doubled or unknown columns."""
    data, lines = _valid_file(rng, number, "csv", rng.randint(1, 4))
    text = data.decode()
    header, *body = text.split("\r\n")
    at = rng.randrange(len(lines))
    trick = rng.choice(["extra-cell", "missing-cell", "stray-quote", "doubled", "missing", "blank"])
    expect: Where = (lines[at], None)
    if trick == "extra-cell":
        body[at] += ',"surplus"'
    elif trick == "missing-cell":
        body[at] = body[at].rsplit(",", 1)[0]
    elif trick == "stray-quote":  # text after a closing quote: '"n9"x,...'
        body[at] = '"n9"x,' + body[at].split(",", 1)[1]
    elif trick == "doubled":
        header, expect = header + ',"email"', (1, "email")
        body = [row + ",x@example.org" if row else row for row in body]
    elif trick == "missing":
        column = rng.choice(["id", "name", "email", "role", "seniority"])
        cells = next(csv.reader([header]))
        keep = [i for i, c in enumerate(cells) if c != column]
        rows = list(csv.reader(io.StringIO("\r\n".join([header, *body]), newline="")))
        text = "\r\n".join(",".join(_quote(r[i]) for i in keep) for r in rows if r) + "\r\n"
        kind = "csv-structure"
        return Case(kind, f"{kind}-{number:04d}.csv", text.encode(), expect=((1, column),))
    else:
        header, expect = header + ",", (1, "")
        body = [row + "," if row else row for row in body]
    kind = "csv-structure"
    text = "\r\n".join([header, *body])
    return Case(kind, f"{kind}-{number:04d}.csv", text.encode(), expect=(expect,))


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'
