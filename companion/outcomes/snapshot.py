"""One read of everything outcomes are computed from: people, sign-up days, pairs, meetings,
check-ins and confirmed goals, as of the workspace's today.

It never reads a note: confidential notes are the pair's alone (a test gives it a notes
store that raises). Check-in comments are read, as the coordinator may.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.goals.models import StoredGoal
from companion.lifecycle.checkins import CheckIns
from companion.lifecycle.models import CheckIn, Outcome
from companion.lifecycle.store import LifecycleStore
from companion.matching.ledger import Match, Status
from companion.models import Person, Programme

if TYPE_CHECKING:
    from companion.workspace import Workspace

EARLY_DAYS = 90  # an ending within this many days of acceptance, short of its goals, is early


@dataclass
class Snapshot:
    today: dt.date
    programme: Programme | None
    people: dict[str, Person]
    signed_up: dict[str, dt.date]
    pairs: list[Match]  # every pair ever accepted (active or ended), oldest first
    meeting_days: dict[str, set[dt.date]]  # pair id -> the distinct days it met
    checkins: list[CheckIn]
    schedules: dict[str, list[tuple[str, dt.date]]]  # pair id -> check-ins fallen due
    goals: dict[str, list[StoredGoal]] = field(default_factory=dict)  # confirmed, by mentee
    everyone: dict[str, Person] = field(default_factory=dict)  # whatever `since` says
    all_pairs: list[Match] = field(default_factory=list)  # whatever `since` says

    @property
    def min_meetings(self) -> int:
        return self.programme.min_meetings if self.programme else 3

    def mentees(self) -> list[Person]:
        return [p for p in self.people.values() if p.role.mentees]

    def pairs_of(self, mentee_id: str) -> list[Match]:
        return [m for m in self.pairs if m.mentee_id == mentee_id]

    def name(self, person_id: str) -> str:
        person = self.people.get(person_id)
        return person.name if person else person_id


def outcome_of(match: Match) -> Outcome | None:
    """Why an ended pair ended (the ledger keeps the outcome as the ending's reason)."""
    ending = next((e for e in reversed(match.events) if e.status == Status.ENDED), None)
    if ending is None:
        return None
    try:
        return Outcome(ending.reason)
    except ValueError:
        return Outcome.OTHER


def ended_early(match: Match) -> bool:
    """Ended within EARLY_DAYS of acceptance for any outcome but goals achieved."""
    outcome, start, end = outcome_of(match), match.accepted_on, match.ended_on
    if outcome is None or start is None or end is None:
        return False
    return outcome != Outcome.GOALS_ACHIEVED and (end - start).days < EARLY_DAYS


def take_snapshot(workspace: Workspace, since: dt.date | None = None) -> Snapshot:
    """Everything as of today; with `since`, only people who signed up from that day, pairs
    accepted from it, check-ins answered and goals confirmed from it."""
    today = workspace.settings.current_date()
    people = everyone = {p.id: p for p in workspace.store.people()}
    signed_up = workspace.store.sign_ups()
    pairs = all_pairs = sorted(
        (m for m in workspace.ledger.matches().values() if m.accepted_on is not None),
        key=lambda m: (m.accepted_on, m.id),
    )
    lifecycle = LifecycleStore(workspace.settings.store_dir)
    schedule = CheckIns(workspace).schedule
    schedules = {m.id: schedule(m) for m in all_pairs}
    checkins = lifecycle.checkins()
    goals = [g for g in workspace.goal_store.all() if g.status != "draft"]
    if since is not None:  # check-ins that fell due since, of any pair
        people = {k: p for k, p in people.items() if signed_up.get(k, dt.date.min) >= since}
        pairs = [m for m in pairs if m.accepted_on and m.accepted_on >= since]
        schedules = {k: [e for e in v if e[1] >= since] for k, v in schedules.items()}
        checkins = [c for c in checkins if c.answered_at.date() >= since]
        goals = [g for g in goals if g.created_at.date() >= since]
    meeting_days: dict[str, set[dt.date]] = defaultdict(set)
    for meeting in lifecycle.meetings():
        meeting_days[meeting.match_id].add(meeting.on)
    by_mentee: dict[str, list[StoredGoal]] = defaultdict(list)
    for goal in goals:
        by_mentee[goal.mentee_id].append(goal)
    return Snapshot(
        today=today,
        programme=workspace.store.programme(),
        people=people,
        signed_up=signed_up,
        pairs=pairs,
        meeting_days=dict(meeting_days),
        checkins=checkins,
        schedules=schedules,
        goals=dict(by_mentee),
        everyone=everyone,
        all_pairs=all_pairs,
    )
