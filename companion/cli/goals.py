"""`mentorkit goal draft | list | progress`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.goals import Goals, UnknownMentee

goal_app = typer.Typer(help="SMART goals, drafted with the companion.", no_args_is_help=True)


@goal_app.command("draft")
@exits_on(UnknownMentee)
def draft(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    text: str = typer.Argument(
        ..., help="The goal in the mentee's words (add answers to re-draft)."
    ),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Draft a SMART goal: checked per criterion; what is missing comes back as questions."""
    result, stored = Goals(workspace_for(data_dir)).draft(mentee_id, text)
    if as_json:
        payload = {
            "goal_id": stored.id,
            "status": stored.status,
            "passed": result.passed,
            **json.loads(result.model_dump_json()),
        }
        echo(json.dumps(payload, indent=2))
        return
    echo(f"Goal {stored.id} ({stored.status}): {result.goal.statement}")
    for check in result.checks:
        mark = "pass" if check.passed else "needs work"
        echo(f"  {check.criterion:11} {mark}: {check.reason}")
    for question in result.questions:
        echo(f"  ? {question}")


@goal_app.command("list")
def list_goals(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """A mentee's goals with status and progress."""
    goals = Goals(workspace_for(data_dir)).store.for_mentee(mentee_id)
    if as_json:
        echo(json.dumps([json.loads(g.model_dump_json()) for g in goals], indent=2))
        return
    for g in goals:
        due = f", due {g.goal.due_date}" if g.goal.due_date else ""
        echo(f"{g.id} [{g.status}, {g.progress}%{due}] {g.goal.statement}")


@goal_app.command("progress")
@exits_on(ValueError)
def progress(
    goal_id: str = typer.Argument(..., metavar="GOAL_ID"),
    percent: int = typer.Option(..., "--percent", min=0, max=100),
    data_dir: Path | None = DataDir,
) -> None:
    """Record progress on a goal (100% marks it done)."""
    goal = Goals(workspace_for(data_dir)).progress(goal_id, percent)
    echo(f"{goal.id}: {goal.progress}% ({goal.status})")
