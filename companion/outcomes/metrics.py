"""Is the programme working? The funnel from sign-up to goals achieved, meetings, early
closures, check-ins by month, goals, mentor load, and wanted skills against the mentors who
cover them, as the matcher judges coverage (a mentor's phrase within the similarity floor).

Every figure is computed from one Snapshot; each function returns plain data (JSON-ready).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from companion.lifecycle.models import Outcome, Sentiment
from companion.matching.ledger import Status
from companion.outcomes.snapshot import EARLY_DAYS, Snapshot, ended_early, outcome_of, take_snapshot

if TYPE_CHECKING:
    from companion.workspace import Workspace

PROGRESS_BANDS = (("0%", 0, 0), ("1-49%", 1, 49), ("50-99%", 50, 99), ("100%", 100, 100))
SKILLS_SHOWN = 10


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def as_percent(value: float | None) -> str:
    """A share as people read it: '-' for none, '<1%' rather than a misleading '0%'."""
    if value is None:
        return "-"
    return "<1%" if 0 < value < 0.005 else f"{100 * value:.0f}%"


def spread(values: Sequence[float]) -> dict[str, Any]:
    """n, median and 90th percentile (None when there are no values)."""
    if not values:
        return {"n": 0, "median": None, "p90": None}
    data = np.asarray(values, dtype=float)
    return {
        "n": len(values),
        "median": round(float(np.median(data)), 2),
        "p90": round(float(np.percentile(data, 90)), 2),
    }


def held(s: Snapshot, pair_id: str) -> int:
    return len(s.meeting_days.get(pair_id, ()))


def first_match_days(s: Snapshot) -> dict[str, dt.date]:
    """Each matched mentee's first day in an accepted pair."""
    first: dict[str, dt.date] = {}
    for pair in s.pairs:
        if pair.accepted_on is not None:
            day = first.get(pair.mentee_id)
            first[pair.mentee_id] = min(day, pair.accepted_on) if day else pair.accepted_on
    return first


def funnel(s: Snapshot) -> dict[str, Any]:
    """People at each step: signed up (everyone), wanting a mentor (mentees), matched, first
    meeting held, the programme's minimum of meetings reached, ended with goals achieved;
    each step also as a share of those wanting a mentor."""
    wanting = {p.id for p in s.mentees()}
    matched = {m.mentee_id for m in s.pairs} & wanting
    met = {m.mentee_id for m in s.pairs if held(s, m.id) >= 1} & wanting
    enough = {m.mentee_id for m in s.pairs if held(s, m.id) >= s.min_meetings} & wanting
    achieved = {m.mentee_id for m in s.pairs if outcome_of(m) == Outcome.GOALS_ACHIEVED} & wanting
    steps = [
        ("signed up", len(s.people)),
        ("wanting a mentor", len(wanting)),
        ("matched", len(matched)),
        ("first meeting held", len(met)),
        (f"{s.min_meetings}+ meetings", len(enough)),
        ("ended with goals achieved", len(achieved)),
    ]
    return {
        "steps": [
            {"step": name, "people": n, "of_wanting": share(n, len(wanting)) if i > 1 else None}
            for i, (name, n) in enumerate(steps)
        ],
        "time_to_match_days": time_to_match(s),
    }


def time_to_match(s: Snapshot) -> dict[str, Any]:
    """Days from sign-up to the first accepted pair, over matched mentees whose sign-up day
    is known (people imported before sign-up days were kept are counted as unknown)."""
    days, unknown = [], 0
    for mentee, matched_on in first_match_days(s).items():
        if mentee not in s.people:
            continue
        signed = s.signed_up.get(mentee)
        if signed is None:
            unknown += 1
        else:
            days.append(max((matched_on - signed).days, 0))
    return {**spread(days), "unknown_sign_up": unknown}


def meetings(s: Snapshot) -> dict[str, Any]:
    """Meetings per pair, pairs at or above the minimum, and early closures."""
    counts = [held(s, m.id) for m in s.pairs]
    histogram = Counter(counts)
    ended = [m for m in s.pairs if m.status == Status.ENDED]
    early = [m for m in ended if ended_early(m)]
    outcomes = Counter(str(outcome_of(m)) for m in ended)
    return {
        "pairs": len(s.pairs),
        "active": sum(m.status == Status.ACCEPTED for m in s.pairs),
        "per_pair": {str(n): histogram[n] for n in range(max(counts) + 1)} if counts else {},
        "median_per_pair": spread([float(c) for c in counts])["median"],
        "minimum": s.min_meetings,
        "at_or_above_minimum": sum(c >= s.min_meetings for c in counts),
        "share_at_or_above_minimum": share(sum(c >= s.min_meetings for c in counts), len(counts)),
        "ended": len(ended),
        "ended_by_outcome": dict(sorted(outcomes.items())),
        "early_closures": len(early),
        "early_closure_rate": share(len(early), len(s.pairs)),
        "early_days": EARLY_DAYS,
    }


