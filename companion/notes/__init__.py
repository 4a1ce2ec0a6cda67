"""Confidential session notes: encrypted at rest, summarised on the local model only."""

from companion.notes.crypto import NotesKeyError
from companion.notes.extract import ActionItem, NoteFacts, extract_facts, find_dates
from companion.notes.service import Notebook
from companion.notes.store import COORDINATOR_REFUSAL, NotesAccessDenied, SessionNote, Viewer
from companion.notes.summary import NoteSummary, summarise_notes_locally

__all__ = [
    "COORDINATOR_REFUSAL",
    "ActionItem",
    "NoteFacts",
    "NoteSummary",
    "Notebook",
    "NotesAccessDenied",
    "NotesKeyError",
    "SessionNote",
    "Viewer",
    "extract_facts",
    "find_dates",
    "summarise_notes_locally",
]
