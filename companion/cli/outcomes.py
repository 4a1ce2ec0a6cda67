"""`mentorkit metrics`: is the programme working? (For coordinators.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from companion.cli.lifecycle import Today, _workspace
from companion.cli.options import AsJson, DataDir, echo, exits_on
from companion.outcomes.errors import UnknownMetric

Since = typer.Option(
    None,
    "--since",
    formats=["%Y-%m-%d"],
    help="Only people who signed up, pairs accepted, check-ins answered and goals set from "
    "this day.",
)


Format = typer.Option(None, "--format", help="csv, json or jsonl (default: by suffix).")


def percent(value: float | None) -> str:
    from companion.outcomes.metrics import as_percent

    return as_percent(value)


def metrics_command(
    as_json: bool = AsJson,
    since: dt.datetime | None = Since,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """The programme's funnel, meetings, check-ins, goals, mentor load and skill coverage."""
    from companion.outcomes.metrics import programme_metrics

    workspace = _workspace(data_dir, today)
    if since is not None and since.date() > workspace.settings.current_date():
        echo(f"error: --since: {since:%Y-%m-%d} is in the future", err=True)
        raise typer.Exit(1)
    figures = programme_metrics(workspace, since.date() if since else None)
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
    lines += _meeting_lines(m["meetings"]) + _checkin_lines(m["checkins"])
    lines += _goal_lines(m["goals"]) + _load_lines(m["mentor_load"]) + _skill_lines(m["skills"])
    if not m["since"]:
        return lines
    day = m["since"]
    scope = {
        "Funnel": f"Funnel (people who signed up from {day})",
        "Meetings": f"Meetings (pairs accepted from {day})",
        "Check-ins": f"Check-ins (due from {day}; by month: answered from {day})",
        "Goals": f"Goals (set from {day})",
    }
    return [scope.get(line, line) for line in lines]


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
        so_far = " (so far)" if month.get("partial") else ""
        mood = (
            f"; comments {percent(feel['positive'])} positive, {percent(feel['negative'])} negative"
            if month["comments"]
            else ""
        )
        lines.append(
            f"  {month['month']}{so_far}: {month['answered']} answers, "
            f"value {month['mean_value']:.1f}/5, "
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
        "Mentor load (today)",
        f"  {load['places_used']} of {load['places']} places used ({percent(load['share_used'])}); "
        f"{load['full']} mentors full, {load['with_free_places']} with free places, "
        f"{load['without_mentees']} without a mentee{over}",
    ]


def _skill_lines(sk: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"Skills today (a mentor covers a skill with a phrase at similarity {sk['floor']:g}+)",
    ]
    width = max((len(r["skill"]) for r in sk["most_wanted"] + sk["least_covered"]), default=0)
    headings = {
        "most_wanted": "most wanted",
        "least_covered": "least covered (fewest covering mentors per mentee wanting)",
    }
    for key, heading in headings.items():
        lines.append(f"  {heading}:")
        lines += [
            f"    {r['skill']:<{width}}  {r['mentees']:>4} {noun(r['mentees'], 'mentee'):<7} "
            f"wanting, {r['mentors']:>4} {noun(r['mentors'], 'mentor'):<7} covering "
            f"({plural(r['free_places'], 'free place')})"
            for r in sk[key]
        ]
    return lines


