"""`mentorkit goal draft | check | list | progress`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.goals import GoalDraft, Goals, UnknownMentee, draft_smart_goal

goal_app = typer.Typer(help="SMART goals, drafted with the companion.", no_args_is_help=True)


def _print_draft(result: GoalDraft) -> None:
    echo(f"Goal: {result.goal.statement}")
    for check in result.checks:
        mark = "pass" if check.passed else "needs work"
        echo(f"  {check.criterion:11} {mark}: {check.reason}")
    for question in result.questions[:1]:
        echo(f"  ? {question}")


@goal_app.command("draft")
@exits_on(UnknownMentee, ValueError)
def draft(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    text: str = typer.Argument(..., help="The goal in the mentee's words."),
    save: bool = typer.Option(False, "--save", help="Keep it (only a goal that passes)."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Draft a SMART goal: checked per criterion; what is missing comes back as a question.
    Nothing is kept unless --save is given and the goal passes every check."""
    goals = Goals(workspace_for(data_dir))
    result = goals.draft(mentee_id, text)
    stored = goals.confirm(mentee_id, result) if save else None
    if as_json:
        payload = {
            "goal_id": stored.id if stored else None,
            "saved": stored is not None,
            "passed": result.passed,
            **json.loads(result.model_dump_json()),
        }
        echo(json.dumps(payload, indent=2))
        return
    _print_draft(result)
    if stored:
        echo(f"Saved as {stored.id}.")
    elif result.passed:
        echo("It passes: add --save to keep it.")


@goal_app.command("check")
@exits_on(UnknownMentee)
def check(
    text: str = typer.Argument(..., help="A goal, as written."),
    mentee_id: str | None = typer.Option(
        None, "--mentee", help="Judge relevance against this mentee's wanted skills."
    ),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Run the SMART checker alone: each criterion, pass or fail, with its reason."""
    goals = Goals(workspace_for(data_dir))
    ctx = goals.context(goals.mentee(mentee_id)) if mentee_id else goals.context(None)
    result = draft_smart_goal(text, ctx)
    if as_json:
        slots = result.goal.slots.model_dump(mode="json") if result.goal.slots else {}
        echo(
            json.dumps(
                {
                    "text": text,
                    "passed": result.passed,
                    "slots": slots,
                    "checks": [c.model_dump() for c in result.checks],
                },
                indent=2,
            )
        )
        return
    _print_draft(result)


@goal_app.command("list")
def list_goals(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    everything: bool = typer.Option(
        False, "--all", help="Also drafts that earlier versions saved as goals."
    ),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """A mentee's goals with status and progress."""
    service = Goals(workspace_for(data_dir))
    goals = service.store.for_mentee(mentee_id) if everything else service.confirmed(mentee_id)
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
