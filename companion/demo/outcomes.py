"""The demo's outcomes: a comparison group of people who never joined, and two outcomes a
coordinator would track (retained a year on, yes/no; an engagement score, 0-100) with a
planted, modest effect of taking part, so that `outcomes compare` shows a real estimate
with its interval. Seniority moves both who joins and the outcomes (a confounder the
adjusted figure removes); the planted effect is RETAINED_EFFECT and ENGAGEMENT_EFFECT.

Also a coordinator-held attribute (work pattern) for the fairness audit, written as the
files a coordinator would import, and imported through the same use cases."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from companion.outcomes.attributes import Attributes
from companion.outcomes.compare import participants
from companion.outcomes.control import OutcomeStore
from companion.workspace import Workspace

NON_PARTICIPANTS = 400
RETAINED_EFFECT = 0.08  # eight points more retained
ENGAGEMENT_EFFECT = 4.0  # four points more engaged
DEPARTMENTS = ("Engineering", "Sales", "Marketing", "Operations", "Finance", "People")
WORK_PATTERNS = (("full-time", 0.75), ("part-time", 0.17), ("compressed hours", 0.08))


def _outcome_rows(rng: random.Random, pid: str, seniority: int, department: str,
                  took_part: bool, day: str, outside: bool) -> list[dict]:  # fmt: skip
    base = 0.70 + 0.04 * seniority
    retained = rng.random() < min(base + (RETAINED_EFFECT if took_part else 0.0), 0.99)
    engagement = 55.0 + 3 * seniority + (5 if department in ("Sales", "Engineering") else 0)
    engagement += rng.gauss(0, 10) + (ENGAGEMENT_EFFECT if took_part else 0.0)
    who = {"seniority": str(seniority), "department": department} if outside else {}
    common = {"person_id": pid, "date": day, **who}
    return [
        {**common, "metric": "retained", "value": "yes" if retained else "no"},
        {**common, "metric": "engagement", "value": f"{min(max(engagement, 0), 100):.0f}"},
    ]


def write_demo_outcomes(workspace: Workspace, seed: int, folder: Path) -> dict[str, int]:
    """Write and import outcomes.csv and attributes.csv; returns what was imported."""
    rng = random.Random(seed + 2)
    today = workspace.settings.current_date()
    day = today.isoformat()
    people = workspace.store.people()
    taking_part = participants(workspace)
    rows: list[dict] = []
    for person in people:
        if person.role.mentees:
            took = person.id in taking_part
            rows += _outcome_rows(
                rng, person.id, person.seniority, person.department, took, day, False
            )
    for i in range(NON_PARTICIPANTS):
        seniority = rng.choices((1, 2, 3, 4, 5), weights=(3, 4, 3, 2, 1))[0]
        department = rng.choice(DEPARTMENTS)
        rows += _outcome_rows(rng, f"np{i + 1:04d}", seniority, department, False, day, True)
    outcomes = _write(folder / "outcomes.csv", rows)
    found = OutcomeStore(workspace.settings.store_dir).import_file(outcomes, people, today)
    patterns = [{"person_id": p.id, "work_pattern": rng.choices(
        [w for w, _ in WORK_PATTERNS], weights=[s for _, s in WORK_PATTERNS])[0]}
        for p in people if p.role.mentees]  # fmt: skip
    attributes = _write(folder / "attributes.csv", patterns)
    Attributes(workspace.settings.store_dir).import_file(attributes, people)
    return {"outcome_rows": len(found), "non_participants": NON_PARTICIPANTS}


def _write(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path
