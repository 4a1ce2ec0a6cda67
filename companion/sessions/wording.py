"""Letting a model reword lines, and keeping only rewordings that change no facts."""

from __future__ import annotations

import json
import re

from companion.goals.checker import stems
from companion.llm import ChatRequest, LLMGateway
from prompts import render

SCHEMA = {
    "type": "object",
    "properties": {"items": {"type": "array", "items": {"type": "string"}}},
    "required": ["items"],
}


def _facts(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


def faithful(original: str, reworded: str) -> bool:
    """Same numbers, most content words kept, a question stays a question, sane length."""
    if not reworded or not 0.5 <= len(reworded) / max(len(original), 1) <= 2.0:
        return False
    if _facts(reworded) != _facts(original) or original.endswith("?") != reworded.endswith("?"):
        return False
    kept = stems(original)
    return len(stems(reworded) & kept) >= max(1, (2 * len(kept)) // 3)


def reword(lines: list[str], gateway: LLMGateway, confidential: bool) -> tuple[list[str], str]:
    """Each line reworded by the model where the rewording is faithful, else kept as is."""
    if not lines:
        return lines, ""
    numbered = "\n".join(f"{i + 1}. {line}" for i, line in enumerate(lines))
    reply = gateway.complete(
        ChatRequest(
            messages=[{"role": "user", "content": render("agenda_wording", items=numbered)}],
            confidential=confidential,
            json_schema=SCHEMA,
            name="wording",
            max_tokens=400,
        )
    )
    try:
        proposed = json.loads(reply.text).get("items", [])
    except (json.JSONDecodeError, AttributeError):
        proposed = []
    if not isinstance(proposed, list) or len(proposed) != len(lines):
        return lines, reply.model
    out = [
        str(new).strip() if faithful(old, str(new).strip()) else old
        for old, new in zip(lines, proposed, strict=True)
    ]
    return out, reply.model
