"""The `mentorkit` command line: thin commands over the companion's use cases."""

from __future__ import annotations

import typer

from companion.cli.demo import demo_command, programme_app
from companion.cli.fairness import attributes_app, fairness_command
from companion.cli.goals import goal_app
from companion.cli.guides import ask_command, guides_app
from companion.cli.lifecycle import (
    checkin_command,
    checkins_app,
    close_command,
    end_command,
    health_command,
    meetings_app,
    nudges_app,
)
from companion.cli.matching import (
    match_command,
    matches_app,
    request_command,
    respond_command,
    review_app,
    skills_app,
    suggest_command,
)
from companion.cli.notes import notes_app
from companion.cli.outcomes import (
    export_command,
    metrics_command,
    outcomes_app,
    report_command,
)
from companion.cli.people import import_command, people_app
from companion.cli.serve import serve_command
from companion.cli.sessions import agenda_command, questions_command
from companion.cli.users import users_app

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
app.command("suggest")(suggest_command)
app.command("match")(match_command)
app.command("request")(request_command)
app.command("respond")(respond_command)
app.add_typer(review_app, name="review")
app.add_typer(matches_app, name="matches")
app.add_typer(skills_app, name="skills")
app.add_typer(notes_app, name="notes")
app.add_typer(goal_app, name="goal")
app.command("agenda")(agenda_command)
app.command("questions")(questions_command)
app.add_typer(meetings_app, name="meetings")
app.command("checkin")(checkin_command)
app.add_typer(checkins_app, name="checkins")
app.command("health")(health_command)
app.command("end")(end_command)
programme_app.command("close")(close_command)
app.add_typer(nudges_app, name="nudges")
app.command("metrics")(metrics_command)
app.command("fairness")(fairness_command)
app.add_typer(attributes_app, name="attributes")
app.add_typer(outcomes_app, name="outcomes")
app.command("export")(export_command)
app.command("report")(report_command)
app.add_typer(guides_app, name="guides")
app.command("ask")(ask_command)
app.add_typer(users_app, name="users")
app.command("serve")(serve_command)


def main() -> None:
    app()
