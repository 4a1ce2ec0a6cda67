"""`mentorkit notes add | list | summarise`: confidential notes of a pair."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.llm import ConfidentialityError, ModelUnavailable
from companion.models import Profile
from companion.notes import Notebook, NotesAccessDenied, NotesKeyError, Viewer
from companion.notes.crypto import write_new_key

notes_app = typer.Typer(help="Confidential session notes (the pair only).", no_args_is_help=True)
As = typer.Option(..., "--as", help="Your person id (a member of the pair).")
Role = typer.Option(Profile.MENTEE, "--role", help="In which capacity you act.")


def _viewer(person_id: str, role: Profile) -> Viewer:
    return Viewer(person_id=person_id, role=role)


notes_errors = exits_on(
    NotesAccessDenied, NotesKeyError, ValueError, ConfidentialityError, ModelUnavailable
)


@notes_app.command("add")
@notes_errors
def add_note(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    text: str = typer.Argument(..., help="The note (or - to read standard input)."),
    person: str = As,
    role: Profile = Role,
    date: dt.datetime | None = typer.Option(None, "--date", formats=["%Y-%m-%d"]),
    data_dir: Path | None = DataDir,
) -> None:
    """Write a note, encrypted at rest."""
    if text == "-":
        text = typer.get_text_stream("stdin").read()
    note = Notebook(workspace_for(data_dir)).add(
        _viewer(person, role), pair_id, text, date.date() if date else None
    )
    echo(f"Saved note {note.id} (encrypted at rest; only the pair can read it).")


@notes_app.command("list")
@notes_errors
def list_notes(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    person: str = As,
    role: Profile = Role,
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """The pair's notes."""
    found = Notebook(workspace_for(data_dir)).store.read(_viewer(person, role), pair_id)
    if as_json:
        echo(json.dumps(found.model_dump(mode="json"), indent=2))
        return
    for note in found.notes:
        echo(f"[{note.session_date}] {note.id} by {note.author_id}\n{note.text}\n")
    for name in found.damaged:
        echo(f"warning: note file {name} is damaged and could not be read", err=True)


@notes_app.command("summarise")
@notes_errors
def summarise(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    person: str = As,
    role: Profile = Role,
    note_id: str | None = typer.Option(None, "--note", help="Default: the latest note."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Summarise a note on the local model: action items, owners, dates, next topics."""
    summary = Notebook(workspace_for(data_dir)).summarise(_viewer(person, role), pair_id, note_id)
    if as_json:
        echo(summary.model_dump_json(indent=2))
        return
    echo(f"Summary (worded by the local model {summary.model}, never a cloud one):")
    for bullet in summary.bullets:
        echo(f"- {bullet}")
    echo("Action items (from the notes):")
    for item in summary.action_items:
        due = f", due {item.due}" if item.due else ""
        echo(f"- {item.owner_name}: {item.what}{due}")
    for topic in summary.next_topics:
        echo(f"Next session: {topic}")
    if summary.dropped:
        echo(f"({len(summary.dropped)} model bullet(s) dropped for contradicting the notes)")


@notes_app.command("keygen")
@notes_errors
def keygen(
    path: Path = typer.Argument(..., help="Where to write the new key (must not exist)."),
) -> None:
    """Write a new notes key (mode 0600), e.g. outside the data dir; point
    MENTORKIT_NOTES_KEY_FILE at it before the first note is written."""
    try:
        write_new_key(path)
    except FileExistsError:
        raise ValueError(f"{path} exists; a key is never overwritten") from None
    echo(f"Wrote a new notes key to {path}. Set MENTORKIT_NOTES_KEY_FILE={path}.")
