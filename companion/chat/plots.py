"""Coordinator pictures: score distribution, skill supply vs demand, mentor load vs capacity."""

from __future__ import annotations

from collections import Counter
from typing import Any

from companion.matching import Matcher, Status


def dashboard_figures(matcher: Matcher) -> list[tuple[str, Any]]:
    import plotly.graph_objects as go

    cohort = matcher.cohort(top_k=1)
    scores = [m.assigned_score for m in cohort.mentees if m.assigned_score is not None]
    distribution = go.Figure(go.Histogram(x=scores, nbinsx=20))
    distribution.update_layout(
        title="Assigned match scores", xaxis_title="score", yaxis_title="pairs"
    )

    wanted = Counter(
        p for person in matcher.people if person.role.mentees for p in person.skills_wanted
    )
    offered = Counter(
        p for person in matcher.people if person.role.mentors for p in person.skills_offered
    )
    top = [skill for skill, _ in wanted.most_common(15)]
    supply = go.Figure(
        [
            go.Bar(name="mentees wanting", x=top, y=[wanted[s] for s in top]),
            go.Bar(name="mentors offering", x=top, y=[offered[s] for s in top]),
        ]
    )
    supply.update_layout(
        title="Skill demand vs supply (top 15 wanted)",
        barmode="group",
        xaxis_title="skill, as mentees wrote it",
        yaxis_title="people",
        # whole people, ticks spaced so that they never overlap however tall the bars
        yaxis={"rangemode": "tozero", "tickformat": "d", "nticks": 8},
        xaxis={"automargin": True, "tickangle": -35},
        height=520,
    )

    load = Counter(m.mentor_id for m in matcher.matches.values() if m.status == Status.ACCEPTED)
    with_mentees = [p for p in matcher.people if p.role.mentors and p.capacity and load[p.id]]
    idle = sum(1 for p in matcher.people if p.role.mentors and p.capacity and not load[p.id])
    mentors = sorted(with_mentees, key=lambda p: (-load[p.id] / p.capacity, p.name))[:25]
    names = [p.name for p in mentors]  # people, not ids
    capacity = go.Figure(
        [
            go.Bar(name="places", y=names, x=[p.capacity for p in mentors], orientation="h"),
            go.Bar(
                name="accepted mentees",
                y=names,
                x=[load[p.id] for p in mentors],
                orientation="h",
            ),
        ]
    )
    capacity.update_layout(
        title=f"Mentor load vs capacity: the {len(mentors)} fullest mentors"
        + (f" ({idle} more have no mentee yet)" if idle else ""),
        barmode="overlay",
        xaxis_title="mentees",
        xaxis={"dtick": 1, "rangemode": "tozero"},  # whole mentees only
        yaxis={"automargin": True, "autorange": "reversed"},
        height=max(300, 28 * len(mentors) + 160),
    )
    return [("scores", distribution), ("supply", supply), ("capacity", capacity)]
