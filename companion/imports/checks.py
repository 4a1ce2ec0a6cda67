"""Validating import rows: each row on its own, then the rows against each other and the store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from companion.imports.formats import Row
from companion.imports.problems import Problem
from companion.models import Person


@dataclass(frozen=True)
class ValidRow:
    line: int
    person: Person


def validate_rows(rows: Iterable[Row], file: str) -> tuple[list[ValidRow], list[Problem]]:
    """Each row as a Person, or the problems that stop it being one."""
    valid, problems = [], []
    for row in rows:
        if "__cells__" in row.data:
            got, want = row.data["__cells__"]
            problems.append(
                Problem(file, row.line, None, f"{got} cells, but the header has {want}")
            )
            continue
        try:
            valid.append(ValidRow(row.line, Person.model_validate(row.data)))
        except ValidationError as err:
            problems.extend(_problems_from(err, file, row.line))
    return valid, problems


def _problems_from(err: ValidationError, file: str, line: int) -> list[Problem]:
    problems = []
    for error in err.errors(include_url=False):
        loc = error["loc"]
        field = str(loc[0]) if loc else None
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "required field is missing"
        elif "input" in error and not isinstance(error["input"], dict):
            message = f"{message} (got {error['input']!r})"
        problems.append(Problem(file, line, field, message))
    return problems


def check_together(rows: list[ValidRow], stored: Iterable[Person], file: str) -> list[Problem]:
    """Problems that only show across rows: duplicate ids or emails, unknown references, cycles.

    The file's rows are checked as they would be after the import: stored people
    overridden by the file's rows with the same id.
    """
    problems = _duplicates(rows, file, "id") + _duplicates(rows, file, "email")
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
            problems.append(
                Problem(
                    file,
                    row.line,
                    "manager_id",
                    f"{person.manager_id!r} names nobody in the file or the store",
                )
            )
        unknown = [other for other in person.exclude if other not in merged]
        if unknown:
            problems.append(
                Problem(
                    file,
                    row.line,
                    "exclude",
                    f"{', '.join(map(repr, unknown))} names nobody in the file or the store",
                )
            )
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
    def key(row: ValidRow) -> str:
        value = str(getattr(row.person, field))
        return value.casefold() if field == "email" else value

    lines_by_value: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        lines_by_value[key(row)].append(row.line)
    problems = []
    for row in rows:
        value = str(getattr(row.person, field))
        lines = lines_by_value[key(row)]
        if len(lines) > 1:
            elsewhere = ", ".join(str(n) for n in lines if n != row.line)
            problems.append(
                Problem(file, row.line, field, f"{value!r} also appears on line {elsewhere}")
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
    rows: list[ValidRow], stored: list[Person], file: str
) -> tuple[list[ValidRow], list[Problem]]:
    """The rows that stay valid once invalid rows are dropped, and every problem found.

    Dropping a row can break another (its manager was that row), so repeat until stable.
    """
    kept = list(rows)
    problems: list[Problem] = []
    while True:
        found = check_together(kept, stored, file)
        if not found:
            return kept, problems
        problems += found
        bad_lines = {p.line for p in found}
        kept = [row for row in kept if row.line not in bad_lines]
