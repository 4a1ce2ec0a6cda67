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
    supply.update_layout(title="Skill demand vs supply (top 15 wanted)", barmode="group")

    load = Counter(m.mentor_id for m in matcher.matches.values() if m.status == Status.ACCEPTED)
    mentors = sorted(
        (p for p in matcher.people if p.role.mentors and p.capacity), key=lambda p: -load[p.id]
    )[:25]
    capacity = go.Figure(
        [
            go.Bar(name="capacity", x=[p.id for p in mentors], y=[p.capacity for p in mentors]),
            go.Bar(
                name="accepted mentees", x=[p.id for p in mentors], y=[load[p.id] for p in mentors]
            ),
        ]
    )
    capacity.update_layout(title="Mentor load vs capacity", barmode="overlay")
    return [("scores", distribution), ("supply", supply), ("capacity", capacity)]
