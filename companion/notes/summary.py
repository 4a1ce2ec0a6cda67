"""Summaries of confidential notes, on the local model only, checked against the notes.

Code extracts the action items, owners, dates and next-session topics first, so those
are faithful by construction. The local model then words three bullets; a bullet whose
date or owner contradicts what was extracted is dropped, and the summary is completed
from the extracted items, never from invention.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from pydantic import BaseModel, Field

from companion.llm import ChatReply, ChatRequest, LLMGateway
from companion.notes.extract import ActionItem, NoteFacts, extract_facts, find_dates, owner_of
from prompts import render

BULLETS = 3


class DroppedBullet(BaseModel):
    bullet: str
    reason: str


class NoteSummary(BaseModel):
    action_items: list[ActionItem]
    next_topics: list[str]
    bullets: list[str] = Field(description="Three bullets: the model's wording where it held up.")
    dropped: list[DroppedBullet] = Field(description="Model bullets that contradicted the notes.")
    model: str = Field(description="The local model that worded the bullets.")


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def check_bullet(
    bullet: str, facts: NoteFacts, people: dict[str, str], session_date: dt.date
) -> str | None:
    """Why a bullet contradicts the extracted facts, or None when it does not."""
    known_dates = {d.date for d in facts.dates} | {session_date}
    for found in find_dates(bullet, session_date):
        if found.date not in known_dates:
            return f"mentions {found.text!r} ({found.date}), a date the notes do not give"
    subject, _ = owner_of(bullet, people, None)  # the first pair member a bullet names
    words = _words(bullet)
    for item in facts.action_items:
        if len(words & _words(item.what) - {n.lower() for n in people.values()}) < 2:
            continue  # this bullet is not about this item
        if subject is not None and subject != item.owner:
            return f"gives {item.owner_name}'s action ({item.what!r}) to {people[subject]}"
        bullet_dates = {f.date for f in find_dates(bullet, session_date)}
        if item.due and bullet_dates and item.due not in bullet_dates:
            return f"gives {item.what!r} another date than {item.due}"
    return None


def fallback_bullet(item: ActionItem) -> str:
    due = f" by {item.due:%A %d %B %Y}" if item.due else ""
    return f"{item.owner_name}: {item.what}{due}."


def parse_bullets(text: str) -> list[str]:
    lines = [re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in text.splitlines()]
    return [line for line in lines if len(line) > 3][:BULLETS]


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


def summarise_notes_locally(
    text: str,
    session_date: dt.date,
    people: dict[str, str],
    gateway: LLMGateway,
    author: str | None = None,
    on_token: Callable[[str], None] | None = None,
) -> NoteSummary:
    """Extract facts by code, word three bullets on the local model, drop contradictions."""
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
        reason = check_bullet(bullet, facts, people, session_date)
        if reason is None:
            kept.append(bullet)
        else:
            dropped.append(DroppedBullet(bullet=bullet, reason=reason))
    for item in facts.action_items:
        if len(kept) >= BULLETS:
            break
        kept.append(fallback_bullet(item))
    for topic in facts.next_topics:
        if len(kept) >= BULLETS:
            break
        kept.append(f"Next session: {topic}.")
    return NoteSummary(
        action_items=facts.action_items,
        next_topics=facts.next_topics,
        bullets=kept[:BULLETS],
        dropped=dropped,
        model=reply.model,
    )
