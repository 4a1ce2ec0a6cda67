"""Session agendas and mentor prompts, built from the mentee's goals, the last session's
summary and the mentee's questions. Structure and timing are code; a model may reword."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from companion.goals.models import StoredGoal
from companion.guides.links import GuideLink
from companion.notes.summary import NoteSummary
from companion.sessions.timing import MIN_ITEM_MINUTES, allocate_minutes

MAX_ITEMS = 6
MAX_GOALS = 2


class AgendaItem(BaseModel):
    title: str
    minutes: int
    ties_to: str = Field(
        description="What the item serves: goal:ID, question:ID, action, topic or session."
    )


class Agenda(BaseModel):
    minutes: int
    items: list[AgendaItem]
    prompts: list[str] = Field(description="Open, strengths-based questions for the mentor.")
    model: str = ""
    guide: GuideLink | None = Field(
        None, description="Before the pair's first meeting: the library's first-session guide."
    )


@dataclass(frozen=True)
class _Planned:
    title: str
    weight: float
    ties_to: str
    priority: int  # lower is kept first when time is short


def shorten(text: str, words: int = 12) -> str:
    parts = text.rstrip(". ").split()
    return " ".join(parts[:words]) + ("..." if len(parts) > words else "")


def plan_items(
    goals: list[StoredGoal], summary: NoteSummary | None, questions: list[tuple[str, str]]
) -> list[_Planned]:
    """The items a session needs, with weights and priorities, before timing."""
    items = [_Planned("Check-in: wins and what changed since last time", 1.0, "session", 2)]
    if summary and summary.action_items:
        actions = "; ".join(
            f"{a.owner_name}: {shorten(a.what, 8)}" for a in summary.action_items[:3]
        )
        items.append(_Planned(f"Review last session's actions ({actions})", 1.5, "action", 1))
    active = [g for g in goals if g.status == "active"][:MAX_GOALS]  # confirmed goals only
    for goal in active:
        due = f" (due {goal.goal.due_date:%d %b})" if goal.goal.due_date else ""
        items.append(
            _Planned(
                f"Goal: {shorten(goal.goal.statement)}{due}: progress and next step",
                3.0,
                f"goal:{goal.id}",
                0,
            )
        )
    if not active:
        items.append(_Planned("Shape a first SMART goal together", 3.0, "goal:new", 0))
    if questions:
        listed = "; ".join(shorten(text, 10) for _, text in questions[:3])
        items.append(
            _Planned(
                f"Your questions: {listed}",
                2.0,
                "question:" + ",".join(qid for qid, _ in questions[:3]),
                1,
            )
        )
    if summary and summary.next_topics:
        items.append(_Planned(f"Agreed topic: {shorten(summary.next_topics[0])}", 2.0, "topic", 1))
    items.append(_Planned("Agree next steps and the next meeting date", 1.0, "session", 0))
    return items


def build_agenda(
    goals: list[StoredGoal],
    summary: NoteSummary | None,
    questions: list[tuple[str, str]],
    minutes: int,
) -> Agenda:
    """3-6 timed items whose minutes sum exactly to `minutes`, and prompts for the mentor."""
    planned = plan_items(goals, summary, questions)
    fits = max(3, min(MAX_ITEMS, minutes // MIN_ITEM_MINUTES))
    while len(planned) > fits:  # drop the least needed item, keeping the order
        drop = max(range(len(planned)), key=lambda i: (planned[i].priority, i))
        planned.pop(drop)
    times = allocate_minutes([p.weight for p in planned], minutes)
    items = [
        AgendaItem(title=p.title, minutes=m, ties_to=p.ties_to)
        for p, m in zip(planned, times, strict=True)
    ]
    return Agenda(minutes=minutes, items=items, prompts=mentor_prompts(goals, summary))


def mentor_prompts(goals: list[StoredGoal], summary: NoteSummary | None) -> list[str]:
    """Open, strengths-based questions grounded in the goals and the last session."""
    prompts = []
    for goal in [g for g in goals if g.status in ("active", "draft")][:MAX_GOALS]:
        topic = shorten(goal.goal.statement, 10)
        prompts.append(f"What has gone well so far with '{topic}', and what made it work?")
        if goal.goal.due_date:
            prompts.append(
                f"What would 'done' look like by {goal.goal.due_date:%d %B}, and what "
                "is the smallest next step?"
            )
    if summary:
        for action in summary.action_items[:2]:
            prompts.append(f"How did '{shorten(action.what, 10)}' go, and what did you learn?")
        if summary.next_topics:
            prompts.append(
                f"What do you already do well that will help with "
                f"'{shorten(summary.next_topics[0], 10)}'?"
            )
    prompts.append("Where did you feel most confident since we last met?")
    return prompts[:5]
