"""`mentorkit metrics`: is the programme working? (For coordinators.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from companion.cli.lifecycle import Today, _workspace
from companion.cli.options import AsJson, DataDir, echo

Since = typer.Option(
    None,
    "--since",
    formats=["%Y-%m-%d"],
    help="Only people who signed up, pairs accepted, check-ins answered and goals set from "
    "this day.",
)


def percent(value: float | None) -> str:
    if value is None:
        return "-"
    return "<1%" if 0 < value < 0.005 else f"{100 * value:.0f}%"


def metrics_command(
    as_json: bool = AsJson,
    since: dt.datetime | None = Since,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """The programme's funnel, meetings, check-ins, goals, mentor load and skill coverage."""
    from companion.outcomes.metrics import programme_metrics

    figures = programme_metrics(_workspace(data_dir, today), since.date() if since else None)
    if as_json:
        echo(json.dumps(figures, indent=2))
        return
    for line in metrics_text(figures):
        echo(line)


def metrics_text(m: dict[str, Any]) -> list[str]:
    since = f", since {m['since']}" if m["since"] else ""
    lines = [f"{m['programme'] or 'Programme'}: outcomes as of {m['today']}{since}", "", "Funnel"]
    for step in m["funnel"]["steps"]:
        of = step["of_wanting"]
        tail = f"  ({percent(of)} of those wanting a mentor)" if of is not None else ""
        lines.append(f"  {step['step']:<28}{step['people']:>6}{tail}")
    wait = m["funnel"]["time_to_match_days"]
    if wait["n"]:
        unknown = wait["unknown_sign_up"]
        note = f"; {unknown} without a sign-up day" if unknown else ""
        lines.append(
            f"  sign-up to match: median {wait['median']:g} days, 90th percentile "
            f"{wait['p90']:g} days ({wait['n']} people{note})"
        )
    return (
        lines
        + _meeting_lines(m["meetings"])
        + _checkin_lines(m["checkins"])
        + (_goal_lines(m["goals"]) + _load_lines(m["mentor_load"]) + _skill_lines(m["skills"]))
    )


def _meeting_lines(meet: dict[str, Any]) -> list[str]:
    per_pair = ", ".join(f"{n}: {count}" for n, count in meet["per_pair"].items()) or "-"
    return [
        "",
        "Meetings",
        f"  {meet['pairs']} pairs ({meet['active']} active); pairs by meetings held: {per_pair}",
        f"  at or above the minimum of {meet['minimum']}: {meet['at_or_above_minimum']} "
        f"({percent(meet['share_at_or_above_minimum'])})",
        f"  ended early (within {meet['early_days']} days, goals not achieved): "
        f"{meet['early_closures']} ({percent(meet['early_closure_rate'])} of pairs)",
    ]


def _checkin_lines(c: dict[str, Any]) -> list[str]:
    lines = [
        "",
        "Check-ins",
        f"  answered {c['answered']} of {c['due']} due ({percent(c['response_rate'])})",
    ]
    for month in c["by_month"]:
        feel = month["sentiment"]
        mood = (
            f"; comments {percent(feel['positive'])} positive, {percent(feel['negative'])} negative"
            if month["comments"]
            else ""
        )
        lines.append(
            f"  {month['month']}: {month['answered']} answers, value {month['mean_value']:.1f}/5, "
            f"progress {month['mean_progress']:.1f}/5{mood}"
        )
    return lines


def _goal_lines(g: dict[str, Any]) -> list[str]:
    bands = ", ".join(f"{name}: {n}" for name, n in g["progress"].items())
    return [
        "",
        "Goals",
        f"  {g['confirmed']} confirmed, {g['completed']} completed, {g['dropped']} dropped; "
        f"{g['pairs_without_goal']} pairs without a goal",
        f"  progress: {bands}",
    ]


def _load_lines(load: dict[str, Any]) -> list[str]:
    over = f", {load['over_capacity']} over capacity" if load["over_capacity"] else ""
    return [
        "",
        "Mentor load",
        f"  {load['places_used']} of {load['places']} places used ({percent(load['share_used'])}); "
        f"{load['full']} mentors full, {load['with_free_places']} with free places, "
        f"{load['without_mentees']} without a mentee{over}",
    ]


def _skill_lines(sk: dict[str, Any]) -> list[str]:
    lines = ["", f"Skills (a mentor covers a skill with a phrase at similarity {sk['floor']:g}+)"]
    width = max((len(r["skill"]) for r in sk["most_wanted"] + sk["least_covered"]), default=0)
    for heading in ("most_wanted", "least_covered"):
        lines.append(f"  {heading.replace('_', ' ')}:")
        lines += [
            f"    {r['skill']:<{width}}  {plural(r['mentees'], 'mentee'):>12} wanting, "
            f"{plural(r['mentors'], 'mentor'):>11} covering "
            f"({plural(r['free_places'], 'free place')})"
            for r in sk[heading]
        ]
    return lines


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
