"""The outcomes view's plots, one function each, from the figures of metrics, fairness and
the comparison: the same in the chat's dashboard and in the offline report."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from companion.lifecycle.health import Health
from companion.lifecycle.models import HealthStatus
from companion.lifecycle.store import LifecycleStore
from companion.outcomes.metrics import as_percent

if TYPE_CHECKING:
    from companion.workspace import Workspace

STATUS_COLOURS = {"healthy": "#2a9d8f", "at-risk": "#e9c46a", "stalled": "#e76f51"}
Figure = Any  # plotly.graph_objects.Figure, imported where drawn


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def funnel(metrics: dict) -> Figure:
    steps = metrics["funnel"]["steps"]
    labels = [
        f"{s['people']}"
        + (f" ({as_percent(s['of_wanting'])} of those wanting)" if s["of_wanting"] else "")
        for s in steps
    ]
    figure = _go().Figure(
        _go().Funnel(y=[s["step"] for s in steps], x=[s["people"] for s in steps],
                     text=labels, textinfo="text")
    )  # fmt: skip
    wait = metrics["funnel"]["time_to_match_days"]
    note = f"; sign-up to match: median {wait['median']:g} days" if wait["n"] else ""
    figure.update_layout(title=f"From sign-up to goals achieved{note}", height=420)
    return figure


def meetings(metrics: dict) -> Figure:
    m = metrics["meetings"]
    held = list(m["per_pair"])
    colours = ["#2a9d8f" if int(n) >= m["minimum"] else "#8d99ae" for n in held]
    figure = _go().Figure(_go().Bar(x=held, y=list(m["per_pair"].values()), marker_color=colours))
    figure.update_layout(
        title=f"Meetings per pair ({m['share_at_or_above_minimum'] or 0:.0%} at the minimum of "
        f"{m['minimum']}, green); early closures {m['early_closure_rate'] or 0:.0%}",
        xaxis_title="meetings held", yaxis_title="pairs", yaxis={"tickformat": "d"}, height=380,
    )  # fmt: skip
    return figure


def health_over_time(workspace: Workspace, weeks: int = 26) -> Figure:
    """Active pairs each week by health, judged by the same rules as `mentorkit health`
    with what was known that day (meetings and check-ins up to it)."""
    today = workspace.settings.current_date()
    matches = [m for m in workspace.ledger.matches().values() if m.accepted_on]
    store = LifecycleStore(workspace.settings.store_dir)
    meetings_of: dict[str, list] = defaultdict(list)
    checkins_of: dict[str, list] = defaultdict(list)
    for meeting in store.meetings():
        meetings_of[meeting.match_id].append(meeting)
    for answer in store.checkins():
        checkins_of[answer.match_id].append(answer)
    names = {p.id: p.name for p in workspace.store.people()}
    first = min((m.accepted_on for m in matches if m.accepted_on), default=today)
    days = [today - dt.timedelta(weeks=w) for w in range(weeks, -1, -1)]
    days = [d for d in days if d >= first] or [today]
    counts: dict[str, list[int]] = {s.value: [] for s in HealthStatus}
    for day in days:
        health = Health(_at(workspace, day))
        found: Counter[str] = Counter()
        for match in (m for m in matches if _active_on(m, day)):
            met = [x for x in meetings_of[match.id] if x.on <= day]
            said = [c for c in checkins_of[match.id] if c.answered_at.date() <= day]
            found[health.judge(match, met, said, names).status.value] += 1
        for status in counts:
            counts[status].append(found[status])
    figure = _go().Figure(
        [_go().Bar(name=s, x=days, y=counts[s], marker_color=STATUS_COLOURS[s]) for s in counts]
    )
    figure.update_layout(title="Active pairs by health, week by week", barmode="stack",
                         yaxis_title="pairs", yaxis={"tickformat": "d"}, height=380)  # fmt: skip
    return figure


def _active_on(match: Any, day: dt.date) -> bool:
    started = match.accepted_on is not None and match.accepted_on <= day
    return started and not (match.ended_on is not None and match.ended_on <= day)


def _at(workspace: Workspace, day: dt.date) -> Workspace:
    from companion.workspace import Workspace

    settings = workspace.settings.model_copy(update={"today": day, "progress": False})
    return Workspace(settings, gateway=workspace._gateway, encoder=workspace._encoder)


def checkin_trends(metrics: dict) -> Figure:
    months = metrics["checkins"]["by_month"]
    x = [m["month"] + (" (so far)" if m.get("partial") else "") for m in months]
    lines = [
        _go().Scatter(name=f"{key} (1-5)", x=x, y=[m[f"mean_{key}"] for m in months],
                      mode="lines+markers")
        for key in ("value", "progress")
    ]  # fmt: skip
    negative = _go().Bar(name="negative comments (share)", x=x, yaxis="y2", opacity=0.35,
                         y=[m["sentiment"]["negative"] or 0 for m in months])  # fmt: skip
    figure = _go().Figure([*lines, negative])
    rate = metrics["checkins"]["response_rate"]
    figure.update_layout(
        title=f"Check-ins by month (response rate {rate or 0:.0%})",
        xaxis={"type": "category"},
        yaxis={"range": [1, 5], "title": "mean rating"},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 1], "tickformat": ".0%"},
        margin={"r": 90},  # the right axis clear of the plot toolbar
        height=380,
    )
    return figure


def skill_supply(metrics: dict) -> Figure:
    rows = metrics["skills"]["most_wanted"]
    x = [r["skill"] for r in rows]
    figure = _go().Figure([
        _go().Bar(name="mentees wanting", x=x, y=[r["mentees"] for r in rows]),
        _go().Bar(name="mentors covering (by meaning)", x=x, y=[r["mentors"] for r in rows]),
    ])  # fmt: skip
    figure.update_layout(
        title="Skill demand vs supply<br><sup>a mentor covers a skill with a phrase at "
        f"similarity {metrics['skills']['floor']:g} or more</sup>",
        barmode="group", xaxis={"tickangle": -35, "automargin": True},
        yaxis={"tickformat": "d"}, height=460,
    )  # fmt: skip
    return figure


def fairness(table: dict) -> Figure:
    shown = [r for r in table["groups"] if not r["suppressed"]]
    rate = [r["matched_rate"] for r in shown]
    figure = _go().Figure(
        _go().Bar(
            x=[r["group"] for r in shown], y=[m["value"] for m in rate],
            marker_color=["#e76f51" if m["flagged"] else "#457b9d" for m in rate],
        )
    )  # fmt: skip
    figure.update_layout(
        title=f"Share matched by {table['by']}<br><sup>red: gap to everyone else, 95% interval "
        "excludes zero; groups under 5 folded into 'other'</sup>",
        yaxis={"tickformat": ".0%", "rangemode": "tozero"}, height=380,
    )  # fmt: skip
    return figure


def comparison(found: list[dict]) -> Figure:
    usable = [c for c in found if c.get("adjusted_difference") is not None and c.get("interval")]
    scale = [100.0 if c["kind"] == "binary" else 1.0 for c in usable]
    y = [f"{c['metric']} ({'points' if c['kind'] == 'binary' else 'units'})" for c in usable]
    x = [c["adjusted_difference"] * s for c, s in zip(usable, scale, strict=True)]
    low = [c["interval"][0] * s for c, s in zip(usable, scale, strict=True)]
    high = [c["interval"][1] * s for c, s in zip(usable, scale, strict=True)]
    figure = _go().Figure(
        _go().Scatter(
            x=x, y=y, mode="markers", marker={"size": 12},
            error_x={"type": "data", "symmetric": False,
                     "array": [h - v for h, v in zip(high, x, strict=True)],
                     "arrayminus": [v - lo for lo, v in zip(low, x, strict=True)]},
        )
    )  # fmt: skip
    figure.add_vline(x=0, line_dash="dot")
    figure.update_layout(
        title="Participants vs comparable non-participants<br><sup>adjusted difference "
        "with its 95% interval; observational</sup>",
        xaxis_title="difference (participants minus non-participants)",
        height=max(260, 90 * len(usable) + 160),
    )
    return figure


def outcome_figures(
    workspace: Workspace, metrics: dict, table: dict, found: list[dict]
) -> list[tuple[str, Figure]]:
    figures = [
        ("funnel", funnel(metrics)),
        ("meetings", meetings(metrics)),
        ("health", health_over_time(workspace)),
        ("checkins", checkin_trends(metrics)),
        ("skills", skill_supply(metrics)),
        ("fairness", fairness(table)),
        ("comparison", comparison(found)),
    ]
    for name, figure in figures:  # legends below: the chat's plot toolbar sits top right
        below = -0.75 if name == "skills" else -0.2
        figure.update_layout(legend={"orientation": "h", "yanchor": "top", "y": below})
        if name == "skills":
            figure.update_layout(height=560, margin={"b": 190})
    return figures
