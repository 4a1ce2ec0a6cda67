"""Prompt templates as files. Each declares its variables in VARIABLES; render() checks them."""

from __future__ import annotations

import string
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
VARIABLES: dict[str, frozenset[str]] = {
    "summarise_notes": frozenset({"session_date", "action_items", "notes"}),
    "smart_goal": frozenset({"goal_text"}),
    "agenda_wording": frozenset({"items"}),
    "guide_answer": frozenset({"question", "passages"}),
    "nudge_checkin_due": frozenset({"first_name", "other_name", "cycle"}),
    "nudge_no_meeting": frozenset({"first_name", "other_name", "days"}),
    "nudge_first_session": frozenset({"first_name", "other_name", "days"}),
    "nudge_from_coordinator": frozenset({"first_name", "other_name", "reason"}),
    "nudge_pair_ended": frozenset({"first_name", "other_name", "outcome", "who"}),
}


class PromptError(ValueError):
    pass


def template(name: str) -> str:
    return (FOLDER / f"{name}.txt").read_text(encoding="utf-8")


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def render(name: str, **values: str) -> str:
    """The template filled with exactly its declared variables."""
    declared = VARIABLES[name]
    missing, extra = declared - values.keys(), values.keys() - declared
    if missing or extra:
        raise PromptError(f"prompt {name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return template(name).format(**values)
