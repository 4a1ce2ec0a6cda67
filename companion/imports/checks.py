"""Validating import rows: each row on its own, then the rows against each other and the store."""

from __future__ import annotations

import reprlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from pydantic import ValidationError

from companion.imports.formats import COLUMNS, Row, TooManyDigits
from companion.imports.problems import Problem
from companion.lookup import did_you_mean
from companion.models import Person
from companion.settings import ImportSettings

NAMED_DUPLICATES = 5  # other lines a duplicate's problem names
NUMBER_FIELDS = tuple(name for name, f in Person.model_fields.items() if f.annotation is int)
# How much of a refused value a message quotes: enough to find it, never a whole file.
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = 60
_QUOTE.maxlist = _QUOTE.maxdict = 4


@dataclass(frozen=True)
class ValidRow:
    line: int
    person: Person


def validate_rows(
    rows: Iterable[Row], file: str, max_digits: int = ImportSettings().max_digits
) -> tuple[list[ValidRow], list[Problem]]:
    """Each row as a Person, or the problems that stop it being one."""
    valid: list[ValidRow] = []
    problems: list[Problem] = []
    for row in rows:
        refusals = [*row.refusals, *_oversized_numbers(row.data, max_digits)]
        if refusals:
            problems.extend(Problem(file, row.line, field, why) for field, why in refusals)
            continue
        try:
            valid.append(ValidRow(row.line, Person.model_validate(row.data)))
        except ValidationError as err:
            problems.extend(_problems_from(err, file, row.line))
    return valid, problems


def _oversized_numbers(data: dict[str, Any], max_digits: int) -> Iterator[tuple[str, str]]:
    """Numbers longer than `max_digits`: JSON numbers left unconverted by the reader, and
    number fields given as text (a CSV cell)."""
    for key, value in data.items():
        values = value if isinstance(value, list) else [value]
        digits = [v.digits for v in values if isinstance(v, TooManyDigits)]
        if key in NUMBER_FIELDS and isinstance(value, str):
            text = value.strip().lstrip("+-")
            if text.isascii() and text.isdigit() and len(text) > max_digits:
                digits.append(len(text))
        if digits:
            yield key, f"a number with {digits[0]:,} digits; at most {max_digits} are allowed"


def _problems_from(err: ValidationError, file: str, line: int) -> list[Problem]:
    problems = []
    for error in err.errors(include_url=False):
        loc = error["loc"]
        field = str(loc[0]) if loc else None
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = f"unknown field; expected some of: {', '.join(COLUMNS)}"
        elif error["type"] == "missing":
            message = "required field is missing"
        else:
            if error["type"] == "value_error":  # our own validators' words, unprefixed
                message = str(error.get("ctx", {}).get("error", message))
            if "input" in error and not isinstance(error["input"], dict):
                message = f"{message} (got {_QUOTE.repr(error['input'])})"
        problems.append(Problem(file, line, field, message))
    return problems


def check_together(
    rows: list[ValidRow],
    stored: Iterable[Person],
    file: str,
    refused: dict[str, int] | None = None,
) -> list[Problem]:
    """Problems that only show across rows: duplicate ids or emails, unknown references, cycles.

    The file's rows are checked as they would be after the import: stored people
    overridden by the file's rows with the same id. refused: ids of the file's invalid
    rows, and their lines (a reference to one says so, not "names nobody").
    """
    refused = refused or {}
    stored = list(stored)
    problems = _duplicates(rows, file, "id") + _duplicates(rows, file, "email")
    problems += _case_clashes(rows, stored, file)
    merged = {p.id: p for p in stored}
    line_of = {}
    for row in rows:
        merged[row.person.id] = row.person
        line_of[row.person.id] = row.line
    owner_of_email = defaultdict(set)
    for person in merged.values():
        owner_of_email[person.email.casefold()].add(person.id)
    for row in rows:
        person = row.person
        if person.manager_id is not None and person.manager_id not in merged:
            why = _unknown([person.manager_id], merged, refused)
            problems.append(Problem(file, row.line, "manager_id", why))
        unknown = [other for other in person.exclude if other not in merged]
        if unknown:
            problems.append(Problem(file, row.line, "exclude", _unknown(unknown, merged, refused)))
        others = owner_of_email[person.email.casefold()] - {person.id}
        if others and not any(o in line_of for o in others):
            problems.append(
                Problem(
                    file,
                    row.line,
                    "email",
                    f"{person.email} already belongs to {sorted(others)[0]!r}",
                )
            )
    problems += _cycles(merged, line_of, file)
    return problems


