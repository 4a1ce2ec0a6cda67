"""The match ledger: an append-only log of who did what to which match, when and why.

The log is the audit trail and the state at once: a match's status is the status of its
last event. Each change appends its events in one LanceDB commit, under an exclusive
file lock, after re-reading the log, so two acceptances of a mentor's last place cannot
both succeed, across threads and processes alike.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import secrets
from collections import Counter
from collections.abc import Container, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import lancedb
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field

from companion.lance import append_rows, open_table, replace_rows
from companion.models import Profile

EVENTS = "match_events"
ID_MIGRATIONS = "match_id_migrations"
# An opaque id: person ids are never part of it, so no two pairs can share one (ids made
# by joining person ids with '-' did: (a-b, c) and (a, b-c) were both 'a-b-c-1').
MATCH_ID = re.compile(r"m-[0-9a-f]{12}")
# The same test as a LanceDB filter: ledgers are opened on every request, so whether any
# old id is left is counted in the table, without reading and parsing every event.
_LEGACY_FILTER = "NOT regexp_like(match_id, '^m-[0-9a-f]{12}$')"


def new_match_id(taken: Container[str]) -> str:
    """A fresh opaque match id, not in `taken` (checked under the ledger's lock)."""
    while (match_id := f"m-{secrets.token_hex(6)}") in taken:
        pass
    return match_id


class Status(StrEnum):
    REQUESTED = "requested"  # a mentee asked this mentor
    PROPOSED = "proposed"  # the cohort assignment proposed this pair
    ACCEPTED = "accepted"  # an active pair
    DECLINED = "declined"  # the mentor said no
    REJECTED = "rejected"  # a coordinator said no
    SUPERSEDED = "superseded"  # the mentee was paired elsewhere
    ENDED = "ended"  # an accepted pair that has ended (see the event's reason for why)

    @property
    def open(self) -> bool:
        return self in (Status.REQUESTED, Status.PROPOSED)


class MatchError(Exception):
    """A match action that cannot be done; the message says why."""


class CapacityError(MatchError):
    """The mentor has no free place left."""


class MatchEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seq: int
    at: dt.datetime
    actor: str = Field(description="Who acted: a person id, or a coordinator's name.")
    actor_role: Profile = Field(description="In which capacity the actor acted.")
    action: str = Field(description="request, accept, decline, propose, review-accept, ...")
    match_id: str
    mentee_id: str
    mentor_id: str
    status: Status = Field(description="The match's status after this event.")
    reason: str = ""
    forced: bool = False
    broken_rules: list[str] = Field(default_factory=list)
    score: float | None = None


class Match(BaseModel):
    id: str
    mentee_id: str
    mentor_id: str
    status: Status
    score: float | None
    forced: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    events: list[MatchEvent]

    @property
    def accepted_on(self) -> dt.date | None:
        """The day the pair became active (the first event that accepted it)."""
        found = next((e.at for e in self.events if e.status == Status.ACCEPTED), None)
        return found.date() if found else None

    @property
    def ended_on(self) -> dt.date | None:
        found = next((e.at for e in self.events if e.status == Status.ENDED), None)
        return found.date() if found else None


def _schema() -> pa.Schema:
    return pa.schema(
        [
            ("seq", pa.int64()),
            ("at", pa.timestamp("us", tz="UTC")),
            ("actor", pa.string()),
            ("actor_role", pa.string()),
            ("action", pa.string()),
            ("match_id", pa.string()),
            ("mentee_id", pa.string()),
            ("mentor_id", pa.string()),
            ("status", pa.string()),
            ("reason", pa.string()),
            ("forced", pa.bool_()),
            ("broken_rules", pa.list_(pa.string())),
            ("score", pa.float64()),
        ]
    )


class MatchLedger:
    """Match events in LanceDB beside the people, guarded by a lock file."""

    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self.lock_path = store_dir / "matches.lock"
        self._db = lancedb.connect(str(store_dir))
        self._migrate_legacy_ids()

    def _migrate_legacy_ids(self) -> None:
        """Give every match made with a joined-person-ids id an opaque one, in one commit.

        Events are told apart by (old id, mentee, mentor), so two pairs that shared an old
        id get an id each, and the status each one had is folded back from its own events.
        The mapping is kept in `match_id_migrations` (notes folders follow it on first use).
        """
        table = open_table(self._db, EVENTS)
        if table is None or table.count_rows(_LEGACY_FILTER) == 0:
            return
        with self.locked():
            events = self.events()
            taken = {e.match_id for e in events}
            renamed: dict[tuple[str, str, str], str] = {}
            for event in events:
                if MATCH_ID.fullmatch(event.match_id):
                    continue
                key = (event.match_id, event.mentee_id, event.mentor_id)
                if key not in renamed:
                    renamed[key] = new_match_id(taken)
                    taken.add(renamed[key])
                event.match_id = renamed[key]
            if not renamed:
                return  # another process migrated while we waited for the lock
            now = dt.datetime.now(dt.UTC)
            mapping = [
                {"old_id": old, "mentee_id": a, "mentor_id": b, "new_id": new, "at": now}
                for (old, a, b), new in renamed.items()
            ]
            append_rows(self._db, ID_MIGRATIONS, pa.Table.from_pylist(mapping))
            replace_rows(self._db, EVENTS, self._rows(events))

    @cached_property
    def legacy_ids(self) -> list[dict]:
        """Rows (old_id, mentee_id, mentor_id, new_id) of migrated match ids (read once:
        the migration runs when the ledger opens, and nothing adds old ids after it)."""
        table = open_table(self._db, ID_MIGRATIONS)
        return [] if table is None else table.to_arrow().to_pylist()

    def resolve(self, match_id: str) -> str:
        """The current id of `match_id`, which may be an id from before the migration."""
        new = {r["new_id"] for r in self.legacy_ids if r["old_id"] == match_id}
        return new.pop() if len(new) == 1 else match_id

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive across threads and processes: check-then-append happens inside."""
        with open(self.lock_path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def events(self) -> list[MatchEvent]:
        table = open_table(self._db, EVENTS)
        if table is None:
            return []
        rows = table.to_arrow().to_pylist()
        return sorted((MatchEvent.model_validate(r) for r in rows), key=lambda e: e.seq)

    @staticmethod
    def _rows(events: list[MatchEvent]) -> pa.Table:
        return pa.Table.from_pylist([e.model_dump() for e in events], schema=_schema())

    def append(self, events: list[MatchEvent]) -> None:
        """Append events in one commit."""
        append_rows(self._db, EVENTS, self._rows(events))

    def commit(self, matches: dict[str, Match], events: list[MatchEvent]) -> None:
        """Number `events` after the last one in `matches` (read under the lock) and append
        them in one commit."""
        last = max((e.seq for m in matches.values() for e in m.events), default=0)
        for offset, event in enumerate(events, start=1):
            event.seq = last + offset
        self.append(events)

    def matches(self, events: list[MatchEvent] | None = None) -> dict[str, Match]:
        """Every match with its current status, folded from the log."""
        found: dict[str, Match] = {}
        for event in self.events() if events is None else events:
            match = found.get(event.match_id)
            if match is None:
                found[event.match_id] = Match(
                    id=event.match_id,
                    mentee_id=event.mentee_id,
                    mentor_id=event.mentor_id,
                    status=event.status,
                    score=event.score,
                    forced=event.forced,
                    created_at=event.at,
                    updated_at=event.at,
                    events=[event],
                )
            else:
                match.status = event.status
                match.forced = match.forced or event.forced
                match.updated_at = event.at
                match.events.append(event)
        return found

    def loads(self, matches: dict[str, Match] | None = None) -> Counter[str]:
        """Accepted mentees per mentor."""
        matches = self.matches() if matches is None else matches
        return Counter(m.mentor_id for m in matches.values() if m.status == Status.ACCEPTED)
