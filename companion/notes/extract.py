"""Facts taken from session notes by code, each traceable to the sentence it came from.

Action items (who does what, by when), dates resolved against the session date, the key
facts a summary must keep (dates, numbers, people and projects named) and the topics for
the next session. Sentences are read by companion.language (spaCy and dateparser); nothing
here is guessed by a chat model, so every item can be shown beside its source sentence.

Owners: "I" is the note's author, "you" the other member, "we" both; "he", "she" and
"they" the person last named before them in the note, failing that the other member; a
named person outside the pair is a valid owner ("Sam will send the budget").
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, Field

from companion.language import dates
from companion.language.grammar import analyse

_NEXT = re.compile(r"\bnext\s+(?:session|time|meeting|call|catch[- ]?up)\b", re.I)
_TOPIC = re.compile(r"\b(?:discuss|talk about|cover|look at|review|go over|focus on)\s+(.+)", re.I)
_BY_NEXT = re.compile(
    r"\b(?:before|by|ahead of|prior to)\s+(?:the\s+)?next\s+(?:session|time|meeting|call)\b",
    re.I,
)
BOTH = "both"
# What a pair does *in* a session: with "next session", a topic, not an action item.
_TALKING = frozenset(
    {
        "discuss",
        "talk",
        "cover",
        "review",
        "look",
        "go",
        "focus",
        "practise",
        "practice",
        "play",
        "role",
        "revisit",
        "pick",
        "chat",
        "dig",
        "work",
    }
)


class FoundDate(BaseModel):
    text: str
    date: dt.date


class ActionItem(BaseModel):
    what: str = Field(description="The action, as written, from its verb.")
    owner: str | None = Field(
        description="Who does it: a pair member's id, 'both', or the name of someone else."
    )
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
    key_facts: list[str] = Field(
        default_factory=list, description="Dates, numbers, people and projects, as written."
    )


def split_sentences(text: str) -> list[str]:
    return [s.text for s in analyse(text)]


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every date expression in `text`, resolved against `today`, in order of appearance."""
    return [FoundDate(text=f.text, date=f.date) for f in dates.find(text, today)]


class _Owners:
    """Who a subject names, with the person last named so far (for he/she/they)."""

    def __init__(self, people: dict[str, str], author: str | None) -> None:
        self.people = people
        self.author = author
        others = [pid for pid in people if pid != author]
        self.other = others[0] if author in people and len(others) == 1 else None
        self.last_named: str | None = None  # an id, or an outsider's name

    def member(self, name: str) -> str | None:
        key = name.casefold()
        for pid, known in self.people.items():
            if key in (known.casefold(), known.split()[0].casefold(), pid.casefold()):
                return pid
        return None

    def saw_all(self, names: list[str]) -> None:
        for name in names:
            self.last_named = self.member(name) or name

    def resolve(self, subject: str) -> str | None:
        word = subject.casefold()
        if word in ("i", "me"):
            return self.author if self.author in self.people else None
        if word == "you":
            return self.other
        if word in ("we", "us", "both"):
            return BOTH
        if word in ("he", "she", "they", "him", "her", "them"):
            return self.last_named or self.other
        if not subject or not subject[:1].isupper():
            return None
        return self.member(subject) or subject

    def name(self, owner: str) -> str:
        if owner == BOTH:
            return " and ".join(n.split()[0] for n in self.people.values())
        return self.people.get(owner, owner)


def extract_facts(
    text: str, session_date: dt.date, people: dict[str, str], author: str | None = None
) -> NoteFacts:
    """Action items, dates, key facts and next-session topics from notes.

    `people` maps each pair member's id to the name used in notes; `author` is the id of
    the member who wrote them ("I").
    """
    owners = _Owners(people, author)
    sentences = analyse(text)
    items, topics, found_dates, facts = [], [], [], []
    for index, sentence in enumerate(sentences):
        in_sentence = dates.find(sentence.text, session_date)
        found_dates += [FoundDate(text=f.text, date=f.date) for f in in_sentence]
        facts += [f.text for f in in_sentence] + sentence.facts
        talk = all(c.verb in _TALKING for c in sentence.commitments)
        deadline = _BY_NEXT.search(sentence.text)  # "before next time": a date, not a topic
        if _NEXT.search(sentence.text) and talk and not deadline:
            topic = _TOPIC.search(sentence.text)
            rest = _NEXT.split(sentence.text, maxsplit=1)[-1].strip(" :-–,.")
            topics.append((topic[1] if topic else rest or sentence.text).rstrip(". "))
            owners.saw_all(sentence.names)
            continue
        for commitment in sentence.commitments:
            owners.saw_all(sentence.names_before(commitment.start))
            owner = owners.resolve(commitment.subject)
            if owner is None:
                continue
            due = [f for f in in_sentence if commitment.start <= f.start < commitment.end]
            if not due and len(sentence.commitments) == 1:
                due = in_sentence
            items.append(
                ActionItem(
                    what=commitment.what.rstrip("."),
                    owner=owner,
                    owner_name=owners.name(owner),
                    due=due[0].date if due else None,
                    due_text=due[0].text if due else None,
                    sentence=index,
                    source=sentence.text,
                )
            )
        owners.saw_all(sentence.names)
    return NoteFacts(
        sentences=[s.text for s in sentences],
        action_items=items,
        next_topics=topics,
        dates=found_dates,
        key_facts=list(dict.fromkeys(facts)),
    )
