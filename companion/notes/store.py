"""Confidential session notes: encrypted files per pair, readable by the pair alone.

Access is enforced here, not in the UI: a coordinator can never read notes or summaries,
and a person can only read and write the notes of a pair they belong to.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from pydantic import BaseModel

from companion.files import write_atomic
from companion.matching.ledger import MatchLedger, Status
from companion.models import Profile, Viewer
from companion.notes.crypto import NoteCipher, NotesKeyError

COORDINATOR_REFUSAL = (
    "Coordinators cannot read session notes or their summaries: they stay with the pair."
)


class NotesAccessDenied(PermissionError):
    pass


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


class NotesRead(BaseModel):
    """A pair's notes, and the files among them that could not be read."""

    notes: list[SessionNote]
    damaged: list[str]


class NotesStore:
    """Encrypted notes and summaries under `folder`, one subfolder per pair."""

    def __init__(self, folder: Path, cipher: NoteCipher, ledger: MatchLedger) -> None:
        self.folder = folder
        self.cipher = cipher
        self.ledger = ledger

    def pair(self, viewer: Viewer, pair_id: str) -> Pair:
        """The accepted pair, if `viewer` may see its notes; NotesAccessDenied otherwise."""
        if viewer.role == Profile.COORDINATOR:
            raise NotesAccessDenied(COORDINATOR_REFUSAL)
        match = self.ledger.matches().get(self.ledger.resolve(pair_id))
        if match is None or match.status != Status.ACCEPTED:
            raise NotesAccessDenied(f"no active pair {pair_id!r}")
        if viewer.person_id not in (match.mentee_id, match.mentor_id):
            raise NotesAccessDenied(f"{viewer.person_id} is not in pair {pair_id}")
        pair = Pair(id=match.id, mentee_id=match.mentee_id, mentor_id=match.mentor_id)
        self._adopt_legacy_notes(pair)
        return pair

    def _adopt_legacy_notes(self, pair: Pair) -> None:
        """Move notes kept under the pair's id from before the match id migration into its
        folder. An old id that two pairs shared is split by each note's author."""
        for row in self.ledger.legacy_ids:
            old = self.folder / row["old_id"]
            if row["new_id"] != pair.id or not old.is_dir():
                continue
            for path in sorted(old.glob("*.note")):
                note = SessionNote.model_validate_json(self.cipher.decrypt(path.read_bytes()))
                if note.author_id not in (pair.mentee_id, pair.mentor_id):
                    continue
                moved = note.model_copy(update={"pair_id": pair.id})
                _write_atomic(
                    self._dir(pair.id) / path.name,
                    self.cipher.encrypt(moved.model_dump_json().encode()),
                )
                summary = path.with_suffix(".summary")
                if summary.exists():
                    summary.replace(self._dir(pair.id) / summary.name)
                path.unlink()
            if not any(old.iterdir()):
                old.rmdir()

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

    def read(self, viewer: Viewer, pair_id: str) -> NotesRead:
        """The pair's notes; a damaged file is reported by name and the others stay readable.

        When no file opens at all, the key is the likelier culprit: NotesKeyError names it.
        """
        pair = self.pair(viewer, pair_id)
        notes, damaged = [], []
        paths = sorted(self._dir(pair.id).glob("*.note"))
        for path in paths:
            try:
                notes.append(
                    SessionNote.model_validate_json(self.cipher.decrypt(path.read_bytes()))
                )
            except (NotesKeyError, ValueError):
                damaged.append(path.name)
        if paths and not notes:
            raise NotesKeyError(
                f"none of the {len(paths)} note(s) of pair {pair.id} opens with the key in "
                f"{self.cipher.source}: it is not the key they were written with"
            )
        return NotesRead(notes=notes, damaged=damaged)

    def notes(self, viewer: Viewer, pair_id: str) -> list[SessionNote]:
        """The readable notes of the pair (see `read` for the damaged ones)."""
        return self.read(viewer, pair_id).notes

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
        try:
            return self.cipher.decrypt(path.read_bytes()) if path.exists() else None
        except NotesKeyError:
            return None  # a damaged summary is made again from its note

    def _dir(self, pair_id: str) -> Path:
        return self.folder / pair_id
