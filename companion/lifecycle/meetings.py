"""Meetings a pair logs, and the pace they keep against the programme's minimum.

Either member logs a meeting; both logging the same day is one meeting. Pace prorates the
programme's `min_meetings` from the day the match was accepted to the programme's end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from companion.lifecycle.models import MAX_MINUTES, Meeting, MeetingMode, Pace
from companion.lifecycle.store import LifecycleStore
from companion.matching.ledger import Match, Status
from companion.models import Programme

if TYPE_CHECKING:
    from companion.workspace import Workspace


class LifecycleError(ValueError):
    """A lifecycle action that cannot be done; the message names the field and why."""


def pair_of(workspace: Workspace, match_id: str, *statuses: Status) -> Match:
    """The pair `match_id` names (an id from before the id migration works too), in one of
    `statuses` (default: active or ended)."""
    ledger = workspace.ledger
    match = ledger.matches().get(ledger.resolve(match_id.strip()))
    allowed = statuses or (Status.ACCEPTED, Status.ENDED)
    if match is None or match.status not in allowed:
        raise LifecycleError(f"pair: no {' or '.join(allowed)} pair with id {match_id!r}")
    return match


def member_of(match: Match, person_id: str) -> str:
    if person_id not in (match.mentee_id, match.mentor_id):
        raise LifecycleError(f"--as: {person_id!r} is not a member of pair {match.id}")
    return person_id


@dataclass(frozen=True)
class PairPace:
    held: int  # distinct days with a meeting
    expected: float  # meetings due by today, prorated
    minimum: int  # the programme's min_meetings
    pace: Pace
    last_meeting: dt.date | None

    def describe(self) -> str:
        return (
            f"{self.held} of {self.minimum} meetings held, {self.expected:.1f} expected by "
            f"now ({self.pace})"
        )


class Meetings:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.store = LifecycleStore(workspace.settings.store_dir)
        self.today = workspace.settings.current_date()

    @cached_property
    def programme(self) -> Programme | None:
        return self.workspace.store.programme()

    def log(
        self,
        match_id: str,
        on: dt.date,
        minutes: int,
        as_person: str,
        mode: MeetingMode | str = MeetingMode.VIDEO,
        goal_ids: list[str] | None = None,
    ) -> Meeting:
        """Log a meeting; any bad field is an error naming it, and nothing is written."""
        match = pair_of(self.workspace, match_id)
        member_of(match, as_person)
        if on > self.today:
            raise LifecycleError(f"--date: {on:%-d %B %Y} is in the future")
        accepted = match.accepted_on
        if accepted is not None and on < accepted:
            raise LifecycleError(
                f"--date: {on:%-d %B %Y} is before the match was accepted ({accepted:%-d %B %Y})"
            )
        if match.ended_on is not None and on > match.ended_on:
            raise LifecycleError(
                f"--date: {on:%-d %B %Y} is after the pair ended ({match.ended_on:%-d %B %Y})"
            )
        if not 1 <= minutes <= MAX_MINUTES:
            raise LifecycleError(f"--minutes: {minutes} is not between 1 and {MAX_MINUTES}")
        try:
            mode = MeetingMode(mode)
        except ValueError:
            choices = ", ".join(m.value for m in MeetingMode)
            raise LifecycleError(f"--mode: {mode!r} is not one of {choices}") from None
        goals = {g.id for g in self.workspace.goal_store.for_mentee(match.mentee_id)}
        for goal_id in goal_ids or []:
            if goal_id not in goals:
                raise LifecycleError(f"--goal: {goal_id!r} is not a goal of this pair's mentee")
        key = f"{match.id}|{on.isoformat()}|{as_person}"
        meeting = Meeting(
            id="mt-" + hashlib.sha256(key.encode()).hexdigest()[:12],  # same day, same person:
            match_id=match.id,  # logging again replaces it
            on=on,
            minutes=minutes,
            mode=mode,
            goal_ids=list(goal_ids or []),
            logged_by=as_person,
            logged_at=self.workspace.settings.current_time(),
        )
        self.store.save_meeting(meeting)
        return meeting

    def earlier_entry(self, match_id: str, on: dt.date, person: str) -> Meeting | None:
        """This person's entry for that day, which logging again replaces."""
        match = pair_of(self.workspace, match_id)
        found = [m for m in self.store.meetings(match.id) if m.on == on and m.logged_by == person]
        return found[0] if found else None

    def of_pair(self, match_id: str) -> list[Meeting]:
        return self.store.meetings(pair_of(self.workspace, match_id).id)

    def pace(self, match: Match, meetings: list[Meeting] | None = None) -> PairPace:
        meetings = self.store.meetings(match.id) if meetings is None else meetings
        days = sorted({m.on for m in meetings})
        programme = self.programme
        minimum = programme.min_meetings if programme else 3
        start = match.accepted_on or self.today
        end = programme.end_date if programme else start + dt.timedelta(days=180)
        now = min(self.today, match.ended_on or self.today)
        span = max((end - start).days, 1)
        expected = round(minimum * min(max((now - start).days / span, 0.0), 1.0), 2)
        if len(days) < math.floor(expected):
            pace = Pace.BEHIND
        elif len(days) > math.ceil(expected):
            pace = Pace.AHEAD
        else:
            pace = Pace.ON_TRACK
        return PairPace(len(days), expected, minimum, pace, days[-1] if days else None)
