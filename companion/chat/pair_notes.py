"""Confidential notes in the chat: written only with the `note` command, always to an
explicit pair (the only one, or the one the person chooses for this very note),
summarised on the local model, and marked confidential so the thread store keeps none of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from companion.chat.replies import ActionSpec, NotAllowed, Reply
from companion.llm import ConfidentialityError, ModelUnavailable
from companion.matching import Match
from companion.models import Profile
from companion.notes import COORDINATOR_REFUSAL, Notebook, NotesAccessDenied, NotesKeyError

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

NOTES_NOTICE = (
    "Notes are encrypted at rest and never stored in the chat history; summaries are "
    "written by the local model {model}. Coordinators can never read them."
)
NOTE_COMMAND = "note"  # a message sent with this Chainlit command is a confidential note
HOW_TO_NOTE = (
    "To write a confidential note, choose **note** under the message box (or type "
    "/note), then write it. Only you and your pair can read it."
)


class PairNotes:
    """The notes part of one person's chat; a note waiting for its pair is kept in memory."""

    def __init__(self, chat: Assistant) -> None:
        self.chat = chat
        self.pending: str | None = None  # in memory only, until its pair is chosen

    def menu(self) -> Reply:
        """How to write a note, and a button per pair to read its latest summary."""
        if self.chat.profile == Profile.COORDINATOR:
            return Reply(COORDINATOR_REFUSAL)
        pairs = self.chat.my_pairs()
        if not pairs:
            return Reply("Notes belong to an active pair, and you have none yet.")
        actions = [
            ActionSpec("notes_read", f"Latest note with {self.chat.partner(p)}", {"pair_id": p.id})
            for p in pairs
        ]
        return Reply(HOW_TO_NOTE, actions)

    def write(self, text: str, on_token: Callable[[str], None] | None = None) -> Reply:
        """Save a note to the pair it is for: the only pair, the one chosen in this chat, or
        (when there are several) the one the person picks next. Never a guess."""
        if self.chat.profile == Profile.COORDINATOR:
            return Reply(COORDINATOR_REFUSAL)
        if not text:
            return Reply("Write the note after choosing **note**: it was empty.")
        pairs = self.chat.my_pairs()
        if not pairs:
            return Reply("Notes belong to an active pair, and you have none yet.")
        # With several pairs every note asks: a choice is never carried over to the next
        # note, which may be about someone else.
        chosen = pairs if len(pairs) == 1 else []
        if not chosen:
            self.pending = text
            return self.ask_pair("Which pair is this note for? (It is not saved until you choose.)")
        return self.save(chosen[0], text, on_token)

    def ask_pair(self, question: str) -> Reply:
        pairs = self.chat.my_pairs()
        return Reply(
            question,
            [
                ActionSpec("note_pair", f"With {self.chat.partner(p)}", {"pair_id": p.id})
                for p in pairs
            ],
        )

    def pair_for_pending(self, text: str) -> Reply:
        """A message while a note waits for its pair: a name (or part of one) that fits
        exactly one pair chooses it; 'cancel' discards the note; anything else asks again."""
        words = set(re.findall(r"\w+", text.lower()))
        if words & {"cancel", "discard", "stop"}:
            self.pending = None
            return Reply("The note was discarded; nothing was saved.")
        fits = [
            p
            for p in self.chat.my_pairs()
            if words & set(re.findall(r"\w+", self.chat.partner(p).lower()))
        ]
        if len(fits) == 1:
            return self.choose_pair(fits[0].id)
        return self.ask_pair(
            "Your note is not saved yet. Which pair is it for? Choose a button (or type "
            "the person's name, or 'cancel' to discard the note)."
        )

    def _mine(self, pair_id: str) -> Match:
        pair = next((p for p in self.chat.my_pairs() if p.id == pair_id), None)
        if pair is None:
            raise NotAllowed("that is not one of your active pairs")
        return pair

    def choose_pair(self, pair_id: str) -> Reply:
        pair = self._mine(pair_id)
        text, self.pending = self.pending, None
        if not text:
            return Reply("No note is waiting: write one with **note** first.", refused=True)
        return self.save(pair, text)

    def save(self, pair: Match, text: str, on_token: Callable[[str], None] | None = None) -> Reply:
        book = Notebook(self.chat.workspace)
        try:
            book.add(self.chat.viewer(), pair.id, text)
        except (NotesAccessDenied, NotesKeyError, ValueError) as err:
            return Reply(f"The note was not saved: {err}")
        saved = f"Saved to your notes with **{self.chat.partner(pair)}**."
        return self.summary(book, pair, saved, on_token)

    def read(self, pair_id: str) -> Reply:
        pair = self._mine(pair_id)
        return self.summary(Notebook(self.chat.workspace), pair, f"With {self.chat.partner(pair)}.")

    def summary(
        self,
        book: Notebook,
        pair: Match,
        heading: str,
        on_token: Callable[[str], None] | None = None,
    ) -> Reply:
        notice = NOTES_NOTICE.format(model=book.gateway.local.name)
        try:
            summary = book.summarise(self.chat.viewer(), pair.id, on_token=on_token)
        except (
            NotesAccessDenied,
            NotesKeyError,
            ValueError,
            ConfidentialityError,
            ModelUnavailable,
        ) as err:
            return Reply(f"{heading} {err}\n\n{notice}")
        bullets = "\n".join(f"- {b}" for b in summary.bullets) or "- (only the actions below)"
        actions = (
            "\n".join(
                f"- {a.owner_name}: {a.what}" + (f" (due {a.due:%-d %B %Y})" if a.due else "")
                for a in summary.action_items
            )
            or "- none found"
        )
        topics = "".join(f"\n\nNext session: {t}" for t in summary.next_topics)
        return Reply(
            f"{heading} {notice}\n\nSummary of your latest note:\n{bullets}\n\n"
            f"Action items (taken from the note itself):\n{actions}{topics}",
            confidential=True,
        )
