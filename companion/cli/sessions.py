"""`mentorkit agenda` and `mentorkit questions`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.goals import UnknownMentee
from companion.llm import ConfidentialityError, ModelUnavailable
from companion.models import Profile
from companion.notes import NotesAccessDenied, NotesKeyError, Viewer
from companion.sessions import Sessions


@exits_on(NotesAccessDenied, NotesKeyError, ValueError, ConfidentialityError, ModelUnavailable)
def agenda_command(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    minutes: int = typer.Option(30, "--minutes", min=9, max=240),
    person: str = typer.Option(..., "--as", help="Your person id (a member of the pair)."),
    role: Profile = typer.Option(Profile.MENTOR, "--role", help="In which capacity you act."),
    wording: bool = typer.Option(
        True,
        "--wording/--no-wording",
        help="Let the local model reword the lines (facts are checked).",
    ),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """The next session's timed agenda and prompts for the mentor."""
    agenda = Sessions(workspace_for(data_dir)).agenda(
        Viewer(person_id=person, role=role), pair_id, minutes, wording
    )
    if as_json:
        echo(agenda.model_dump_json(indent=2))
        return
    echo(f"Agenda, {agenda.minutes} minutes:")
    for item in agenda.items:
        echo(f"  {item.minutes:3} min  {item.title}")
    echo("Prompts for the mentor:")
    for prompt in agenda.prompts:
        echo(f"  - {prompt}")
    if agenda.guide is not None:
        echo(f"Before your first session, read: {agenda.guide.label()}")
        echo(f'  (mentorkit ask "how should I run the first session?" --as {person})')


@exits_on(UnknownMentee, ValueError)
def questions_command(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    goal_id: str | None = typer.Option(None, "--goal", help="Default: the latest goal."),
    since: str = typer.Option("", "--since", help="What happened since the last session."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """3-5 concrete questions to bring to the next session (saved for the agenda)."""
    questions = Sessions(workspace_for(data_dir)).questions(mentee_id, goal_id, since)
    if as_json:
        echo(json.dumps(questions, indent=2))
        return
    for question in questions:
        echo(f"- {question}")
