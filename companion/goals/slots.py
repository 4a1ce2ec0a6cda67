"""A goal as slots, read from the mentee's words by code, and the sentence composed from them.

- action: what will be done, a verb and what it acts on ("present the Q1 results to the
  board"); `intent` keeps a vague wish ("get better at finance") when there is no action;
- measure: how success is observed, a number with what it counts ("3 talks", "from 25%
  to 40%") or an observable result ("signed off by legal", "merged to prod");
- due: the deadline, resolved to a date (companion.language.dates);
- serves: which wanted skill or stated goal it serves.

Reading the words is companion.goals.reading's (spaCy); this module fills and joins slots.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from companion.goals.lexicon import COMPLETING, DELIVERING, FEELING, VAGUE_AMOUNT
from companion.goals.measures import numbers, results
from companion.goals.reading import clean as _clean
from companion.goals.reading import goal_doc, read_action
from companion.language import dates
from companion.language.grammar import parse


class GoalSlots(BaseModel):
    action: str = ""
    intent: str = ""  # a vague wish, kept to ask about it in the mentee's own words
    measure: str = ""
    due_text: str = ""
    due_date: dt.date | None = None
    serves: str = ""
    outcomes: int = 0  # separate actions named (several outcomes in one goal)
    measure_is_action: bool = False  # the thing made is the result ("build a dashboard")
    rest: str = ""  # the words besides the date, as read


def _preposition_start(text: str, start: int) -> int:
    """Where a date's phrase begins, its preposition included ("within", "by the")."""
    found = re.search(
        r"(?:\b(?:by|before|within|in|on|until|till|for|at|b4)\s+(?:the\s+)?(?:next\s+)?)$",
        text[:start],
        re.I,
    )
    return found.start() if found else start


_LABEL = re.compile(r"^\s*\S+(?:\s\S+){0,2}\s+[-–—]\s+(?=\S)")
_DEADLINE = re.compile(r"\b(by|before|until|till|b4|due|no later than|ahead of)\s+(the\s+)?$", re.I)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def read_slots(text: str, today: dt.date) -> GoalSlots:
    """The slots a text fills, by code (missing ones stay empty)."""
    found = dates.find(text, today)
    spans = [(_preposition_start(text, f.start), f.end) for f in found]
    rest = _without(text, spans)
    doc, _ = goal_doc(rest)
    action, intent, outcomes = read_action(doc)
    if not action and ":" in rest:  # "just the bot for now: launch the triage bot"
        after, _ = goal_doc(rest.rsplit(":", 1)[1])
        action, _, outcomes = read_action(after)
    labelled = _LABEL.match(rest)  # "Q1 - reconcile pension deductions - all 4 groups"
    if not action and labelled:
        action, _, outcomes = read_action(goal_doc(rest[labelled.end() :])[0])
    measures = numbers(doc) or []
    derived = False
    seen = results(doc)
    measure = ", ".join(dict.fromkeys(measures)) or ", ".join(dict.fromkeys(seen[:1]))
    if not measure and action and len(action.split()) >= 2:
        verb = parse(action)[0].lemma_.lower()
        verb = verb[2:] if verb.startswith("re") and verb[2:] in COMPLETING else verb  # rebuild
        handed = verb == "get" and re.search(r"\bto (the|my|our|a)\b", action, re.I)
        made = verb in COMPLETING or verb in DELIVERING or handed
        if made and not VAGUE_AMOUNT.search(rest) and not FEELING.search(rest):
            measure = action  # the thing made or given is the result
            derived = True
    # Of several dates, one said as a deadline ("by", "due"), that works as one (two weeks
    # on or more) first; else one said as a deadline; else the first that works; a day
    # before a month; else the last: "end of feb, friday was never gonna happen", "the
    # model we started over xmas, before easter", "for the November conference, due 18 Dec".
    workable = [f for f in found if (f.date - today).days >= 14]
    said = [f for f in found if _DEADLINE.search(text[: f.start])]
    chosen = [f for f in said if f in workable] or said or workable
    chosen.sort(key=lambda f: not re.search(r"\d", f.text))  # a day before a month
    last = chosen[0] if chosen else (found[-1] if found else None)
    return GoalSlots(
        action=action,
        intent="" if action else intent,
        measure=_clean(measure),
        due_text=last.text if last else "",
        due_date=last.date if last else None,
        outcomes=outcomes,
        measure_is_action=derived,
        rest=_clean(rest),
    )


def merge(slots: GoalSlots, answer: GoalSlots, asked: str | None, raw: str) -> GoalSlots:
    """An answer's slots over the goal's: the asked slot takes the answer (its parsed value,
    else the answer as written); any other slot the answer fills is used too."""
    update: dict[str, Any] = {}
    if answer.action and (asked == "action" or not slots.action):
        update["action"] = answer.action
        update["intent"] = ""
        update["outcomes"] = answer.outcomes
    measure = "" if answer.measure_is_action and asked != "measure" else answer.measure
    if measure and (asked == "measure" or not slots.measure):
        update["measure"], update["measure_is_action"] = measure, answer.measure_is_action
    elif "action" in update and slots.measure_is_action:
        # the result was the old action's: the new action brings its own (or none)
        update["measure"], update["measure_is_action"] = answer.measure, answer.measure_is_action
    if answer.due_date:  # the date said last is the one meant ("ok, end of april then")
        update["due_date"], update["due_text"] = answer.due_date, answer.due_text
    raw = answer.rest if answer.due_date else raw  # what the answer says besides its date
    first = _clean(re.split(r",|;| - ", raw)[0])
    raw = first if len(first.split()) >= 2 else _clean(raw)  # its first clause
    if asked == "action" and not answer.action and len(raw.split()) >= 2:
        update["action"], update["intent"] = _clean(raw), ""
    if asked == "measure" and not answer.measure and len(raw.split()) >= 2:
        update["measure"] = raw
    if asked == "serves":
        update["serves"] = _clean(raw)
    return slots.model_copy(update=update)


def compose(slots: GoalSlots, max_words: int = 30) -> str:
    """One readable sentence from the slots, by code."""
    action = slots.action or slots.intent
    due = f" by {slots.due_date:%-d %B %Y}" if slots.due_date else ""
    room = max_words - len(due.split())
    pieces = [p.strip() for p in slots.measure.split(",") if p.strip()]
    new = [p for p in pieces if p.lower() not in action.lower()]  # not said twice
    measure = " ".join(", ".join(new).split()[:8])
    words = action.split()[: max(4, room - len(measure.split()) - (2 if measure else 0))]
    text = _clean(" ".join(words))
    text = text[:1].upper() + text[1:]
    if measure:
        text += f" ({_clean(measure)})"
    return text + due + "."
