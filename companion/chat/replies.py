"""What the companion answers with, whatever the UI: text, buttons, figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class NotAllowed(PermissionError):
    pass


@dataclass
class ActionSpec:
    name: str
    label: str
    payload: dict[str, Any]


@dataclass
class Reply:
    text: str
    actions: list[ActionSpec] = field(default_factory=list)
    figures: list[tuple[str, Any]] = field(default_factory=list)
    files: list[tuple[str, Path]] = field(default_factory=list)  # offered for download
    confidential: bool = False  # shown to the person, never stored in the thread
    refused: bool = False  # the action was not done (the text says why)
    asks_confidential: bool = False  # the person's answer is kept out of the chat history