def noun(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


outcomes_app = typer.Typer(
    help="Outcomes of participants and non-participants, and the comparison.",
    no_args_is_help=True,
)


@outcomes_app.command("import")
def import_outcomes(
    file: Path = typer.Argument(
        ...,
        help="A .csv, .json or .jsonl file: person_id, metric, value, date "
        "(+ seniority, department for people outside the programme).",
    ),
    fmt: str | None = Format,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Import outcome rows; any bad row refuses the file and nothing is written."""
    from companion.imports.problems import ImportFailed
    from companion.outcomes.compare import participants
    from companion.outcomes.control import OutcomeStore

    workspace = _workspace(data_dir, today)
    try:
        rows = OutcomeStore(workspace.settings.store_dir).import_file(
            file, workspace.store.people(), workspace.settings.current_date(),
            workspace.settings.imports, fmt,
        )  # fmt: skip
    except ImportFailed as failure:
        for problem in failure.problems:
            echo(str(problem), err=True)
        echo(f"Import refused: {len(failure.problems)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1) from None
    taking_part = participants(workspace)
    inside = {r.person_id for r in rows if r.person_id in taking_part}
    outside = {r.person_id for r in rows} - inside
    metrics = sorted({r.metric for r in rows})
    echo(f"Imported {len(rows)} outcome rows ({', '.join(metrics)}) of {len(inside)} "
         f"participants and {len(outside)} other people.")  # fmt: skip
    echo("Compare them with: mentorkit outcomes compare")


@outcomes_app.command("compare")
@exits_on(UnknownMetric)
def compare_outcomes(
    metric: str | None = typer.Option(None, "--metric", help="Only this metric."),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Participants against non-participants: raw and adjusted difference, 95% interval,
    permutation p-value, group sizes and cautions."""
    from companion.outcomes.compare import compare, in_words

    found = compare(_workspace(data_dir, today), metric)
    if as_json:
        echo(json.dumps(found, indent=2))
        return
    if not found:
        echo("No outcomes imported yet: mentorkit outcomes import FILE")
    else:
        echo("Participants: mentees who have been in an accepted pair. Non-participants: "
             "everyone else with the metric, programme mentees never matched included; people "
             "who only mentored are in neither group.\n")  # fmt: skip
    for c in found:
        echo(in_words(c))
        if c.get("adjusted_difference") is not None:
            shown = "{:.0%}" if c["kind"] == "binary" else "{:.1f}"
            echo(f"  participants {c['participants']} "
                 f"(mean {shown.format(c['participants_mean'])}), "
                 f"non-participants {c['non_participants']} "
                 f"(mean {shown.format(c['non_participants_mean'])}); "
                 f"adjusted by {c['method']}")  # fmt: skip
            for caution in c["caution"]:
                echo(f"  caution: {caution}")
        echo("")


def export_command(
    out: Path = typer.Option(
        ..., "--out", help="Folder to write into (created if needed).", file_okay=False
    ),
    fmt: str = typer.Option("csv", "--format", help="csv or parquet."),
    with_attributes: bool = typer.Option(
        False, "--with-attributes", help="Add the coordinator-held attributes to people."
    ),
    with_comments: bool = typer.Option(False, "--with-comments", help="Add check-in comments."),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """People, pairs and events, meetings, check-ins, goals and metrics as files. Never a
    confidential note or summary."""
    from companion.outcomes.export import export

    if fmt not in ("csv", "parquet"):
        echo(f"error: --format: {fmt!r} is not csv or parquet", err=True)
        raise typer.Exit(1)
    if out.exists() and not out.is_dir():
        echo(f"error: --out: {out} is a file, not a folder", err=True)
        raise typer.Exit(1)
    written = export(_workspace(data_dir, today), out, fmt, with_attributes, with_comments)  # type: ignore[arg-type]
    for name, rows in written.items():
        echo(f"  {out / name}" + ("" if name.endswith(".json") else f"  ({rows} rows)"))
    left = [
        w
        for w, on in (("attributes", with_attributes), ("check-in comments", with_comments))
        if not on
    ]
    echo(f"Exported to {out}. Never included: confidential notes and their summaries"
         + (f"; left out (ask with --with-...): {', '.join(left)}." if left else "."))  # fmt: skip


def report_command(
    out: Path = typer.Option(
        Path("report.html"), "--out", help="The HTML file to write.", dir_okay=False
    ),
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """One self-contained HTML report (opens offline): funnel, meetings, health over time,
    check-ins, skills, fairness and the comparison."""
    from companion.outcomes.report import write_report

    if out.is_dir():
        echo(f"error: --out: {out} is a folder; give a file name such as report.html", err=True)
        raise typer.Exit(1)
    write_report(_workspace(data_dir, today), out)
    echo(
        f"Wrote {out} ({out.stat().st_size // 1024} KB): open it in any browser, no network needed."
    )
