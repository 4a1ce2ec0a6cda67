"""`mentorkit import` and `mentorkit people ...`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, workspace_for
from companion.imports import ImportFailed, import_people
from companion.lookup import did_you_mean
from companion.models import Role

people_app = typer.Typer(help="Read the people in the store.", no_args_is_help=True)
MAX_PROBLEMS_SHOWN = 50


def import_command(
    file: Path = typer.Argument(..., help="A .csv, .json or .jsonl file of people."),
    fmt: str | None = typer.Option(
        None, "--format", help="csv, json or jsonl (default: by suffix)."
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows and report the others."
    ),
    data_dir: Path | None = DataDir,
) -> None:
    """Import people, validating every row. Any invalid row: nothing is written."""
    workspace = workspace_for(data_dir)
    try:
        report = import_people(
            file,
            workspace.store,
            workspace.embedder,
            fmt=fmt,
            skip_invalid=skip_invalid,
            settings=workspace.settings.imports,
            today=workspace.settings.current_date(),
        )
    except ImportFailed as failure:
        _print_problems(failure.problems)
        echo(f"Import refused: {len(failure.problems)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1) from None
    echo(
        f"Imported {report.accepted} of {report.rows} rows from "
        f"{report.file}: {_counted(report.inserted, 'new')}, "
        f"{_counted(report.updated, 'updated')}, {len(report.unchanged)} unchanged."
    )
    if report.skipped:
        _print_problems(report.skipped)
        echo(f"Skipped {report.rows - report.accepted} invalid row(s).", err=True)
        raise typer.Exit(2)


def _counted(ids: list[str], what: str, named: int = 10) -> str:
    """'2 updated (e1, e2)': the ids when there are few enough to read."""
    listed = f" ({', '.join(sorted(ids))})" if 0 < len(ids) <= named else ""
    return f"{len(ids)} {what}{listed}"


def _print_problems(problems: list) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        echo(f"error: {problem}", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        echo(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more", err=True)


@people_app.command("list")
def list_people(
    role: Role | None = typer.Option(None, "--role", help="Only this role."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Everyone in the store, by id."""
    people = workspace_for(data_dir).store.people()
    if role is not None:
        people = [p for p in people if p.role == role]
    if as_json:
        echo(json.dumps([p.model_dump(mode="json") for p in people], indent=2))
        return
    if not people:
        echo("No people in the store. Run `mentorkit import FILE` or `mentorkit demo`.")
        return
    rows = [(p.id, p.name, p.role.value, p.title, p.team) for p in people]
    widths = [
        max(len(str(r[i])) for r in [("ID", "NAME", "ROLE", "TITLE", "TEAM"), *rows])
        for i in range(5)
    ]
    for row in [("ID", "NAME", "ROLE", "TITLE", "TEAM"), *rows]:
        echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    echo(f"{len(people)} people")


@people_app.command("show")
def show_person(
    person_id: str = typer.Argument(..., metavar="ID"),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """One person's profile."""
    store = workspace_for(data_dir).store
    person = store.get(person_id)
    if person is None:
        echo(f"No person with id {person_id!r}{did_you_mean(person_id, store.people())}.", err=True)
        raise typer.Exit(1)
    data = person.model_dump(mode="json")
    if as_json:
        echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(value)
        echo(f"{key + ':':16} {'' if value is None else value}")
