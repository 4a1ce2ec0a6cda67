"""`mentorkit fairness` and `mentorkit attributes`: is matching fair, by group? (For
coordinators; attributes are theirs alone.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from companion.cli.lifecycle import Today, _workspace
from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.cli.outcomes import Format
from companion.outcomes.errors import UnknownGrouping

attributes_app = typer.Typer(
    help="Attributes coordinators hold for the fairness audit (never matched on, embedded, "
    "shown to members or sent to a model).",
    no_args_is_help=True,
)


@attributes_app.command("import")
def import_attributes(
    file: Path = typer.Argument(
        ..., help="A .csv, .json or .jsonl file: person_id plus any columns."
    ),
    fmt: str | None = Format,
    data_dir: Path | None = DataDir,
) -> None:
    """Import attributes; any bad row refuses the file and nothing is written."""
    from companion.imports.problems import ImportFailed
    from companion.outcomes.attributes import Attributes

    workspace = workspace_for(data_dir)
    try:
        report = Attributes(workspace.settings.store_dir).import_file(
            file, workspace.store.people(), workspace.settings.imports, fmt
        )
    except ImportFailed as failure:
        for problem in failure.problems:
            echo(str(problem), err=True)
        echo(f"Import refused: {len(failure.problems)} problem(s); nothing was written.", err=True)
        raise typer.Exit(1) from None
    echo(f"Imported attributes of {len(report.people)} people from {report.file}: "
         f"{', '.join(report.columns) or 'no values'}. Blank cells leave stored values as "
         "they were.")  # fmt: skip
    echo(
        "Use them with: mentorkit fairness --by "
        + (report.columns[0] if report.columns else "NAME")
    )


@attributes_app.command("list")
def list_attributes(data_dir: Path | None = DataDir) -> None:
    """The attribute columns held, and how many people have each (values are not shown)."""
    from companion.models import Profile, Viewer
    from companion.outcomes.attributes import Attributes

    held = Attributes(workspace_for(data_dir).settings.store_dir).read(
        Viewer(role=Profile.COORDINATOR)
    )
    columns = sorted({c for values in held.values() for c in values})
    if not columns:
        echo("No attributes imported yet: mentorkit attributes import FILE")
    for column in columns:
        echo(f"{column}: {sum(column in v for v in held.values())} people")


@exits_on(UnknownGrouping)
def fairness_command(
    by: str = typer.Option(
        "department", "--by", help="department, location, seniority, track or an attribute."
    ),
    as_json: bool = AsJson,
    today: dt.datetime | None = Today,
    data_dir: Path | None = DataDir,
) -> None:
    """Matching by group: matched rate, score, days to match, early closures, with gaps."""
    from companion.outcomes.fairness import audit

    table = audit(_workspace(data_dir, today), by)
    if as_json:
        echo(json.dumps(table, indent=2))
        return
    for line in fairness_text(table):
        echo(line)


FAIRNESS_LABELS = {
    "matched_rate": ("matched", "rate"),
    "mean_score": ("mean match score", "score"),
    "median_days_to_match": ("median days to match", "days"),
    "early_closure_rate": ("early closures", "rate"),
}


def _figure(value: float | None, kind: str, signed: bool = False) -> str:
    if value is None:
        return "-"
    sign = "+" if signed else ""
    if kind == "rate":
        return f"{100 * value:{sign}.0f} pts" if signed else f"{100 * value:.0f}%"
    if kind == "days":
        return f"{value:{sign}.1f} days".replace(".0 days", " days")
    return f"{value:{sign}.3f}"


def _why_not(n: object) -> str:
    from companion.outcomes.fairness import SMALL  # loaded already: the audit ran

    return f"({SMALL.replace('<', 'under ')})" if n == SMALL else "(hidden)"


def fairness_text(t: dict[str, Any]) -> list[str]:
    lines = [
        f"Fairness of matching by {t['by']}: {t['mentees']} mentees wanting a mentor. Groups "
        f"under {t['min_group']} are folded into 'other'; gaps are to everyone else, with "
        "95% intervals (Newcombe for rates, bootstrap for scores and days)."
    ]
    for row in t["groups"]:
        lines.append("")
        if row["suppressed"]:
            lines.append(f"{row['group']}: {row['wanting']} mentees (not shown)")
            continue
        lines.append(f"{row['group']}: {row['wanting']} mentees")
        for key, (label, kind) in FAIRNESS_LABELS.items():
            m = row[key]
            gap = ""
            if m["gap"] is not None:
                low, high = m["interval"] or (None, None)
                span = (
                    f" [{_figure(low, kind, True)}, {_figure(high, kind, True)}]"
                    if m["interval"]
                    else ""
                )
                gap = f"  gap {_figure(m['gap'], kind, True)}{span}"
            flag = "  <- interval excludes zero" if m["flagged"] else ""
            value = _figure(m["value"], kind) if m["value"] is not None else _why_not(m["n"])
            lines.append(f"  {label:<22}{value:>9}{gap}{flag}  (n={m['n']})")
    if t["flagged"]:
        lines += ["", f"Flagged: {', '.join(t['flagged'])}."]
    tested = sum(1 for r in t["groups"] for k in FAIRNESS_LABELS if not r["suppressed"]
                 and r[k]["interval"] is not None)  # fmt: skip
    if tested:
        lines.append(f"{tested} gaps were tested: at 95%, about 1 in 20 gaps with no real "
                     "difference behind it is flagged by chance.")  # fmt: skip
    return lines
