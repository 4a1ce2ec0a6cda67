"""Drafting a SMART goal as a structured conversation.

The mentee's words fill slots (companion.goals.slots), the checker judges the slots, and
code composes the goal sentence from them. Each question asks for exactly one missing or
failing slot, in the mentee's own words; an answer that fills another slot is used too.
The chat model may only reword the composed sentence, and its wording is kept only when
code finds every slot value in it and nothing added (a number or a date not given).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, Field

from companion.goals.checker import GoalContext, check_smart, stems
from companion.goals.models import CriterionCheck, GoalDraft, SmartGoal
from companion.goals.slots import GoalSlots, compose, merge, read_slots
from companion.language import dates
from companion.llm import ChatRequest, LLMGateway, ModelUnavailable
from prompts import render

MAX_WORDS = 30
REWORD_SCHEMA = {
    "type": "object",
    "properties": {"statement": {"type": "string"}},
    "required": ["statement"],
}
# Which slot answers each criterion, in the order they are asked.
ASK_ORDER = ("specific", "measurable", "time_bound", "relevant", "achievable")
SLOT_OF = {
    "specific": "action",
    "measurable": "measure",
    "time_bound": "due",
    "relevant": "serves",
    "achievable": "action",
}


class GoalConversation(BaseModel):
    """A goal being drafted: its slots, the slot last asked for, and the drafts so far."""

    slots: GoalSlots = Field(default_factory=GoalSlots)
    asked: str | None = None  # the criterion the last question was about
    asked_slot: str | None = None  # the slot that question asks for
    skipped: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)  # each draft's sentence, in order
    answers: int = 0


def invented(candidate: str, source: str, ctx: GoalContext) -> str | None:
    """What a candidate sentence adds that the mentee never said: a number or a date."""
    given = {d.date for d in dates.find(source, ctx.today)}
    for found in dates.find(candidate, ctx.today):
        if found.date not in given:
            return f"the date {found.text!r}"
    given_numbers = set(re.findall(r"\d+", source))
    dated = " ".join(d.text for d in dates.find(candidate, ctx.today))
    for number in re.findall(r"\d+", candidate):
        if number not in given_numbers and number not in dated:
            return f"the number {number}"
    return None


def keeps_slots(candidate: str, slots: GoalSlots, composed: str, ctx: GoalContext) -> bool:
    """A rewording is kept only when it keeps every slot value and adds nothing."""
    if not 4 <= len(candidate.split()) <= MAX_WORDS or "{" in candidate:
        return False
    if slots.due_date and slots.due_date not in {d.date for d in dates.find(candidate, ctx.today)}:
        return False
    for number in re.findall(r"\d+(?:\.\d+)?", slots.measure):
        if not re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", candidate):
            return False
    kept = stems(slots.action)
    if kept and len(stems(candidate) & kept) < max(1, (2 * len(kept)) // 3):
        return False
    return invented(candidate, composed, ctx) is None


def _reword(
    composed: str, slots: GoalSlots, ctx: GoalContext, gateway: LLMGateway
) -> tuple[str, str]:
    """The model's wording of the composed goal where it keeps every slot; else the
    composed sentence. Returns (sentence, model)."""
    try:
        reply = gateway.complete(
            ChatRequest(
                messages=[{"role": "user", "content": render("smart_goal", goal_text=composed)}],
                confidential=False,
                json_schema=REWORD_SCHEMA,
                name="smart_goal",
                max_tokens=80,
            )
        )
    except ModelUnavailable:
        return composed, ""
    match = re.search(r"\{.*\}", reply.text, re.S)
    try:
        value: Any = json.loads(match[0]) if match else {}
    except json.JSONDecodeError:
        value = {}
    candidate = str(value.get("statement", "") if isinstance(value, dict) else "").strip()
    if candidate and keeps_slots(candidate, slots, composed, ctx):
        return candidate, reply.model
    return composed, reply.model


def _slot_asked(check: CriterionCheck) -> str:
    """The slot a failing check's question asks for (a date too soon asks for the date)."""
    if check.criterion == "achievable" and ("days" in check.reason or "passed" in check.reason):
        return "due"
    return SLOT_OF[check.criterion]


def judge(slots: GoalSlots, ctx: GoalContext) -> tuple[SmartGoal, list[CriterionCheck]]:
    goal = SmartGoal(statement=compose(slots, MAX_WORDS), due_date=slots.due_date, slots=slots)
    return goal, check_smart(goal, ctx)


def _draft(
    conversation: GoalConversation, ctx: GoalContext, gateway: LLMGateway | None
) -> GoalDraft:
    goal, checks = judge(conversation.slots, ctx)
    failing = [c for c in checks if not c.passed]
    order = sorted(failing, key=lambda c: ASK_ORDER.index(c.criterion))
    asking = [c for c in order if c.criterion not in conversation.skipped] or order
    conversation.asked = asking[0].criterion if asking else None
    conversation.asked_slot = _slot_asked(asking[0]) if asking else None
    model = ""
    if not failing and gateway is not None:
        goal.statement, model = _reword(goal.statement, conversation.slots, ctx, gateway)
    conversation.history.append(goal.statement)
    return GoalDraft(
        goal=goal,
        checks=checks,
        questions=[c.question for c in asking if c.question],
        model=model,
    )


def start_goal(
    text: str, ctx: GoalContext, gateway: LLMGateway | None = None
) -> tuple[GoalConversation, GoalDraft]:
    """A conversation from the mentee's first words, and its first draft."""
    conversation = GoalConversation(slots=read_slots(" ".join(text.split()), ctx.today))
    return conversation, _draft(conversation, ctx, gateway)


def answer_goal(
    conversation: GoalConversation, text: str, ctx: GoalContext, gateway: LLMGateway | None = None
) -> GoalDraft:
    """The mentee's answer to the last question fills its slot (and any other it can)."""
    raw = " ".join(text.split())
    answer = read_slots(raw, ctx.today)
    if conversation.asked == "achievable" and conversation.asked_slot == "action":
        # a smaller goal instead of one too big: what the big one would show goes with it
        update = {"measure": "", "measure_is_action": True}
        conversation.slots = conversation.slots.model_copy(update=update)
    conversation.slots = merge(conversation.slots, answer, conversation.asked_slot, raw)
    conversation.answers += 1
    return _draft(conversation, ctx, gateway)


def skip_question(
    conversation: GoalConversation, ctx: GoalContext, gateway: LLMGateway | None = None
) -> GoalDraft:
    if conversation.asked and conversation.asked not in conversation.skipped:
        conversation.skipped.append(conversation.asked)
    return _draft(conversation, ctx, gateway)


def draft_smart_goal(text: str, ctx: GoalContext, gateway: LLMGateway | None = None) -> GoalDraft:
    """One text judged as a goal: its slots, checks and the questions still needed."""
    return start_goal(text, ctx, gateway)[1]
