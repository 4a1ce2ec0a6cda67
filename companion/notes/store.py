"""Confidential session notes: encrypted files per pair, readable by the pair alone.

Access is enforced here, not in the UI: a coordinator can never read notes or summaries,
and a person can only read and write the notes of a pair they belong to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from companion.files import write_atomic
from companion.matching.ledger import MatchLedger, Status
from companion.notes.crypto import NoteCipher

COORDINATOR_REFUSAL = (
    "Coordinators cannot read session notes or their summaries: they stay with the pair."
)


class NotesAccessDenied(PermissionError):
    pass


class Viewer(BaseModel):
    """Who is asking: a person (mentee or mentor) or a coordinator."""

    person_id: str | None = None
    role: Literal["mentee", "mentor", "coordinator"]


class SessionNote(BaseModel):
    id: str
    pair_id: str
    author_id: str
    session_date: dt.date
    written_at: dt.datetime
    text: str


class Pair(BaseModel):
    id: str
    mentee_id: str
    mentor_id: str


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the pair's folder: owner only
    write_atomic(path, lambda f: f.write(data), binary=True)


class NotesStore:
    """Encrypted notes and summaries under `folder`, one subfolder per pair."""

    def __init__(self, folder: Path, cipher: NoteCipher, ledger: MatchLedger) -> None:
        self.folder = folder
        self.cipher = cipher
        self.ledger = ledger

    def pair(self, viewer: Viewer, pair_id: str) -> Pair:
        """The accepted pair, if `viewer` may see its notes; NotesAccessDenied otherwise."""
        if viewer.role == "coordinator":
            raise NotesAccessDenied(COORDINATOR_REFUSAL)
        match = self.ledger.matches().get(pair_id)
        if match is None or match.status != Status.ACCEPTED:
            raise NotesAccessDenied(f"no active pair {pair_id!r}")
        if viewer.person_id not in (match.mentee_id, match.mentor_id):
            raise NotesAccessDenied(f"{viewer.person_id} is not in pair {pair_id}")
        return Pair(id=match.id, mentee_id=match.mentee_id, mentor_id=match.mentor_id)

    def add(
        self, viewer: Viewer, pair_id: str, text: str, session_date: dt.date | None = None
    ) -> SessionNote:
        pair = self.pair(viewer, pair_id)
        if not text.strip():
            raise ValueError("a note needs some text")
        now = dt.datetime.now(dt.UTC)
        note = SessionNote(
            id=f"{now:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}",
            pair_id=pair.id,
            author_id=str(viewer.person_id),
            session_date=session_date or now.date(),
            written_at=now,
            text=text.strip(),
        )
        _write_atomic(
            self._dir(pair.id) / f"{note.id}.note",
            self.cipher.encrypt(note.model_dump_json().encode()),
        )
        return note

    def notes(self, viewer: Viewer, pair_id: str) -> list[SessionNote]:
        pair = self.pair(viewer, pair_id)
        return [
            SessionNote.model_validate_json(self.cipher.decrypt(p.read_bytes()))
            for p in sorted(self._dir(pair.id).glob("*.note"))
        ]

    def save_summary(self, viewer: Viewer, pair_id: str, note_id: str, summary: BaseModel) -> None:
        pair = self.pair(viewer, pair_id)
        _write_atomic(
            self._dir(pair.id) / f"{note_id}.summary",
            self.cipher.encrypt(summary.model_dump_json().encode()),
        )

    def summary(self, viewer: Viewer, pair_id: str, note_id: str) -> bytes | None:
        """The decrypted JSON of a note's summary, if one was saved."""
        pair = self.pair(viewer, pair_id)
        path = self._dir(pair.id) / f"{note_id}.summary"
        return self.cipher.decrypt(path.read_bytes()) if path.exists() else None

    def _dir(self, pair_id: str) -> Path:
        return self.folder / pair_id
