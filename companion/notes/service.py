"""Confidential notes use cases: write a note, summarise it on the local model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from companion.llm import LLMGateway
from companion.notes.crypto import NoteCipher, notes_key
from companion.notes.store import NotesStore, Pair, SessionNote, Viewer
from companion.notes.summary import NoteSummary, summarise_notes_locally
from companion.workspace import Workspace


class Notebook:
    """The notes of the pairs in one workspace, encrypted at rest."""

    def __init__(self, workspace: Workspace, gateway: LLMGateway | None = None) -> None:
        settings = workspace.settings
        key, source = notes_key(
            settings.notes_key,
            settings.notes_key_file,
            settings.data_dir / "keys" / "notes.key",
            settings.notes_dir,
        )
        self.workspace = workspace
        self.gateway = gateway or workspace.gateway
        self.store = NotesStore(settings.notes_dir, NoteCipher(key, source), workspace.ledger)

    def add(
        self, viewer: Viewer, pair_id: str, text: str, session_date: dt.date | None = None
    ) -> SessionNote:
        return self.store.add(viewer, pair_id, text, session_date)

    def first_names(self, pair: Pair) -> dict[str, str]:
        names = {}
        for person_id in (pair.mentee_id, pair.mentor_id):
            person = self.workspace.store.get(person_id)
            names[person_id] = person.name.split()[0] if person else person_id
        return names

    def summarise(
        self,
        viewer: Viewer,
        pair_id: str,
        note_id: str | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> NoteSummary:
        """Summarise one note (the latest by default) on the local model, and keep it encrypted."""
        pair = self.store.pair(viewer, pair_id)
        notes = self.store.notes(viewer, pair_id)
        if not notes:
            raise ValueError(f"pair {pair_id} has no notes yet")
        note = next((n for n in notes if n.id == note_id), None) if note_id else notes[-1]
        if note is None:
            raise ValueError(f"no note {note_id!r} in pair {pair_id}")
        summary = summarise_notes_locally(
            note.text,
            note.session_date,
            self.first_names(pair),
            self.gateway,
            author=note.author_id,
            on_token=on_token,
        )
        self.store.save_summary(viewer, pair_id, note.id, summary)
        return summary
