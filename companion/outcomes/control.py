"""Does the programme change anything? Outcome rows (person_id, metric, value, date) for
participants and for people who never joined, and the comparison per metric.

A participant is a mentee who has been in an accepted pair; everyone else with an outcome
row is the comparison group. People outside the programme give their seniority and
department in the file (the adjustment needs them); people in it have them in their
profile. An import with any bad row is refused whole: nothing is written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lancedb
import pyarrow as pa

from companion.imports.formats import Row, file_name, read_rows
from companion.imports.problems import ImportFailed, Problem
from companion.lance import open_table, upsert_rows
from companion.models import Person
from companion.outcomes.consistency import Seen, across_rows
from companion.plain_text import refusal
from companion.settings import ImportSettings

if TYPE_CHECKING:
    pass

OUTCOMES = "outcomes"
COLUMNS = ("person_id", "metric", "value", "date", "seniority", "department")
REQUIRED = ("person_id", "metric", "value", "date")
METRIC = re.compile(r"[a-z][a-z0-9_]{0,39}")
YES = {"yes": 1.0, "true": 1.0, "y": 1.0, "no": 0.0, "false": 0.0, "n": 0.0}
SMALL_GROUP = 30  # below this many in either group, say the estimate is fragile
OLDEST_YEARS = 20  # an outcome dated further back is taken for a typo
IMBALANCE = 0.2  # a difference in share this large in seniority or department is imbalance
METHOD = "stratification on seniority x department (weighted by participants per stratum)"
_SCHEMA = pa.schema(
    [("key", pa.string()), ("person_id", pa.string()), ("metric", pa.string()),
     ("value", pa.float64()), ("on", pa.date32()), ("seniority", pa.int32()),
     ("department", pa.string())]
)  # fmt: skip


@dataclass(frozen=True)
class OutcomeRow:
    person_id: str
    metric: str
    value: float
    on: dt.date
    seniority: int | None
    department: str | None


def _check_header(header: list[str], name: str) -> None:
    problems = [Problem(name, 1, c, f"unknown column; expected some of: {', '.join(COLUMNS)}")
                for c in header if c not in COLUMNS]  # fmt: skip
    problems += [
        Problem(name, 1, c, "required column is missing") for c in REQUIRED if c not in header
    ]
    if len(header) != len(set(header)):
        problems.append(Problem(name, 1, None, "a column appears twice"))
    if problems:
        raise ImportFailed(problems)


def _number(raw: Any) -> tuple[float | None, bool, str | None]:
    """The value, whether it was given as yes/no, or why it is refused."""
    if isinstance(raw, bool):
        return float(raw), True, None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str) and raw.strip().lower() in YES:
        return YES[raw.strip().lower()], True, None
    else:
        try:
            value = float(str(raw).strip())
        except ValueError:
            return None, False, f"{str(raw)[:40]!r} is not a number (or yes/no)"
    if not math.isfinite(value) or abs(value) > 1e12:
        return None, False, "not a finite number of sensible size"
    return value, False, None


def _date(raw: Any, today: dt.date, bad: Callable[[str, str], None]) -> dt.date | None:
    try:
        on = dt.date.fromisoformat(str(raw).strip()) if raw else None
    except ValueError:
        bad("date", f"{str(raw)[:40]!r} is not a date like {today.isoformat()}")
        return None
    if on and on > today:
        bad("date", f"{on} is in the future")
    elif on and on < today - dt.timedelta(days=365 * OLDEST_YEARS):
        bad("date", f"{on} is more than {OLDEST_YEARS} years ago: a typo?")
    return on


def _row(
    row: Row, name: str, today: dt.date, people: dict[str, Person]
) -> tuple[tuple[OutcomeRow, Seen] | None, list[Problem]]:
    d, problems = row.data, []

    def bad(field: str, why: str) -> None:
        problems.append(Problem(name, row.line, field, why))

    for field in REQUIRED:
        if d.get(field) in (None, ""):
            bad(field, "missing")
    for key in d:
        if key not in COLUMNS:
            bad(str(key), f"unknown field; expected some of: {', '.join(COLUMNS)}")
    pid, metric = str(d.get("person_id", "")).strip(), str(d.get("metric", "")).strip()
    if pid and (len(pid) > 64 or refusal(pid)):
        bad("person_id", refusal(pid) or "longer than 64 characters")
    if metric and not METRIC.fullmatch(metric):
        bad("metric", "lower-case letters, digits and '_', starting with a letter (e.g. retained)")
    given = d.get("value") not in (None, "")
    value, word, why = _number(d.get("value")) if given else (None, False, None)
    if why:
        bad("value", why)
    on = _date(d.get("date"), today, bad)
    seniority, department = _who(d, pid, people, bad)
    if problems or value is None or on is None:
        return None, problems
    seen = Seen(row.line, metric, value, word, department, pid not in people)
    return (OutcomeRow(pid, metric, value, on, seniority, department), seen), []


def _who(d: dict, pid: str, people: dict[str, Person], bad: Any) -> tuple[int | None, str | None]:
    """Seniority and department: the profile's for someone in the programme, else the row's."""
    if pid in people:
        return people[pid].seniority, people[pid].department or None
    same = next((p for p in people.values() if p.id.casefold() == pid.casefold()), None)
    if same is not None:
        bad("person_id", f"no person with id {pid!r}; did you mean {same.id} ({same.name})?")
        return None, None
    raw_s, raw_d = d.get("seniority"), str(d.get("department") or "").strip()
    text = str(raw_s).strip() if raw_s is not None else ""
    seniority = int(float(text)) if re.fullmatch(r"[0-9]{1,2}(\.0+)?", text) else None
    if seniority is None or not 1 <= seniority <= 5:
        bad("seniority", "1-5 is needed for someone outside the programme (to adjust for it)")
    if not raw_d:
        bad("department", "needed for someone outside the programme (to adjust for it)")
    elif len(raw_d) > 200 or refusal(raw_d):
        bad("department", refusal(raw_d) or "longer than 200 characters")
    return seniority, raw_d or None


def _validate_all(
    rows: list[Row],
    name: str,
    today: dt.date,
    people: dict[str, Person],
    stored: dict[str, list[float]],
) -> tuple[list[OutcomeRow], list[Problem]]:
    found: list[OutcomeRow] = []
    kept: list[Seen] = []
    problems = [Problem(name, r.line, f, m) for r in rows for f, m in r.refusals]
    lines: dict[tuple[str, str], int] = {}
    for row in rows:
        valid, wrong = _row(row, name, today, people)
        problems += wrong
        if valid is None:
            continue
        record, seen = valid
        key = (record.person_id, record.metric)
        if key in lines:
            why = f"{record.metric!r} for {record.person_id!r} is also on line {lines[key]}"
            problems.append(Problem(name, row.line, "metric", why))
        lines.setdefault(key, row.line)
        found.append(record)
        kept.append(seen)
    departments = {p.department for p in people.values() if p.department}
    return found, problems + across_rows(name, kept, stored, departments)


class OutcomeStore:
    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(store_dir))

    def import_file(
        self,
        path: Path,
        people: list[Person],
        today: dt.date,
        settings: ImportSettings | None = None,
        fmt: str | None = None,
    ) -> list[OutcomeRow]:
        """Validate every row, then write them in one commit (a person's metric given again
        replaces the stored one). Any bad row: ImportFailed, nothing written."""
        name = file_name(path)
        rows = read_rows(
            path, fmt, settings, check_header=_check_header, list_fields=(), what="outcomes"
        )
        stored: dict[str, list[float]] = {}
        for r in self.rows():
            stored.setdefault(r.metric, []).append(r.value)
        found, problems = _validate_all(rows, name, today, {p.id: p for p in people}, stored)
        if problems:
            raise ImportFailed(problems)
        table = [{"key": f"{r.person_id}\x1f{r.metric}", **r.__dict__} for r in found]
        upsert_rows(self._db, OUTCOMES, "key", pa.Table.from_pylist(table, schema=_SCHEMA))
        return found

    def rows(self) -> list[OutcomeRow]:
        table = open_table(self._db, OUTCOMES)
        if table is None:
            return []
        data = table.search().limit(None).to_arrow().to_pylist()
        return [
            OutcomeRow(
                **{
                    k: r[k]
                    for k in ("person_id", "metric", "value", "on", "seniority", "department")
                }
            )
            for r in data
        ]
