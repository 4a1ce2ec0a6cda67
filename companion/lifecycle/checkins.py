"""Pulse check-ins: each member separately, at days 30, 60, 90... after acceptance (the
settings say when) and once when the pair ends. Two ratings and an optional comment.

Who sees an answer is checked here, where check-ins are read: the coordinator sees every
rating and comment; a member sees their own; the other member never sees it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ValidationError

from companion.language.sentiment import comment_sentiment
from companion.lifecycle.meetings import LifecycleError, member_of, pair_of
from companion.lifecycle.models import CLOSING, CheckIn
from companion.lifecycle.store import LifecycleStore
from companion.matching.ledger import Match, Status
from companion.models import Profile, Viewer

if TYPE_CHECKING:
    from companion.workspace import Workspace

QUESTIONS = {
    "value": "How valuable has mentoring been lately? (1 = not at all, 5 = very)",
    "progress": "How much progress have you made toward your goals? (1 = none, 5 = a lot)",
}
WHO_SEES = "Your programme coordinator sees your ratings and comment. Your {other_role} does not."


@dataclass(frozen=True)
class DueCheckIn:
    match_id: str
    person_id: str
    due: str  # "day-30"... or "closing"
    due_on: dt.date

    def overdue_by(self, today: dt.date) -> int:
        return (today - self.due_on).days


class CheckIns:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.settings = workspace.settings.lifecycle
        self.store = LifecycleStore(workspace.settings.store_dir)
        self.today = workspace.settings.current_date()

    def schedule(self, match: Match) -> list[tuple[str, dt.date]]:
        """Every check-in of the pair up to today: (key, due day)."""
        start = match.accepted_on
        if start is None:
            return []
        last = min(self.today, match.ended_on or self.today)
        found = []
        day = self.settings.checkin_first_day
        while start + dt.timedelta(days=day) <= last:
            found.append((f"day-{day}", start + dt.timedelta(days=day)))
            day += self.settings.checkin_every_days
        if match.ended_on is not None:
            found.append((CLOSING, match.ended_on))
        return found

    def due(
        self, match: Match, person_id: str, answered: list[CheckIn] | None = None
    ) -> DueCheckIn | None:
        """The check-in this member should answer now: the latest one due and unanswered
        (older missed ones are not asked again), else None."""
        answered = self.store.checkins(match.id) if answered is None else answered
        mine = {c.due for c in answered if c.person_id == person_id}
        schedule = self.schedule(match)
        if not schedule or schedule[-1][0] in mine:
            return None
        key, on = schedule[-1]
        return DueCheckIn(match.id, person_id, key, on)

    def due_for(self, person_id: str) -> list[DueCheckIn]:
        """What this person should answer now, over their pairs."""
        found = []
        for match in self.workspace.ledger.matches().values():
            if person_id in (match.mentee_id, match.mentor_id) and match.status in (
                Status.ACCEPTED,
                Status.ENDED,
            ):
                due = self.due(match, person_id)
                if due is not None:
                    found.append(due)
        return found

    def answer(
        self, match_id: str, as_person: str, value: int, progress: int, comment: str = ""
    ) -> CheckIn:
        """Record the member's answer to the check-in due now. Each check-in is answered
        once: a second answer, or one before any is due, is refused with the reason."""
        match = pair_of(self.workspace, match_id)
        member_of(match, as_person)
        for name, rating in (("--value", value), ("--progress", progress)):
            if not 1 <= rating <= 5:
                raise LifecycleError(f"{name}: {rating} is not between 1 and 5")
        due = self.due(match, as_person)
        if due is None:
            raise LifecycleError(f"pair: no check-in is due for you now ({self.next_due(match)})")
        text = " ".join(comment.split())
        key = f"{match.id}|{as_person}|{due.due}"
        try:
            checkin = CheckIn(
                id="ci-" + hashlib.sha256(key.encode()).hexdigest()[:12],
                match_id=match.id,
                person_id=as_person,
                due=due.due,
                value=value,
                progress=progress,
                comment=text,
                answered_at=self.workspace.settings.current_time(),
            )
        except ValidationError as err:
            problem = err.errors(include_url=False)[0]["msg"]
            raise LifecycleError(f"--comment: {problem}") from None
        if text:
            checkin.sentiment = comment_sentiment(text, self.workspace.embedder.embed)
        self.store.save_checkin(checkin)
        return checkin

    def next_due(self, match: Match) -> str:
        """When the next check-in falls, in words."""
        start = match.accepted_on
        if start is None or match.ended_on is not None:
            return "the pair has ended and its closing check-in is answered"
        day = self.settings.checkin_first_day
        while start + dt.timedelta(days=day) <= self.today:
            day += self.settings.checkin_every_days
        return f"the next is due on {start + dt.timedelta(days=day):%-d %B %Y}"

    def visible(self, viewer: Viewer, match_id: str | None = None) -> list[CheckIn]:
        """The check-ins `viewer` may read: a coordinator all, a member only their own."""
        found = self.store.checkins(pair_of(self.workspace, match_id).id if match_id else None)
        if viewer.role == Profile.COORDINATOR:
            return found
        return [c for c in found if c.person_id == viewer.person_id]


def who_sees(match: Match, person_id: str) -> str:
    other = "mentor" if person_id == match.mentee_id else "mentee"
    return WHO_SEES.format(other_role=other)
