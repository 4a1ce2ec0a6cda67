"""The import use case: read, validate, embed, write once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from companion.imports.checks import settle, validate_rows
from companion.imports.formats import read_rows
from companion.imports.problems import ImportFailed, Problem
from companion.store import Store
from companion.vectors import embed_people
from embeddings import CachingEmbedder


@dataclass
class ImportReport:
    file: str
    rows: int
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> int:
        return len(self.inserted) + len(self.updated)


def import_people(
    path: Path,
    store: Store,
    embedder: CachingEmbedder,
    *,
    fmt: str | None = None,
    skip_invalid: bool = False,
    separator: str = ";",
) -> ImportReport:
    """Validate every row of `path`, then upsert the people by id in one atomic write.

    With any invalid row the import is refused (ImportFailed) and nothing is written,
    unless `skip_invalid`, which writes the valid rows and reports the rest.
    """
    rows = read_rows(path, fmt, separator)
    valid, problems = validate_rows(rows, path.name)
    kept, cross_problems = settle(valid, store.people(), path.name)
    problems += cross_problems
    if problems and not skip_invalid:
        raise ImportFailed(problems)
    if not kept:
        raise ImportFailed(problems or [Problem(path.name, None, None, "no valid people")])
    records = embed_people([row.person for row in kept], embedder)
    result = store.upsert(records, embedder.model_id)
    return ImportReport(
        file=path.name,
        rows=len(rows),
        inserted=result.inserted,
        updated=result.updated,
        skipped=sorted(problems, key=lambda p: (p.line or 0, p.field or "")),
    )