def checkins(s: Snapshot) -> dict[str, Any]:
    """Mean ratings and comment sentiment by month answered; the response rate over every
    check-in that fell due (two members per pair)."""
    by_month: dict[str, list] = defaultdict(list)
    for c in s.checkins:
        by_month[f"{c.answered_at:%Y-%m}"].append(c)
    months = []
    for month, found in sorted(by_month.items()):
        feelings = Counter(c.sentiment for c in found if c.sentiment is not None)
        rated = sum(feelings.values())
        months.append(
            {
                "month": month,
                "partial": month == f"{s.today:%Y-%m}",  # this month, so far
                "answered": len(found),
                "mean_value": round(float(np.mean([c.value for c in found])), 2),
                "mean_progress": round(float(np.mean([c.progress for c in found])), 2),
                "comments": rated,
                "sentiment": {str(x): share(feelings[x], rated) for x in Sentiment},
            }
        )
    members = {m.id: (m.mentee_id, m.mentor_id) for m in s.all_pairs}
    due = {
        (pair_id, person, key)
        for pair_id, entries in s.schedules.items()
        for person in members[pair_id]
        for key, _ in entries
    }
    answered = {(c.match_id, c.person_id, c.due) for c in s.checkins}
    return {
        "by_month": months,
        "due": len(due),
        "answered": len(answered & due),
        "response_rate": share(len(answered & due), len(due)),
    }


def goals(s: Snapshot) -> dict[str, Any]:
    """Confirmed goals (never drafts) per pair, their progress, and how many are done."""
    per_pair = Counter(len(s.goals.get(m.mentee_id, [])) for m in s.pairs)
    confirmed = [g for found in s.goals.values() for g in found if g.mentee_id in s.people]
    bands = {
        name: sum(low <= g.progress <= high for g in confirmed if g.status != "dropped")
        for name, low, high in PROGRESS_BANDS
    }
    return {
        "confirmed": len(confirmed),
        "per_pair": {str(n): per_pair[n] for n in range(max(per_pair, default=0) + 1)},
        "pairs_without_goal": per_pair[0],
        "progress": bands,
        "completed": sum(g.status == "done" for g in confirmed),
        "dropped": sum(g.status == "dropped" for g in confirmed),
    }


def mentor_load(s: Snapshot) -> dict[str, Any]:
    """Each mentor's active mentees against their capacity, fullest first, by name: today,
    whatever `since` says."""
    active = Counter(m.mentor_id for m in s.all_pairs if m.status == Status.ACCEPTED)
    mentors = sorted(
        (p for p in s.everyone.values() if p.role.mentors),
        key=lambda p: (-active[p.id], p.capacity, p.name),
    )
    load = [(active[p.id], p.capacity) for p in mentors]
    places = sum(cap for _, cap in load)
    used = sum(min(n, cap) for n, cap in load)
    return {
        "mentors": len(mentors),
        "places": places,
        "places_used": used,
        "share_used": share(used, places),
        "full": sum(cap > 0 and n >= cap for n, cap in load),
        "with_free_places": sum(n < cap for n, cap in load),
        "without_mentees": sum(n == 0 for n, _ in load),
        "over_capacity": sum(n > cap for n, cap in load),
        "by_mentor": [
            {"mentor": p.name, "mentor_id": p.id, "mentees": active[p.id], "capacity": p.capacity}
            for p in mentors
        ],
    }


def skills(workspace: Workspace) -> dict[str, Any]:
    """The most wanted skills and the least covered, by the matcher's own coverage."""
    from companion.matching import Matcher
    from retrieval.gaps import skill_supply

    matcher = Matcher(workspace)
    supply = skill_supply(matcher.population, matcher.settings.similarity_floor)
    rows = [s.__dict__ for s in supply]
    least = sorted(rows, key=lambda r: (r["mentors"] / r["mentees"], -r["mentees"], r["skill"]))
    return {
        "floor": matcher.settings.similarity_floor,
        "wanted_phrases": len(rows),
        "uncovered": sum(r["mentors"] == 0 for r in rows),
        "most_wanted": rows[:SKILLS_SHOWN],
        "least_covered": least[:SKILLS_SHOWN],
    }


def programme_metrics(
    workspace: Workspace, since: dt.date | None = None, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """Every figure of `mentorkit metrics`, as of the workspace's today (`snapshot`: one
    already read with the same `since`, so that callers needing several views read once)."""
    s = snapshot or take_snapshot(workspace, since)
    return {
        "programme": s.programme.name if s.programme else None,
        "today": s.today.isoformat(),
        "since": since.isoformat() if since else None,
        "funnel": funnel(s),
        "meetings": meetings(s),
        "checkins": checkins(s),
        "goals": goals(s),
        "mentor_load": mentor_load(s),
        "skills": skills(workspace),
    }