def _duplicates(rows: list[ValidRow], file: str, field: str) -> list[Problem]:
    """Rows sharing an id or an email, compared ignoring case: each names a few others
    (all of them would make a file of one id repeated quadratic in time and in words)."""
    rows_by_value: dict[str, list[ValidRow]] = defaultdict(list)
    for row in rows:
        rows_by_value[str(getattr(row.person, field)).casefold()].append(row)
    problems = []
    for row in rows:
        value = str(getattr(row.person, field))
        group = rows_by_value[value.casefold()]
        if len(group) < 2:
            continue
        others = list(islice((r for r in group if r is not row), NAMED_DUPLICATES))
        spelt = [str(getattr(r.person, field)) for r in others]
        where = ", ".join(
            f"{r.line}" if other == value else f"{r.line} as {other!r}"
            for r, other in zip(others, spelt, strict=True)
        )
        if len(group) - 1 > len(others):
            where += f" and {len(group) - 1 - len(others):,} more"
        why = f"{value!r} also appears on line {where}"
        if any(other != value for other in spelt):
            why += f" ({field}s are compared ignoring case)"
        problems.append(Problem(file, row.line, field, why))
    return problems


def _case_clashes(rows: list[ValidRow], stored: list[Person], file: str) -> list[Problem]:
    """A new id that differs only by case from a stored one would be a second person."""
    stored_ids = {p.id for p in stored}
    by_fold = {p.id.casefold(): p.id for p in stored}
    problems = []
    for row in rows:
        person_id = row.person.id
        other = by_fold.get(person_id.casefold())
        if person_id not in stored_ids and other is not None:
            problems.append(
                Problem(
                    file,
                    row.line,
                    "id",
                    f"{person_id!r} differs only by case from {other!r}, already in the "
                    "store; ids are compared ignoring case: use the stored spelling",
                )
            )
    return problems


def _cycles(people: dict[str, Person], line_of: dict[str, int], file: str) -> list[Problem]:
    """One problem per file row whose manager chain loops back on itself."""
    problems = []
    state: dict[str, str] = {}  # "open" while being walked, "done" once known to end
    for start in people:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in people and state.get(current) is None:
            state[current] = "open"
            path.append(current)
            current = people[current].manager_id
        if current is not None and state.get(current) == "open":
            loop = path[path.index(current) :]
            for at, member in enumerate(loop):
                if member in line_of:
                    chain = " -> ".join([*loop[at:], *loop[:at], member])
                    problems.append(
                        Problem(
                            file, line_of[member], "manager_id", f"manager chain loops: {chain}"
                        )
                    )
        for member in path:
            state[member] = "done"
    return problems


def settle(
    rows: list[ValidRow], stored: list[Person], file: str, refused: dict[str, int] | None = None
) -> tuple[list[ValidRow], list[Problem]]:
    """The rows that stay valid once invalid rows are dropped, and every problem found.

    Dropping a row can break another (its manager was that row), so repeat until stable.
    Only `--skip-invalid` needs this: a chain of n rows can take n rounds.
    """
    kept = list(rows)
    problems: list[Problem] = []
    refused = dict(refused or {})
    while True:
        found = check_together(kept, stored, file, refused)
        if not found:
            return kept, problems
        problems += found
        bad_lines = {p.line for p in found}
        refused |= {row.person.id: row.line for row in kept if row.line in bad_lines}
        kept = [row for row in kept if row.line not in bad_lines]


def _unknown(ids: list[str], merged: dict[str, Person], refused: dict[str, int]) -> str:
    """Why references to `ids` fail: an invalid row of the file, or nobody at all (with the
    person perhaps meant)."""
    parts = []
    for name in ids:
        if name in refused:
            parts.append(f"{name!r} is on line {refused[name]}, which is invalid (see its error)")
        else:
            hint = did_you_mean(name, merged.values())
            parts.append(f"{name!r} names nobody in the file or the store{hint}")
    return "; ".join(parts)
