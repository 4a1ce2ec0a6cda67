"""Questions a mentee brings to the next session, built from a goal and what happened since."""

from __future__ import annotations

import datetime as dt

from companion.goals.models import StoredGoal
from companion.notes.extract import split_sentences
from companion.sessions.agenda import shorten

MIN_QUESTIONS, MAX_QUESTIONS = 3, 5


def midpoint(today: dt.date, due: dt.date | None) -> dt.date | None:
    return today + (due - today) / 2 if due and due > today else None


def prepare_questions(goal: StoredGoal, since: str, today: dt.date, wanted: list[str]) -> list[str]:
    """3-5 concrete questions: about the goal's next step, what happened, and staying on track."""
    statement = shorten(goal.goal.statement, 12)
    questions = [f"What is the one thing I should try next to move '{statement}' forward?"]
    for event in split_sentences(since)[:2]:
        questions.append(f"{event.rstrip('.')}: what would you have done differently, and why?")
    if wanted:
        questions.append(
            f"How did you build your own {wanted[0]}, and what would you do in my place?"
        )
    half = midpoint(today, goal.goal.due_date)
    if half:
        questions.append(f"How will we know I am on track by {half:%d %B}?")
    if goal.open_questions:
        questions.append(f"Can you help me answer this about my goal: {goal.open_questions[0]}")
    fillers = [
        "Which of my strengths could I lean on more for this goal?",
        "Who else should I talk to about this goal?",
    ]
    while len(questions) < MIN_QUESTIONS:
        questions.append(fillers[len(questions) % len(fillers)])
    return questions[:MAX_QUESTIONS]
