"""`mentorkit meetings | checkin | checkins | health | end`: the relationship after the match.

Every command takes `--today YYYY-MM-DD` (or MENTORKIT_TODAY) to act as of another day.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on
from companion.lifecycle import (
    CheckIns,
    Endings,
    Health,
    LifecycleError,
    MeetingMode,
    Meetings,
    Nudges,
    Outcome,
    parse_status,
    who_sees,
)
from companion.lifecycle.meetings import pair_of
from companion.models import Profile, Viewer
from companion.settings import Settings
from companion.workspace import Workspace

meetings_app = typer.Typer(help="Meetings a pair has held.", no_args_is_help=True)
checkins_app = typer.Typer(help="Pulse check-ins (coordinators see all).", no_args_is_help=True)
Today = typer.Option(
    None,
    "--today",
    formats=["%Y-%m-%d"],
    envvar="MENTORKIT_TODAY",
    help="Act as of this day (default: the system's date).",
)
As = typer.Option(..., "--as", help="Your person id (a member of the pair).")
lifecycle_errors = exits_on(LifecycleError)
OUTCOMES = ", ".join(outcome.value for outcome in Outcome)


def _workspace(data_dir: Path | None, today: dt.datetime | None) -> Workspace:
    fields: dict = {}
    if data_dir is not None:
        fields["data_dir"] = data_dir
    if today is not None:
        fields["today"] = today.date()
    return Workspace(Settings(**fields))


def _names(workspace: Workspace) -> dict[str, str]:
    return {p.id: p.name for p in workspace.store.people()}


@meetings_app.command("log")
@lifecycle_errors
def log_meeting(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    on: dt.datetime = typer.Option(..., "--date", formats=["%Y-%m-%d"], help="The day it was."),
    minutes: int = typer.Option(..., "--minutes", help="How long (1-600)."),
    person: str = As,
    mode: MeetingMode = typer.Option(MeetingMode.VIDEO, "--mode"),
    goals: list[str] = typer.Option([], "--goal", help="A goal id it touched (repeatable)."),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Log a meeting (both members logging the same day count once)."""
    workspace = _workspace(data_dir, today)
    meetings = Meetings(workspace)
    before = meetings.earlier_entry(pair_id, on.date(), person)
    meeting = meetings.log(pair_id, on.date(), minutes, person, mode, goals)
    if before is not None:
        echo(f"(This replaces your earlier entry for that day: {before.minutes} min, "
             f"{before.mode}.)")  # fmt: skip
    pace = meetings.pace(pair_of(workspace, meeting.match_id))
    echo(f"Logged a {meeting.minutes}-minute {meeting.mode} meeting on {meeting.on:%-d %B %Y}.")
    echo(pace.describe().capitalize() + ".")


