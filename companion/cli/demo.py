"""`mentorkit demo` and `mentorkit programme ...`."""

from __future__ import annotations

import datetime as dt
import json
import shlex
from pathlib import Path

import typer
from pydantic import ValidationError

from companion.cli.options import AsJson, DataDir, echo, workspace_for
from companion.demo import DemoSummary, run_demo
from companion.demo.accounts import DEMO_PASSWORD, create_demo_accounts
from companion.models import Programme

programme_app = typer.Typer(help="The mentoring programme.", no_args_is_help=True)


def demo_command(
    people: int | None = typer.Option(
        None, "--people", min=40, help="Organisation size (default 300)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="Generator seed (default 7)."),
    accounts: bool = typer.Option(
        True, "--accounts/--no-accounts", help="Create demo sign-ins for the chat UI."
    ),
    history: bool = typer.Option(
        True,
        "--history/--no-history",
        help="Start the programme weeks ago and fill in what happened since (matches, "
        "meetings, check-ins, endings), so that health and dashboards have something real.",
    ),
    data_dir: Path | None = DataDir,
) -> None:
    """Build a realistic demo organisation from O*NET data and load it through the importer."""
    workspace = workspace_for(data_dir)
    summary = run_demo(workspace, people, seed, history)
    echo(format_summary(summary, data_dir))
    if accounts:
        made = create_demo_accounts(workspace)
        echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for account in made:
            person = workspace.store.get(account.person_id) if account.person_id else None
            who = f" as {person.name} ({person.id})" if person else ""
            echo(f"  {account.username:12} {', '.join(account.roles)}{who}")


def format_summary(s: DemoSummary, data_dir: Path | None = None) -> str:
    roles = ", ".join(f"{count} {role}" for role, count in sorted(s.roles.items()))
    lines = [
        f"Demo organisation: {s.people} people ({roles})",
        f"  programme:   {s.programme.name}, {s.programme.start_date} to {s.programme.end_date}, "
        f"at least {s.programme.min_meetings} meetings per pair",
        f"  departments: {', '.join(f'{d} {n}' for d, n in s.departments.items())}",
        f"  offices:     {', '.join(f'{o} {n}' for o, n in s.offices.items())}",
        f"  mentoring:   {s.mentees} people want a mentor; mentors offer {s.mentor_places} places",
        f"  most wanted: {', '.join(f'{w} ({n})' for w, n in s.top_wanted)}",
        f"  imported:    {len(s.report.inserted)} new, {len(s.report.updated)} updated, "
        f"{len(s.report.unchanged)} unchanged from {s.csv_path}",
        f"  embeddings:  {s.embedded} texts embedded, {s.cache_hits} from cache "
        f"({s.seconds:.1f} s in all)",
    ]
    if s.history:
        h = s.history
        lines.append(
            f"  history:     {h['pairs']} pairs matched at launch, {h['meetings']} meetings, "
            f"{h['checkins']} check-ins, {h['goals']} goals, {h['ended']} ended early or done"
        )
        if "outcome_rows" in h:
            lines.append(
                f"  outcomes:    {h['outcome_rows']} outcome rows, {h['non_participants']} of "
                "people who never joined (a comparison group), and a work-pattern attribute"
            )
    where = f" --data-dir {shlex.quote(str(data_dir))}" if data_dir else ""
    lines.append(f"Next: `mentorkit people list{where}`, `mentorkit health{where}`.")
    if s.history:
        lines.append(f"Outcomes: `mentorkit metrics{where}`, `mentorkit fairness --by work_pattern"
                     f"{where}`, `mentorkit outcomes compare{where}`.")  # fmt: skip
    return "\n".join(lines)


@programme_app.command("show")
def show_programme(as_json: bool = AsJson, data_dir: Path | None = DataDir) -> None:
    """The programme's name, dates and minimum meetings."""
    programme = workspace_for(data_dir).store.programme()
    if programme is None:
        echo("No programme yet. Run `mentorkit programme set` or `mentorkit demo`.", err=True)
        raise typer.Exit(1)
    if as_json:
        echo(json.dumps(programme.model_dump(mode="json"), indent=2))
        return
    echo(
        f"{programme.name}: {programme.start_date} to {programme.end_date}, "
        f"at least {programme.min_meetings} meetings per pair"
    )


@programme_app.command("set")
def set_programme(
    name: str = typer.Option(..., "--name"),
    start: dt.datetime = typer.Option(..., "--start", formats=["%Y-%m-%d"]),
    end: dt.datetime = typer.Option(..., "--end", formats=["%Y-%m-%d"]),
    min_meetings: int = typer.Option(3, "--min-meetings"),
    data_dir: Path | None = DataDir,
) -> None:
    """Set the programme (replaces the current one)."""
    try:
        programme = Programme(
            name=name, start_date=start.date(), end_date=end.date(), min_meetings=min_meetings
        )
    except ValidationError as err:
        for error in err.errors(include_url=False):
            field = ".".join(str(p) for p in error["loc"]) or "programme"
            echo(f"error: {field}: {error['msg']}", err=True)
        raise typer.Exit(1) from None
    workspace_for(data_dir).store.set_programme(programme)
    echo(f"Programme set: {programme.name}")
