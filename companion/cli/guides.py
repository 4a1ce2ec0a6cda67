"""`mentorkit guides add|list|show|remove` and `mentorkit ask`: the guidance library."""

from __future__ import annotations

from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.guides import (
    Audience,
    GuideFormatError,
    GuideLibrary,
    UnknownGuide,
    answer_question,
    audiences_for,
)
from companion.llm import ConfidentialityError
from companion.lookup import did_you_mean
from companion.models import Profile

guides_app = typer.Typer(
    help="Training material and programme guidelines: the companion answers from them.",
    no_args_is_help=True,
)


class UnknownPerson(LookupError):
    pass


@guides_app.command("add")
@exits_on(GuideFormatError, UnknownGuide)
def add_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="Markdown, text, HTML or PDF."
    ),
    audience: Audience = typer.Option(Audience.ALL, "--audience", help="Who may read it."),
    data_dir: Path | None = DataDir,
) -> None:
    """Add a guide (a file of the same name already in the library is replaced)."""
    library = GuideLibrary(workspace_for(data_dir))
    replaced = any(g.source == file.name for g in library.guides())
    info = library.add(file, audience)
    verb = "Replaced" if replaced else "Added"
    echo(
        f"{verb} '{info.title}' ({info.guide_id}): {info.passages} passages, "
        f"{info.words} words, for {_readers(info.audience)}."
    )


def _readers(audience: Audience) -> str:
    return "everyone" if audience == Audience.ALL else f"{audience}s"


@guides_app.command("list")
def list_command(as_json: bool = AsJson, data_dir: Path | None = DataDir) -> None:
    """The guides in the library, with who may read each."""
    guides = GuideLibrary(workspace_for(data_dir)).guides()
    if as_json:
        import json

        rows = [
            {
                "id": g.guide_id,
                "title": g.title,
                "file": g.source,
                "audience": str(g.audience),
                "passages": g.passages,
                "words": g.words,
                "starter": g.starter,
                "added_at": g.added_at.isoformat(),
            }
            for g in guides
        ]
        echo(json.dumps(rows, indent=2))
        return
    if not guides:
        echo("The library is empty: add a guide with `mentorkit guides add FILE`.")
        return
    width = max(len(g.guide_id) for g in guides)
    for g in guides:
        kind = "starter" if g.starter else "added"
        echo(
            f"{g.guide_id:<{width}}  {g.title} — for {_readers(g.audience)}, "
            f"{g.passages} passages, {g.words} words ({kind}, {g.source})"
        )


@guides_app.command("show")
@exits_on(UnknownGuide)
def show_command(
    guide: str = typer.Argument(..., help="The guide's id (see `guides list`) or file name."),
    data_dir: Path | None = DataDir,
) -> None:
    """A guide's text, section by section, as the companion searches it."""
    library = GuideLibrary(workspace_for(data_dir))
    info = library.info(guide)
    echo(f"# {info.title}")
    shown = ""
    for passage in library.passages(guide):
        if passage.heading != shown:
            echo(f"\n## {passage.heading}")
            shown = passage.heading
        echo(f"\n{passage.text}")


@guides_app.command("remove")
@exits_on(UnknownGuide)
def remove_command(
    guide: str = typer.Argument(..., help="The guide's id (see `guides list`) or file name."),
    data_dir: Path | None = DataDir,
) -> None:
    """Take a guide out of the library (a removed starter guide is not added back)."""
    info = GuideLibrary(workspace_for(data_dir)).remove(guide)
    echo(f"Removed '{info.title}' ({info.guide_id}).")


@exits_on(UnknownPerson, ConfidentialityError)
def ask_command(
    question: str = typer.Argument(..., help="Your question, in your own words."),
    person: str | None = typer.Option(
        None,
        "--as",
        help="Your person id: you see the guides for your role (default: "
        "the coordinator's view, every guide).",
    ),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Ask the programme's guides: an answer with the passages it comes from."""
    workspace = workspace_for(data_dir)
    if person is None:
        profiles = [Profile.COORDINATOR]
    else:
        found = workspace.store.get(person)
        if found is None:
            hint = did_you_mean(person, workspace.store.people())
            raise UnknownPerson(f"no person {person!r} in the programme{hint}")
        roles = ((Profile.MENTEE, found.role.mentees), (Profile.MENTOR, found.role.mentors))
        profiles = [profile for profile, held in roles if held]
    answer = answer_question(
        GuideLibrary(workspace), question, audiences_for(profiles), workspace.gateway
    )
    echo(answer.model_dump_json(indent=2) if as_json else answer.text())