@meetings_app.command("list")
@lifecycle_errors
def list_meetings(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """The pair's meetings, oldest first, and their pace."""
    workspace = _workspace(data_dir, today)
    meetings = Meetings(workspace)
    found = meetings.of_pair(pair_id)
    pace = meetings.pace(pair_of(workspace, pair_id), found)
    names = _names(workspace)
    if as_json:
        rows = [m.model_dump(mode="json") for m in found]
        summary = {"pace": pace.pace.value, "held": pace.held, "expected": pace.expected}
        echo(json.dumps({"meetings": rows, **summary, "minimum": pace.minimum}, indent=2))
        return
    for m in found:
        echo(f"{m.on:%a %-d %b %Y}  {m.minutes:>3} min  {m.mode:<9} logged by "
             f"{names.get(m.logged_by, m.logged_by)}")  # fmt: skip
    echo(pace.describe().capitalize() + ".")


def checkin_command(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    person: str = As,
    value: int = typer.Option(..., "--value", help="How valuable mentoring has been (1-5)."),
    progress: int = typer.Option(..., "--progress", help="Progress toward your goals (1-5)."),
    comment: str = typer.Option("", "--comment", help="Anything to add (optional)."),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Answer your check-in."""
    workspace = _workspace(data_dir, today)
    answer = CheckIns(workspace).answer(pair_id, person, value, progress, comment)
    echo(f"Thank you: check-in {answer.due} recorded (value {answer.value}, progress "
         f"{answer.progress}).")  # fmt: skip
    echo(who_sees(pair_of(workspace, answer.match_id), person))


@checkins_app.command("list")
@lifecycle_errors
def list_checkins(
    pair_id: str | None = typer.Option(None, "--pair", help="Only this pair."),
    person: str | None = typer.Option(
        None, "--as", help="A member: only your own answers (default: the coordinator's view)."
    ),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Check-in answers: a coordinator sees all; a member only their own."""
    workspace = _workspace(data_dir, today)
    role = Profile.COORDINATOR if person is None else Profile.MENTEE
    if person is not None and workspace.store.get(person) is None:
        raise LifecycleError(f"--as: no person with id {person!r}")
    viewer = Viewer(person_id=person, role=role)
    found = CheckIns(workspace).visible(viewer, pair_id)
    if as_json:
        echo(json.dumps([c.model_dump(mode="json") for c in found], indent=2))
        return
    names = _names(workspace)
    if not found:
        echo("No check-ins yet.")
    for c in found:
        mood = f" [{c.sentiment}]" if c.sentiment else ""
        echo(f"{c.answered_at:%-d %b %Y}  {names.get(c.person_id, c.person_id)} ({c.due}): "
             f"value {c.value}, progress {c.progress}{mood} {c.comment}".rstrip())  # fmt: skip


def health_command(
    status: str | None = typer.Option(
        None, "--status", help="Only pairs with this status: stalled, at-risk or healthy."
    ),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Active pairs needing attention, worst first, with reasons and a next step."""
    try:
        wanted = parse_status(status)
    except ValueError:
        echo(f"error: --status: {status!r} is not stalled, at-risk or healthy", err=True)
        raise typer.Exit(1) from None
    pairs = Health(_workspace(data_dir, today)).pairs()
    shown = [p for p in pairs if wanted is None or p.status == wanted]
    if as_json:
        echo(json.dumps([p.as_dict() for p in shown], indent=2))
        return
    counts = {s: sum(p.status == s for p in pairs) for s in ("stalled", "at-risk", "healthy")}
    echo(f"{len(pairs)} active pairs: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    for p in shown:
        echo(f"\n[{p.status}] {p.mentee_name} (mentee) with {p.mentor_name} (mentor), "
             f"pair {p.match.id}")  # fmt: skip
        for reason in p.reasons:
            echo(f"  - {reason.text}")
        echo(f"  next: {p.next_step}")


def end_command(
    pair_id: str = typer.Argument(..., metavar="PAIR_ID"),
    outcome: str = typer.Option(..., "--outcome", help="One of: " + OUTCOMES),
    person: str | None = typer.Option(None, "--as", help="A member ending their own pair."),
    by: str | None = typer.Option(None, "--by", help="A coordinator's name."),
    reason: str = typer.Option("", "--reason", help="Private: coordinators only."),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """End a relationship (no-fault endings: --outcome not-a-good-fit)."""
    if (person is None) == (by is None):
        echo("error: give one of --as PERSON_ID (a member) or --by NAME (a coordinator), "
             "not both", err=True)  # fmt: skip
        raise typer.Exit(1)
    workspace = _workspace(data_dir, today)
    role = Profile.COORDINATOR if by else Profile.MENTEE
    match = Endings(workspace).end(pair_id, by or person or "", role, outcome, reason)
    names = _names(workspace)
    echo(f"Ended: {names.get(match.mentee_id)} with {names.get(match.mentor_id)} "
         f"({match.events[-1].reason}). The mentor's place is free again; both will be asked "
         "a closing check-in.")  # fmt: skip


def close_command(
    by: str = typer.Option(..., "--by", help="The coordinator closing it."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would end; change nothing."),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """After the programme's end date: end every active pair as 'programme ended'."""
    endings = Endings(_workspace(data_dir, today))
    if dry_run:
        active = endings.active_after_end()
        echo(f"Would end {len(active)} active pairs as 'programme ended'; nothing changed.")
        return
    ended = endings.close_programme(by)
    echo(f"Closed the programme: {len(ended)} active pairs ended." if ended else
         "Nothing to close: no active pairs.")  # fmt: skip


checkin_command = lifecycle_errors(checkin_command)
health_command = lifecycle_errors(health_command)
end_command = lifecycle_errors(end_command)
close_command = lifecycle_errors(close_command)


nudges_app = typer.Typer(help="Reminders to members (in the app, and by email if set).")


@nudges_app.command("send")
@lifecycle_errors
def send_nudges(
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would go; change nothing."),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Make today's nudges and email every pending one (safe to run from cron: a second run
    sends nothing new)."""
    workspace = _workspace(data_dir, today)
    report = Nudges(workspace).send(dry_run=dry_run)
    if as_json:
        echo(report.model_dump_json(indent=2))
        return
    names = _names(workspace)
    verb = "Would make" if dry_run else "Made"
    echo(f"{verb} {len(report.planned)} new nudges.")
    for nudge in report.planned:
        echo(f"  to {names.get(nudge.person_id, nudge.person_id)} ({nudge.kind}): {nudge.text}")
    if not report.email:
        echo("Email is off (set MENTORKIT_SMTP__HOST): nudges are shown in the companion.")
    elif not dry_run:
        echo(f"Emailed {len(report.emailed)}; {len(report.failed)} failed and stay pending.")
        people = {n.id: n.person_id for n in Nudges(workspace).all()}
        for nudge_id, error in report.failed.items():
            echo(f"  to {names.get(people.get(nudge_id, ''), nudge_id)}: {error}")
    if not report.planned and not dry_run and not report.failed:
        echo("Nothing new is due.")
    if report.failed:
        raise typer.Exit(1)  # cron sees the failure; the nudges stay pending for the next run
