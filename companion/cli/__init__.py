"""The `mentorkit` command line: thin commands over the companion's use cases."""

from __future__ import annotations

import typer

from companion.cli.demo import demo_command, programme_app
from companion.cli.people import import_command, people_app

app = typer.Typer(
    name="mentorkit",
    help="Self-hosted mentoring companion: import people, match, and support each pair.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("import")(import_command)
app.command("demo")(demo_command)
app.add_typer(people_app, name="people")
app.add_typer(programme_app, name="programme")


def main() -> None:
    app()
