"""Hostile import files against the importer: each refused clearly, none with a traceback.

    python -m evals.fuzz_import [--per-kind 1000] [--seed 7] [--out FILE]

Every case is one file (CSV, JSON or JSONL, or an endless device) holding one kind of
hostile input, often among valid rows, imported into a store that already holds a small
valid population. Per kind it counts:

- clear errors: ImportFailed whose every problem is one printable line (no control or
  bidirectional character), starts with the file's name, and, where the case knows the
  hostile row and field, names that line and field;
- accepted: the hostile file was imported (must be 0);
- tracebacks: any other exception (must be 0);
- store changes: a refused import that changed the store's version, row count or
  content (must be 0).

Deterministic for a seed, on the fake encoder (a refused import embeds nothing anyway).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

from companion.imports import ImportFailed, import_people
from companion.imports.formats import write_people_csv
from companion.models import Person
from companion.plain_text import refusal
from companion.settings import Settings
from companion.workspace import Workspace
from evals import fuzz_cases as rows
from evals import fuzz_files as files
from evals.fuzz_cases import Case, population
from evals.report import markdown_table, write_report

MAX_EXAMPLES = 20
KINDS: dict[str, Callable[[Random, int], Case]] = {
    "nested-json": files.nested_json,
    "huge-integers": rows.huge_integers,
    "magic-keys": rows.magic_keys,
    "control-characters": rows.control_characters,
    "escape-sequences": rows.escape_sequences,
    "bidi-controls": rows.bidi_controls,
    "bad-ids": rows.bad_ids,
    "case-duplicate-ids": rows.case_duplicate_ids,
    "long-emails": rows.long_emails,
    "overlong-text": rows.overlong_text,
    "number-tricks": rows.number_tricks,
    "wrong-shapes": files.wrong_shapes,
    "csv-structure": files.csv_structure,
    "oversized-files": files.oversized_files,
    "binary-garbage": files.binary_garbage,
    "truncated-files": files.truncated_files,
    "wrong-encodings": files.wrong_encodings,
    "empty-files": files.empty_files,
}


@dataclass
class Tally:
    cases: int = 0
    rows: int = 0
    clear_errors: int = 0
    accepted: int = 0
    tracebacks: int = 0
    store_changes: int = 0
    slowest_s: float = 0.0
    example: str = ""
    unclear: list[str] = field(default_factory=list)


def snapshot(workspace: Workspace) -> tuple[int, int, list[dict[str, Any]]]:
    store = workspace.store
    return store.version(), store.count(), [p.model_dump() for p in store.people()]


def unclear_reason(failure: ImportFailed, case: Case) -> str | None:
    """Why the refusal is not clear, or None when it is."""
    if not failure.problems:
        return "no problem named"
    for problem in failure.problems:
        line = str(problem)
        if problem.file != case.name or not line.startswith(case.name):
            return f"does not name the file: {line[:200]!r}"
        if refusal(line) is not None or len(line) > 1200:
            return f"not one printable line: {line[:200]!r}"
    named = {(p.line, p.field) for p in failure.problems}
    missing = [where for where in case.expect if where not in named]
    if missing:
        return f"does not name line/field {missing}: {str(failure)[:300]!r}"
    return None


def run_case(workspace: Workspace, folder: Path, case: Case, tally: Tally, before: tuple) -> tuple:
    """Import `case`, tally the outcome, and return the store's snapshot afterwards."""
    path = case.device or folder / case.name
    if case.device is None:
        path.write_bytes(case.data)
    started = time.perf_counter()
    accepted = False
    try:
        import_people(
            path, workspace.store, workspace.embedder, fmt=case.fmt, settings=case.settings
        )
        accepted = True
        tally.accepted += 1
        tally.unclear.append(f"accepted: {case.label}")
    except ImportFailed as failure:
        why = unclear_reason(failure, case)
        if why is None:
            tally.clear_errors += 1
            tally.example = tally.example or str(failure.problems[0])
        else:
            tally.unclear.append(f"{case.label}: {why}")
    except Exception as error:  # noqa: BLE001 - counting these is the point
        tally.tracebacks += 1
        tally.unclear.append(f"traceback in {case.label}: {type(error).__name__}: {error!s:.200}")
    tally.slowest_s = max(tally.slowest_s, time.perf_counter() - started)
    tally.cases += 1
    tally.rows += case.hostile_rows
    if case.device is None:
        path.unlink()
    after = snapshot(workspace)
    if after != before and not accepted:
        tally.store_changes += 1
    return after


def seed_store(workspace: Workspace, folder: Path) -> None:
    people = [Person.model_validate(row) for row in population()]
    path = folder / "population.csv"
    write_people_csv(people, path)
    import_people(path, workspace.store, workspace.embedder)
    path.unlink()


def evaluate(per_kind: int, seed: int, folder: Path) -> dict[str, Any]:
    settings = Settings(data_dir=folder / "data", embedding={"backend": "fake"}, progress=False)
    workspace = Workspace(settings)
    seed_store(workspace, folder)
    files = folder / "files"
    files.mkdir()
    tallies: dict[str, Tally] = {}
    state = snapshot(workspace)
    started = time.perf_counter()
    for offset, (kind, make) in enumerate(KINDS.items()):
        rng = Random(seed * 1_000 + offset)
        tally = tallies[kind] = Tally()
        for number in range(per_kind):
            state = run_case(workspace, files, make(rng, number), tally, state)
    return summarise(tallies, per_kind, seed, time.perf_counter() - started)


def summarise(tallies: dict[str, Tally], per_kind: int, seed: int, seconds: float) -> dict:
    columns = ("cases", "rows", "clear_errors", "accepted", "tracebacks", "store_changes")
    kinds = {
        kind: {
            **{c: getattr(t, c) for c in columns},
            "slowest_s": round(t.slowest_s, 3),
            "example": t.example,
        }
        for kind, t in tallies.items()
    }
    totals: dict[str, Any] = {c: sum(k[c] for k in kinds.values()) for c in columns}
    totals["slowest_s"] = max(k["slowest_s"] for k in kinds.values())
    problems = [line for t in tallies.values() for line in t.unclear]
    return {
        "seed": seed,
        "per_kind": per_kind,
        "seconds": round(seconds, 1),
        "kinds": kinds,
        "totals": totals,
        "tracebacks": [line for line in problems if line.startswith("traceback")][:MAX_EXAMPLES],
        "unclear": problems[:MAX_EXAMPLES],
    }


def report(result: dict[str, Any]) -> str:
    headers = ["kind", "cases", "hostile rows", "clear errors", "accepted", "tracebacks"]
    headers += ["store changes", "slowest (s)"]
    rows = [
        (
            kind,
            k["cases"],
            k["rows"],
            k["clear_errors"],
            k["accepted"],
            k["tracebacks"],
            k["store_changes"],
            k["slowest_s"],
        )
        for kind, k in [*result["kinds"].items(), ("total", result["totals"])]
    ]
    lines = [
        f"Hostile imports: {result['totals']['cases']} files, {len(result['kinds'])} kinds, "
        f"seed {result['seed']}, {result['seconds']} s",
        "",
        markdown_table(headers, rows),
    ]
    if result["unclear"]:
        lines += ["", "Not clearly refused:", *(f"- {line}" for line in result["unclear"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=1000, help="cases of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default evals/results)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        result = evaluate(args.per_kind, args.seed, Path(folder))
    write_report("fuzz_import", result, report(result), args.out)
    return result


if __name__ == "__main__":
    main()
