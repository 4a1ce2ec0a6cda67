"""Ending a relationship well: either member or a coordinator ends it with an outcome
(no-fault where it simply did not fit), the mentor's place is freed, both are asked a
closing check-in, and a mentee whose pair ended early can be matched again, never with
the same mentor. When the programme's end passes, `close_programme` ends every pair.

The ledger keeps the outcome; a private reason, if given, is kept apart and shown only to
coordinators (and whoever wrote it), never to the other member.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel

from companion.lance import open_table, upsert_rows
from companion.lifecycle.meetings import LifecycleError, member_of, pair_of
from companion.lifecycle.models import Outcome
from companion.matching.ledger import Match, MatchEvent, Status
from companion.models import Profile, Viewer
from companion.plain_text import BIDI_CONTROLS

UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")

if TYPE_CHECKING:
    from companion.workspace import Workspace

ENDINGS = "endings"


class Ending(BaseModel):
    match_id: str
    outcome: Outcome
    by: str
    role: Profile
    private_reason: str = ""


def parse_outcome(text: str) -> Outcome:
    cleaned = text.strip().lower().replace(" ", "-").replace("_", "-")
    for outcome in Outcome:
        if cleaned in (outcome.value, outcome.name.lower().replace("_", "-")):
            return outcome
    choices = ", ".join(o.value for o in Outcome)
    raise LifecycleError(f"--outcome: {text!r} is not one of {choices}")


class Endings:
    def __init__(self, workspace: Workspace) -> None:
        import lancedb
        import pyarrow as pa

        self.workspace = workspace
        self._pa = pa
        self._db = lancedb.connect(str(workspace.settings.store_dir))

    def end(
        self,
        match_id: str,
        by: str,
        role: Profile,
        outcome: Outcome | str,
        private_reason: str = "",
    ) -> Match:
        """End an active pair. A member ends only their own pair; a coordinator any."""
        outcome = outcome if isinstance(outcome, Outcome) else parse_outcome(outcome)
        for name, text in (("--by", by), ("--reason", private_reason)):
            if UNSAFE.search(text):
                raise LifecycleError(f"{name}: holds a control character; remove it")
        if not by.strip():
            raise LifecycleError("--by: give the name of who ends it")
        match = pair_of(self.workspace, match_id, Status.ACCEPTED)
        if role != Profile.COORDINATOR:
            member_of(match, by)
        ledger = self.workspace.ledger
        with ledger.locked():
            current = ledger.matches()
            match = current[match.id]
            if match.status != Status.ACCEPTED:
                raise LifecycleError(f"pair: {match.id} is no longer active")
            self._append(match, current, by, role, outcome)
            if private_reason.strip():
                ending = Ending(
                    match_id=match.id,
                    outcome=outcome,
                    by=by,
                    role=role,
                    private_reason=" ".join(private_reason.split())[:2000],
                )
                row = {"id": match.id, "data": ending.model_dump_json()}
                upsert_rows(self._db, ENDINGS, "id", self._pa.Table.from_pylist([row]))
        from companion.lifecycle.nudges import Nudges

        Nudges(self.workspace).pair_ended(match, by, outcome.value.replace("-", " "))
        return ledger.matches()[match.id]

    def _append(
        self, match: Match, current: dict[str, Match], by: str, role: Profile, outcome: Outcome
    ) -> None:
        event = MatchEvent(
            seq=0,  # numbered by the ledger's commit
            at=self.workspace.settings.current_time(),
            actor=by,
            actor_role=role,
            action="end",
            match_id=match.id,
            mentee_id=match.mentee_id,
            mentor_id=match.mentor_id,
            status=Status.ENDED,
            reason=outcome.value,
            score=match.score,
        )
        self.workspace.ledger.commit(current, [event])

    def private_reason(self, viewer: Viewer, match_id: str) -> str:
        """The private reason a pair was ended for: coordinators and its writer only."""
        table = open_table(self._db, ENDINGS)
        if table is None:
            return ""
        rows = [r for r in table.to_arrow().to_pylist() if r["id"] == match_id]
        if not rows:
            return ""
        ending = Ending.model_validate_json(rows[0]["data"])
        allowed = viewer.role == Profile.COORDINATOR or viewer.person_id == ending.by
        return ending.private_reason if allowed else ""

    def close_programme(self, by: str) -> list[Match]:
        """End every active pair as 'programme ended' (running it again ends nothing new)."""
        return [
            self.end(m.id, by, Profile.COORDINATOR, Outcome.PROGRAMME_ENDED)
            for m in self.active_after_end()
        ]

    def active_after_end(self) -> list[Match]:
        """The active pairs a close would end (refused while the programme runs)."""
        programme = self.workspace.store.programme()
        today = self.workspace.settings.current_date()
        if programme is None:
            raise LifecycleError("programme: none is set (`mentorkit programme set`)")
        if today <= programme.end_date:
            raise LifecycleError(
                f"programme: it runs until {programme.end_date:%-d %B %Y}; close it after that"
            )
        return [m for m in self.workspace.ledger.matches().values() if m.status == Status.ACCEPTED]
