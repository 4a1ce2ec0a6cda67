"""Writing a cohort result: JSON (the documented schema) or CSV (one row per suggestion)."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from companion.exports import SafeDictWriter
from companion.files import write_atomic
from companion.matching.service import CohortResult, Suggestion
from retrieval import COMPONENTS

CSV_COLUMNS = [
    "mentee_id",
    "mentee_name",
    "rank",
    "mentor_id",
    "mentor_name",
    "score",
    *COMPONENTS,
    "covered",
    "uncovered",
    "assigned",
    "assigned_mentor_id",
    "assigned_mentor_name",
    "unmatched_reason",
]


def write_cohort(result: CohortResult, path: Path) -> None:
    """JSON unless the name ends in .csv."""
    if path.suffix.lower() == ".csv":
        write_atomic(path, lambda f: _write_csv(result, f))
    else:
        write_atomic(path, lambda f: f.write(result.model_dump_json(indent=2) + "\n"))


def _write_csv(result: CohortResult, f: IO[str]) -> None:
    writer = SafeDictWriter(f, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for mentee in result.mentees:
        base = {
            "mentee_id": mentee.mentee_id,
            "mentee_name": mentee.mentee_name,
            "assigned_mentor_id": mentee.assigned_mentor_id or "",
            "assigned_mentor_name": mentee.assigned.mentor_name if mentee.assigned else "",
            "unmatched_reason": mentee.unmatched_reason or "",
        }
        shown: list[tuple[int | str, Suggestion]] = list(enumerate(mentee.suggestions, start=1))
        if mentee.assigned and all(s.mentor_id != mentee.assigned_mentor_id for _, s in shown):
            shown.append(("", mentee.assigned))  # assigned outside the suggestions: a row too
        if not shown:
            writer.writerow({**base, "rank": "", "assigned": "false"})
        for rank, s in shown:
            writer.writerow(
                {
                    **base,
                    "rank": rank,
                    "mentor_id": s.mentor_id,
                    "mentor_name": s.mentor_name,
                    "score": s.score,
                    **{name: s.components[name] for name in COMPONENTS},
                    "covered": "; ".join(
                        f"{c.wanted} <- {c.offered} ({c.similarity:.2f})" for c in s.reasons.covered
                    ),
                    "uncovered": "; ".join(s.reasons.uncovered),
                    "assigned": str(s.mentor_id == mentee.assigned_mentor_id).lower(),
                }
            )
