"""Facts taken from session notes by code, each traceable to the sentence it came from.

Action items (who does what, by when), dates resolved against the session date, and the
topics for the next session. Nothing here is guessed by a model, so every item can be
shown beside its source sentence.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_DATE_PATTERNS = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("day_month", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b", re.I)),
    ("month_day", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)),
    (
        "relative",
        re.compile(
            r"\b(?:in|within)\s+(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"\s+(day|week|month)s?\b",
            re.I,
        ),
    ),
    ("next_week", re.compile(r"\bnext\s+week\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    (
        "weekday",
        re.compile(
            r"\b(?:by|on|before|this|next)\s+(monday|tuesday|wednesday|thursday"
            r"|friday|saturday|sunday)\b",
            re.I,
        ),
    ),
    ("end_of_month", re.compile(r"\bend\s+of\s+(?:the\s+)?month\b", re.I)),
    (
        "month_only",
        re.compile(
            rf"\b(?:by|before|in|until)\s+(?:the\s+end\s+of\s+)?{_MONTH}"
            r"(?:\s+(\d{4}))?\b",
            re.I,
        ),
    ),
]
_ACTION = re.compile(r"\b(will|to|should|needs? to|agreed to|is going to|action|todo)\b", re.I)
_NEXT = re.compile(r"\bnext\s+(?:session|time|meeting|call)\b", re.I)
_TOPIC = re.compile(r"\b(?:discuss|talk about|cover|look at|review|go over)\s+(.+)", re.I)


class FoundDate(BaseModel):
    text: str
    date: dt.date


class ActionItem(BaseModel):
    what: str = Field(description="The action, as written.")
    owner: str | None = Field(description="Who does it: the pair member's id, when named.")
    owner_name: str | None
    due: dt.date | None
    due_text: str | None
    sentence: int = Field(description="Index of the source sentence in the notes.")
    source: str = Field(description="The source sentence, verbatim.")


class NoteFacts(BaseModel):
    sentences: list[str]
    action_items: list[ActionItem]
    next_topics: list[str]
    dates: list[FoundDate]


def split_sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+|^\s*[-*•]\s+", text)
    return [p.strip(" -*•\t") for p in parts if p and p.strip(" -*•\t")]


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _resolve(kind: str, match: re.Match[str], today: dt.date) -> dt.date | None:
    try:
        if kind == "iso":
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if kind in ("day_month", "month_day"):
            day, month = (match[1], match[2]) if kind == "day_month" else (match[2], match[1])
            found = dt.date(today.year, MONTHS.index(month.lower()) + 1, int(day))
            return found if found >= today else found.replace(year=today.year + 1)
        if kind == "relative":
            count = int(match[1]) if match[1].isdigit() else NUMBERS[match[1].lower()]
            unit = match[2].lower()
            if unit == "month":
                return _add_months(today, count)
            return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
        if kind == "next_week":
            return today + dt.timedelta(days=7)
        if kind == "tomorrow":
            return today + dt.timedelta(days=1)
        if kind == "weekday":
            ahead = (WEEKDAYS.index(match[1].lower()) - today.weekday()) % 7 or 7
            return today + dt.timedelta(days=ahead)
        if kind == "month_only":  # "by June": the last day of the next June
            month = MONTHS.index(match[1].lower()) + 1
            year = int(match[2]) if match[2] else today.year + (month < today.month)
            return _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
        if kind == "end_of_month":
            return _add_months(today.replace(day=1), 1) - dt.timedelta(days=1)
    except ValueError:  # 31 February and the like: not a date
        return None
    return None


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every date expression in `text`, resolved against `today`, in order of appearance."""
    found: list[tuple[int, FoundDate]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            date = _resolve(kind, match, today)
            if date is not None:
                taken.append((match.start(), match.end()))
                found.append((match.start(), FoundDate(text=match[0], date=date)))
    return [f for _, f in sorted(found, key=lambda x: x[0])]


def owner_of(
    sentence: str, people: dict[str, str], author: str | None
) -> tuple[str | None, str | None]:
    """Who a sentence gives the action to: a named pair member, else 'I' = the author."""
    lowered = sentence.lower()
    named = [
        (lowered.find(name.lower()), pid, name)
        for pid, name in people.items()
        if re.search(rf"\b{re.escape(name.lower())}\b", lowered)
    ]
    if named:
        _, pid, name = min(named)
        return pid, name
    if re.match(r"^\s*(i|i'll)\b", lowered) and author in people:
        return author, people[author]
    return None, None


def extract_facts(
    text: str, session_date: dt.date, people: dict[str, str], author: str | None = None
) -> NoteFacts:
    """Action items, dates and next-session topics from notes.

    `people` maps each pair member's id to the first name used in notes.
    """
    sentences = split_sentences(text)
    items, topics, dates = [], [], []
    for index, sentence in enumerate(sentences):
        found = find_dates(sentence, session_date)
        dates += found
        if _NEXT.search(sentence):
            topic = _TOPIC.search(sentence)
            topics.append((topic[1] if topic else sentence).rstrip(". "))
            continue
        owner, owner_name = owner_of(sentence, people, author)
        if owner is not None and _ACTION.search(sentence):
            items.append(
                ActionItem(
                    what=sentence.rstrip("."),
                    owner=owner,
                    owner_name=owner_name,
                    due=found[0].date if found else None,
                    due_text=found[0].text if found else None,
                    sentence=index,
                    source=sentence,
                )
            )
    return NoteFacts(sentences=sentences, action_items=items, next_topics=topics, dates=dates)
