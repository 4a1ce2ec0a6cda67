"""Checks of an outcomes file as a whole, beyond each row: a metric's values all of one kind
(yes/no or numbers, with what is stored), a metric name that looks like a typo of a common
one, a department one letter from the programme's own. Each problem names its line."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass

from companion.imports.problems import Problem

BINARY = (0.0, 1.0)


@dataclass(frozen=True)
class Seen:
    """What the row checks kept of a valid row, for the checks across rows."""

    line: int
    metric: str
    value: float
    word: bool  # given as yes/no (or true/false)
    department: str | None
    outside: bool  # not in the programme: department given in the file


def _kinds(name: str, rows: list[Seen], stored: dict[str, list[float]]) -> list[Problem]:
    problems = []
    by_metric: dict[str, list[Seen]] = defaultdict(list)
    for row in rows:
        by_metric[row.metric].append(row)
    for metric, found in by_metric.items():
        words = [r for r in found if r.word]
        numbers = [r for r in found if r.value not in BINARY]
        before = stored.get(metric, [])
        numeric = len(numbers) + sum(v not in BINARY for v in before)
        yes_no = len(words) + (len(before) if before and all(v in BINARY for v in before) else 0)
        if not (numeric and yes_no):
            continue
        if numeric >= yes_no:  # the metric holds numbers: the yes/no answers are wrong
            where = f"line {numbers[0].line}" if numbers else "stored rows"
            why = f"yes/no in {metric!r}, which holds numbers ({where}): give a number"
            problems += [Problem(name, r.line, "value", why) for r in words]
        else:
            where = f"line {words[0].line}" if words else "stored rows"
            why = (f"{numbers[0].value:g} in {metric!r}, a yes/no metric ({where}): give yes "
                   "or no, or use another metric name")  # fmt: skip
            problems += [Problem(name, r.line, "value", why) for r in numbers]
    return problems


def _typos(name: str, rows: list[Seen], stored: dict[str, list[float]]) -> list[Problem]:
    uses = Counter(r.metric for r in rows) + Counter({m: len(v) for m, v in stored.items()})
    common = [m for m, n in uses.items() if n > 2]
    problems = []
    for row in rows:
        if uses[row.metric] > 2:
            continue
        close = difflib.get_close_matches(
            row.metric, [m for m in common if m != row.metric], 1, 0.8
        )
        if close:
            why = (f"{row.metric!r} is on only {uses[row.metric]} row(s); did you mean "
                   f"{close[0]!r} ({uses[close[0]]} rows)? If it is another metric, name it "
                   "so it cannot be taken for a typo")  # fmt: skip
            problems.append(Problem(name, row.line, "metric", why))
    return problems


def _departments(name: str, rows: list[Seen], known: set[str]) -> list[Problem]:
    problems = []
    for row in rows:
        if not row.outside or not row.department or row.department in known:
            continue
        same = [d for d in known if d.casefold() == row.department.casefold()]
        close = same or difflib.get_close_matches(row.department, sorted(known), 1, 0.85)
        if close:
            why = (f"{row.department!r} is not a department of the programme; did you mean "
                   f"{close[0]!r}? (People are compared within their department.)")  # fmt: skip
            problems.append(Problem(name, row.line, "department", why))
    return problems


def across_rows(
    name: str, rows: list[Seen], stored: dict[str, list[float]], departments: set[str]
) -> list[Problem]:
    """Every problem of the file taken together."""
    return (
        _kinds(name, rows, stored)
        + _typos(name, rows, stored)
        + _departments(name, rows, departments)
    )
