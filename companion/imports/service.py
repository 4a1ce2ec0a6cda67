"""The import use case: read, validate, embed, write once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from companion.imports.checks import check_together, settle, validate_rows
from companion.imports.formats import file_name, read_rows
from companion.imports.problems import ImportFailed, Problem
from companion.settings import ImportSettings
from companion.store import Store
from companion.vectors import embed_people
from embeddings import CachingEmbedder


@dataclass
class ImportReport:
    file: str
    rows: int
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # the same as stored: not rewritten
    skipped: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> int:
        return len(self.inserted) + len(self.updated)

    @property
    def accepted(self) -> int:
        """Valid rows: written, or already stored exactly so."""
        return self.written + len(self.unchanged)


def import_people(
    path: Path,
    store: Store,
    embedder: CachingEmbedder,
    *,
    fmt: str | None = None,
    skip_invalid: bool = False,
    settings: ImportSettings | None = None,
    today: dt.date | None = None,
) -> ImportReport:
    """Validate every row of `path`, then upsert the people by id in one atomic write.
    People exactly as stored are left alone (a re-import of the same file writes nothing).

    With any invalid row the import is refused (ImportFailed) and nothing is written,
    unless `skip_invalid`, which writes the valid rows and reports the rest. `settings`
    gives the list separator of CSV cells and the limits on size, nesting and numbers.
    People new to the store are recorded as signed up `today` (default: the system's date).
    """
    settings = settings or ImportSettings()
    name = file_name(path)
    rows = read_rows(path, fmt, settings)
    valid, problems = validate_rows(rows, name, settings.max_digits)
    stored = store.people()
    bad_lines = {p.line for p in problems}
    refused = {str(r.data.get("id")): r.line for r in rows if r.line in bad_lines}
    if skip_invalid:
        kept, cross_problems = settle(valid, stored, name, refused)
    else:  # any problem refuses the file: no need to settle which rows could stay
        kept, cross_problems = valid, check_together(valid, stored, name, refused)
    problems += cross_problems
    if problems and not skip_invalid:
        raise ImportFailed(problems)
    if not kept:
        raise ImportFailed(problems or [Problem(name, None, None, "no valid people")])
    before = {person.id: person for person in stored}
    same = [before.get(row.person.id) == row.person for row in kept]
    changed = [row.person for row, unchanged in zip(kept, same, strict=True) if not unchanged]
    result = store.upsert(embed_people(changed, embedder), embedder.model_id)
    day = today or dt.date.today()
    store.record_sign_ups({person_id: day for person_id in result.inserted})
    return ImportReport(
        file=name,
        rows=len(rows),
        inserted=result.inserted,
        updated=result.updated,
        unchanged=[row.person.id for row, unchanged in zip(kept, same, strict=True) if unchanged],
        skipped=sorted(problems, key=lambda p: (p.line or 0, p.field or "")),
    )
