"""Summaries of confidential notes, on the local model only, that keep the facts and say
nothing else.

Code extracts the action items, owners, dates, key facts and next-session topics first,
so those are faithful by construction. The local model then words up to three bullets; a
bullet is kept only when code finds it supported by the note (every content word and
number in it appears in one or two of the note's sentences). Every key fact (a date, a
number, a person or project named) that the kept bullets and the action items do not
already carry brings its own sentence from the note, verbatim, as a bullet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from itertools import combinations

from pydantic import BaseModel, Field

from companion.language.support import content_words as _content
from companion.language.support import matches as _matches
from companion.llm import ChatReply, ChatRequest, LLMGateway
from companion.notes.extract import ActionItem, NoteFacts, extract_facts, find_dates
from prompts import render

MODEL_BULLETS = 3


class DroppedBullet(BaseModel):
    bullet: str
    reason: str


class NoteSummary(BaseModel):
    action_items: list[ActionItem]
    next_topics: list[str]
    bullets: list[str] = Field(
        description="The model's bullets that the note supports, then "
        "note sentences that carry the facts the rest left out."
    )
    dropped: list[DroppedBullet] = Field(description="Model bullets the note does not support.")
    model: str = Field(description="The local model that worded the bullets.")
    key_facts: list[str] = Field(default_factory=list)

    def text(self) -> str:
        """The whole summary as people read it: bullets, action items, next topics."""
        lines = [f"- {b}" for b in self.bullets]
        lines += [
            f"- {a.owner_name}: {a.what}" + (f" (due {a.due:%-d %B %Y})" if a.due else "")
            for a in self.action_items
        ]
        lines += [f"Next session: {t}" for t in self.next_topics]
        return "\n".join(lines)


def unsupported(
    bullet: str,
    facts: NoteFacts,
    session_date: dt.date,
    people: dict[str, str] | None = None,
) -> str | None:
    """Why the note does not support a bullet, or None: every content word and number of
    the bullet must appear in one sentence of the note or two together, every date it
    gives must be a date of the note, and an action it gives someone must be theirs."""
    words = _content(bullet)
    if not words:
        return "says nothing the note says"
    note_dates = {d.date for d in facts.dates} | {session_date}
    for found in find_dates(bullet, session_date):
        if found.date not in note_dates:
            return f"mentions {found.text!r} ({found.date}), a date the note does not give"
    for claim in extract_facts(bullet, session_date, people or {}, None).action_items:
        said = _content(claim.what)
        same = [a for a in facts.action_items if len(said & _content(a.what)) >= 2]
        if same and claim.owner not in {a.owner for a in same}:
            return f"gives {same[0].owner_name}'s action ({same[0].what!r}) to {claim.owner_name}"
    groups = [_content(s) for s in facts.sentences]
    candidates = groups + [a | b for a, b in combinations(groups, 2)]
    best = max(candidates, key=lambda c: sum(_matches(w, c) for w in words), default=set())
    missing = sorted(w for w in words if not _matches(w, best))
    if missing:
        return f"the note does not say {', '.join(repr(w) for w in missing[:4])}"
    return None


def parse_bullets(text: str) -> list[str]:
    lines = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in text.splitlines()]
    return [line for line in lines if len(line) > 3][:MODEL_BULLETS]


def _draft(
    gateway: LLMGateway, request: ChatRequest, on_token: Callable[[str], None] | None
) -> ChatReply:
    """The model's draft, streamed token by token to `on_token` when given (shown to the
    pair as an unchecked draft while it is written; only the checked summary is kept)."""
    if on_token is None:
        return gateway.complete(request)
    model = gateway.model_for(request)  # the guard runs before anything is sent
    pieces = []
    for piece in gateway.stream(request):
        pieces.append(piece)
        on_token(piece)
    return ChatReply(text="".join(pieces), model=model.name, local=model.local)


def fallback_bullet(item: ActionItem) -> str:
    due = f" by {item.due:%A %d %B %Y}" if item.due else ""
    return f"{item.owner_name}: {item.what}{due}."


def covered(fact: str, text: str) -> bool:
    """A fact is in a text as a whole: "2" is not in "2026", "Sam" not in "Samuel"."""
    pattern = rf"(?<![\w]){re.escape(fact.casefold())}(?![\w])"
    return re.search(pattern, text.casefold()) is not None


def complete_facts(facts: NoteFacts, kept: list[str], summary: NoteSummary) -> list[str]:
    """Kept bullets, then the note's own sentence for each key fact still missing."""
    bullets = list(kept)
    for fact in facts.key_facts:
        if covered(fact, summary.model_copy(update={"bullets": bullets}).text()):
            continue
        source = next((s for s in facts.sentences if covered(fact, s)), None)
        if source is not None and source not in bullets:
            bullets.append(source)
    return bullets


def summarise_notes_locally(
    text: str,
    session_date: dt.date,
    people: dict[str, str],
    gateway: LLMGateway,
    author: str | None = None,
    on_token: Callable[[str], None] | None = None,
) -> NoteSummary:
    """Extract facts by code, word bullets on the local model, keep the supported ones,
    and bring back every key fact they left out."""
    facts = extract_facts(text, session_date, people, author)
    listed = "\n".join(f"- {fallback_bullet(item)}" for item in facts.action_items) or "- none"
    prompt = render(
        "summarise_notes", session_date=session_date.isoformat(), action_items=listed, notes=text
    )
    request = ChatRequest(
        messages=[{"role": "user", "content": prompt}],
        confidential=True,
        max_tokens=200,
        name="notes_summary",
    )
    reply = _draft(gateway, request, on_token)
    kept, dropped = [], []
    for bullet in parse_bullets(reply.text):
        reason = unsupported(bullet, facts, session_date, people)
        if reason is None and bullet not in kept:
            kept.append(bullet)
        elif reason is not None:
            dropped.append(DroppedBullet(bullet=bullet, reason=reason))
    summary = NoteSummary(
        action_items=facts.action_items,
        next_topics=facts.next_topics,
        bullets=kept,
        dropped=dropped,
        model=reply.model,
        key_facts=facts.key_facts,
    )
    summary.bullets = complete_facts(facts, kept, summary)
    if not summary.bullets and not summary.action_items and facts.sentences:
        summary.bullets = facts.sentences[:2]  # a note with no facts: its opening, verbatim
    return summary
