"""Drafting a SMART goal: the model proposes, the checker judges, one repair per failure.

The model may only reword. A proposal that brings a number or a date the mentee did not
give is refused, so a goal never passes on invented facts; whatever still fails becomes
a question to ask the mentee.
"""

from __future__ import annotations

import json
import re
from typing import Any

from companion.goals.checker import GoalContext, check_smart, stems
from companion.goals.models import CRITERIA, GoalDraft, SmartGoal
from companion.llm import ChatReply, ChatRequest, LLMGateway
from companion.notes.extract import find_dates
from prompts import render

PROPOSAL_SCHEMA = {
    "type": "object",
    "properties": {name: {"type": "string"} for name in ("statement", *CRITERIA)},
    "required": ["statement", *CRITERIA],
}
REPAIR_SCHEMA = {
    "type": "object",
    "properties": {"statement": {"type": "string"}},
    "required": ["statement"],
}
DESCRIPTION = re.compile(r"^\s*(i am|i'm|i have|i've|we are|as an? |this goal)\b", re.I)
CRITERION_WORDS = {
    "specific": "specific (says exactly what will be done)",
    "measurable": "measurable (a number or a visible result)",
    "achievable": "achievable (one realistic outcome)",
    "relevant": "relevant to the skills the mentee wants",
    "time_bound": "time-bound (has the deadline the mentee gave)",
}


def _json(text: str) -> dict[str, Any]:
    match = re.search(r"\{.*\}", text, re.S)
    try:
        value = json.loads(match[0]) if match else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def invented(candidate: str, source: str, ctx: GoalContext) -> str | None:
    """What a candidate sentence adds that the mentee never said: a number or a date."""
    given_dates = {d.date for d in find_dates(source, ctx.today)}
    for found in find_dates(candidate, ctx.today):
        if found.date not in given_dates:
            return f"the date {found.text!r}"
    given_numbers = set(re.findall(r"\d+", source))
    dated = " ".join(d.text for d in find_dates(candidate, ctx.today))
    for number in re.findall(r"\d+", candidate):
        if number not in given_numbers and number not in dated:
            return f"the number {number}"
    return None


def _acceptable(candidate: str, source: str, ctx: GoalContext) -> bool:
    """Reworded, not rewritten: keeps most of the mentee's content words and adds no facts."""
    words = candidate.split()
    if not 4 <= len(words) <= 60 or "{" in candidate or DESCRIPTION.match(candidate):
        return False
    kept = stems(source)
    if kept and len(stems(candidate) & kept) < max(1, len(kept) // 2):
        return False
    return invented(candidate, source, ctx) is None


def _goal(statement: str, fields: dict[str, Any], source: str, ctx: GoalContext) -> SmartGoal:
    dates = find_dates(statement, ctx.today) or find_dates(source, ctx.today)
    return SmartGoal(
        statement=statement,
        **{name: str(fields.get(name, ""))[:300] for name in CRITERIA},
        due_date=dates[-1].date if dates else None,
    )


def _ask(gateway: LLMGateway, prompt: str, schema: dict, name: str, max_tokens: int) -> ChatReply:
    """One schema-constrained request; goals are personal but not confidential notes."""
    return gateway.complete(
        ChatRequest(
            messages=[{"role": "user", "content": prompt}],
            confidential=False,
            json_schema=schema,
            name=name,
            max_tokens=max_tokens,
        )
    )


def draft_smart_goal(text: str, ctx: GoalContext, gateway: LLMGateway) -> GoalDraft:
    """A SMART goal from the mentee's words, with the checks and the questions still needed."""
    source = " ".join(text.split())
    prompt = render(
        "smart_goal",
        goal_text=source,
        programme_end=ctx.programme_end.isoformat(),
        wanted_skills=", ".join(ctx.wanted[:5]) or "none given",
    )
    reply = _ask(gateway, prompt, PROPOSAL_SCHEMA, "smart_goal", 300)
    proposal = _json(reply.text)
    statement = str(proposal.get("statement", "")).strip()
    goal = _goal(
        statement if _acceptable(statement, source, ctx) else source, proposal, source, ctx
    )
    checks = check_smart(goal, ctx)
    repaired = []
    for check in [c for c in checks if not c.passed]:
        prompt = render(
            "smart_repair",
            goal_text=source,
            criterion=CRITERION_WORDS[check.criterion],
            reason=check.reason,
            current=goal.statement,
        )
        answer = _ask(gateway, prompt, REPAIR_SCHEMA, "smart_repair", 120)
        candidate = str(_json(answer.text).get("statement", "")).strip()
        if not _acceptable(candidate, source, ctx):
            continue
        trial = _goal(candidate, proposal, source, ctx)
        trial_checks = check_smart(trial, ctx)
        now = {c.criterion: c.passed for c in trial_checks}
        before = {c.criterion: c.passed for c in checks}
        if now[check.criterion] and all(now[k] for k, v in before.items() if v):
            goal, checks = trial, trial_checks
            repaired.append(check.criterion)
    questions = [c.question for c in checks if not c.passed and c.question]
    return GoalDraft(
        goal=goal, checks=checks, questions=questions, repaired=repaired, model=reply.model
    )
