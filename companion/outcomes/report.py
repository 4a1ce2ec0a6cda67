"""`mentorkit report`: one self-contained HTML file a coordinator can share, that opens
offline (plotly's JavaScript inlined, no CDN): the outcome plots, the fairness table and the
comparison in words. Everything in it is aggregate; groups under 5 are never shown, and no
note, comment or attribute value of a person is in it."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from companion.files import write_atomic
from companion.outcomes.fairness import SMALL

if TYPE_CHECKING:
    from companion.workspace import Workspace

STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#1d3557}h1{margin-bottom:0}.meta{color:#666}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}td:first-child,th:first-child{
text-align:left}.flag{color:#c0392b;font-weight:bold}.plot{margin:1.5em 0}"""


Parts = tuple[dict, dict, list[dict], list[tuple[str, Any]]]  # metrics, fairness, compare, plots


def gather(workspace: Workspace, by: str = "department") -> Parts:
    from companion.outcomes.compare import compare
    from companion.outcomes.fairness import audit
    from companion.outcomes.figures import outcome_figures
    from companion.outcomes.metrics import programme_metrics
    from companion.outcomes.snapshot import take_snapshot

    s = take_snapshot(workspace)  # read once for both views
    metrics, table, found = (
        programme_metrics(workspace, snapshot=s), audit(workspace, by, snapshot=s),
        compare(workspace),
    )  # fmt: skip
    return metrics, table, found, outcome_figures(workspace, metrics, table, found)


def _report_name(day: str, by: str) -> str:
    return (
        f"outcomes-{day}"
        + ("" if by == "department" else f"-by-{re.sub(r'[^a-z0-9]+', '-', by.lower())}")
        + ".html"
    )


def outcomes_view(
    workspace: Workspace, by: str = "department"
) -> tuple[str, list[tuple[str, Any]], Path]:
    """For the chat: a few lines to read, the plots, and the report written for download
    (under the data dir's ui/reports, private like the rest)."""
    from companion.outcomes.compare import in_words

    parts = gather(workspace, by)
    metrics, table, found, figures = parts
    day = workspace.settings.current_date().isoformat()
    path = write_report(
        workspace,
        workspace.settings.data_dir / "ui" / "reports" / _report_name(day, table["by"]),
        parts,
    )
    steps = {s["step"]: s for s in metrics["funnel"]["steps"]}
    matched = steps["matched"]
    lines = [
        f"**Outcomes** as of {day}: {matched['people']} of "
        f"{steps['wanting a mentor']['people']} mentees matched"
        + (f" ({matched['of_wanting']:.0%})" if matched["of_wanting"] is not None else "")
        + f"; {metrics['meetings']['early_closures']} pairs ended early; check-in response "
        f"rate {metrics['checkins']['response_rate'] or 0:.0%}.",
        f"Fairness by {table['by']} (another grouping: `/outcomes by "
        f"{'seniority' if table['by'] == 'location' else 'location'}`, or an attribute): "
        + (
            f"gaps flagged for **{', '.join(table['flagged'])}**."
            if table["flagged"]
            else "no gap whose interval excludes zero."
        ),  # fmt: skip
        *(f"- {in_words(c)}" for c in found),
        *(["", OBSERVATIONAL] if found else []),
        "",
        f"The same plots, the fairness table and the comparison are in **{path.name}** below: "
        "one file that opens in any browser, offline.",
    ]
    return "\n".join(lines), figures, path


COLUMNS = ("group", "wanting a mentor", "matched", "gap [95% interval]", "mean score",
           "median days to match", "early closures")  # fmt: skip
SHOWN = (("matched_rate", "{:.0%}"), ("mean_score", "{:.2f}"),
         ("median_days_to_match", "{:g}"), ("early_closure_rate", "{:.0%}"))  # fmt: skip


def _cells(row: dict) -> list[str]:
    """A shown group's cells, after its name and size."""
    values = {
        key: fmt.format(row[key]["value"])
        if row[key]["value"] is not None
        else ("under 5" if row[key]["n"] == SMALL else "hidden")
        for key, fmt in SHOWN
    }

    def cell(key: str) -> str:
        flag = ' class="flag" title="gap to everyone else: 95% interval excludes zero"'
        return f"<td{flag if row[key]['flagged'] else ''}>{values[key]}</td>"

    m = row["matched_rate"]
    gap = "" if m["gap"] is None else f"{100 * m['gap']:+.0f} pts"
    if m["interval"]:
        gap += f" [{100 * m['interval'][0]:+.0f}, {100 * m['interval'][1]:+.0f}]"
    flag = ' class="flag"' if m["flagged"] else ""
    return [cell("matched_rate"), f"<td{flag}>{gap}</td>", *(cell(k) for k, _ in SHOWN[1:])]


def _fairness_table(table: dict) -> str:
    head = "<tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr>"
    rows = []
    for r in table["groups"]:
        start = f"<tr><td>{html.escape(r['group'])}</td><td>{r['wanting']}</td>"
        if r["suppressed"]:
            rows.append(start + "<td colspan=5>not shown (under 5)</td></tr>")
        else:
            rows.append(start + "".join(_cells(r)) + "</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


OBSERVATIONAL = (
    "_An observational comparison: people chose to take part, and what made them choose may "
    "also move these metrics; the report lists every caution._"
)
NO_OUTCOMES = "<li>No outcomes imported yet: mentorkit outcomes import FILE</li>"


def render(workspace: Workspace, parts: Parts | None = None) -> str:
    from plotly.offline import get_plotlyjs

    from companion.outcomes.compare import in_words

    metrics, table, found, figures = parts or gather(workspace)
    plots = "".join(
        f'<div class="plot" id="plot-{name}">'
        + figure.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=f"figure-{name}",
            config={"displaylogo": False, "displayModeBar": False},
        )
        + "</div>"
        for name, figure in figures
    )
    words = "".join(
        f"<li>{html.escape(in_words(c))}<ul>"
        + "".join(f"<li>{html.escape(text)}</li>" for text in c.get("caution", []))
        + "</ul></li>"
        for c in found
    )
    title = html.escape(metrics["programme"] or "Programme")
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{title}: outcomes</title>"
        f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{title}: outcomes</h1><p class=meta>As of {metrics['today']}. Made by mentorkit "
        "on this organisation's own machine; groups under 5 people are never shown.</p>"
        f"{plots}<h2>Fairness of matching by {html.escape(table['by'])}</h2>"
        f"{_fairness_table(table)}"
        "<p class=meta>Red: the gap to everyone else has a 95% interval that excludes zero. "
        "Groups under 5 are folded into 'other'.</p>"
        f"<h2>Participants and non-participants</h2><ul>{words or NO_OUTCOMES}</ul></body></html>"
    )


def write_report(workspace: Workspace, out: Path, parts: Parts | None = None) -> Path:
    text = render(workspace, parts)

    def write(handle: Any) -> None:
        handle.write(text)

    write_atomic(out, write)
    return out
