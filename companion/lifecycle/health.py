"""Programme health: every active pair healthy, at risk or stalled, with the rules that
said so. Each rule's threshold is in settings (`lifecycle`).

Health reads the ledger, meetings, check-ins and confirmed goals, and never a note:
confidential notes are the pair's alone (a test gives it a notes store that raises).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from companion.lifecycle.checkins import CheckIns
from companion.lifecycle.meetings import Meetings, PairPace
from companion.lifecycle.models import CheckIn, HealthStatus, Pace, Sentiment
from companion.matching.ledger import Match, Status

if TYPE_CHECKING:
    from companion.workspace import Workspace

NEXT_STEPS = {
    "no-meeting": "Nudge both to book their next meeting; if it has fizzled out, offer a "
    "no-fault ending and a new match.",
    "behind-pace": "Nudge them to book meetings: they are behind the programme's pace.",
    "low-rating": "Talk to them (separately) about what is not working.",
    "negative-comment": "Read the check-in comment and talk to them about it.",
    "ratings-apart": "Check in with each of them: they see the relationship differently.",
    "no-goal": "Remind the mentee to set a first goal with the companion.",
    "checkin-overdue": "Nudge them to answer their check-in.",
}


CHECKIN_ANSWER_RULES = frozenset({"low-rating", "negative-comment", "ratings-apart"})


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str

    @property
    def from_checkin_answers(self) -> bool:
        """Said from one member's check-in answers, which the other member never sees."""
        return self.rule in CHECKIN_ANSWER_RULES


@dataclass
class PairHealth:
    match: Match
    mentee_name: str
    mentor_name: str
    status: HealthStatus
    pace: PairPace
    reasons: list[Reason] = field(default_factory=list)
    days_since_meeting: int | None = None

    @property
    def next_step(self) -> str:
        return NEXT_STEPS[self.reasons[0].rule] if self.reasons else "Nothing to do."

    def as_dict(self) -> dict:
        return {
            "pair_id": self.match.id,
            "mentee_id": self.match.mentee_id,
            "mentee": self.mentee_name,
            "mentor_id": self.match.mentor_id,
            "mentor": self.mentor_name,
            "status": self.status.value,
            "reasons": [{"rule": r.rule, "text": r.text} for r in self.reasons],
            "next_step": self.next_step,
            "meetings_held": self.pace.held,
            "meetings_expected": self.pace.expected,
            "pace": self.pace.pace.value,
            "last_meeting": self.pace.last_meeting.isoformat() if self.pace.last_meeting else None,
        }


class Health:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.rules = workspace.settings.lifecycle
        self.today = workspace.settings.current_date()
        self.meetings = Meetings(workspace)
        self.checkins = CheckIns(workspace)

    def pairs(self) -> list[PairHealth]:
        """Every active pair's health, worst first (stalled, at risk, healthy; then longest
        without a meeting)."""
        names = {p.id: p.name for p in self.workspace.store.people()}
        meetings = self.meetings.store.meetings()
        answers = self.checkins.store.checkins()
        found = []
        for match in self.workspace.ledger.matches().values():
            if match.status != Status.ACCEPTED:
                continue
            mine = [m for m in meetings if m.match_id == match.id]
            theirs = [c for c in answers if c.match_id == match.id]
            found.append(self.judge(match, mine, theirs, names))
        return sorted(
            found,
            key=lambda h: (-h.status.rank, -(h.days_since_meeting or 0), h.mentee_name),
        )

    def judge(self, match: Match, meetings, checkins: list[CheckIn], names) -> PairHealth:
        rules = self.rules
        pace = self.meetings.pace(match, meetings)
        start = match.accepted_on or self.today
        since = pace.last_meeting or start
        quiet = (self.today - since).days
        reasons: list[Reason] = []
        stalled = quiet >= rules.stalled_after_days
        if stalled:
            what = f"since {since:%-d %b}" if pace.last_meeting else "since the match"
            reasons.append(Reason("no-meeting", f"no meeting for {quiet} days ({what})"))
        if pace.pace == Pace.BEHIND:
            reasons.append(Reason("behind-pace", f"behind pace: {pace.describe()}"))
        reasons += self._checkin_reasons(match, checkins)
        if (self.today - start).days >= rules.goal_within_days and not self._has_goal(match):
            reasons.append(
                Reason("no-goal", f"no confirmed goal {(self.today - start).days} days in")
            )
        for person in (match.mentee_id, match.mentor_id):
            due = self.checkins.due(match, person, checkins)
            if due is not None and due.overdue_by(self.today) >= rules.checkin_overdue_days:
                reasons.append(
                    Reason(
                        "checkin-overdue",
                        f"{names.get(person, person)}'s check-in is "
                        f"{due.overdue_by(self.today)} days overdue",
                    )
                )
        status = (
            HealthStatus.STALLED
            if stalled
            else HealthStatus.AT_RISK
            if reasons
            else HealthStatus.HEALTHY
        )
        return PairHealth(
            match,
            names.get(match.mentee_id, match.mentee_id),
            names.get(match.mentor_id, match.mentor_id),
            status,
            pace,
            reasons,
            quiet,
        )

    def _checkin_reasons(self, match: Match, checkins: list[CheckIn]) -> list[Reason]:
        latest: dict[str, CheckIn] = {}
        for answer in sorted(checkins, key=lambda c: c.answered_at):
            latest[answer.person_id] = answer
        reasons = []
        for person, answer in latest.items():
            who = "the mentee" if person == match.mentee_id else "the mentor"
            low = min(answer.value, answer.progress)
            if low <= self.rules.low_rating:
                what = "its value" if answer.value <= answer.progress else "progress"
                reasons.append(
                    Reason("low-rating", f"{who} rated {what} {low} of 5 in the last check-in")
                )
            if answer.sentiment == Sentiment.NEGATIVE:
                reasons.append(
                    Reason("negative-comment", f"{who}'s last check-in comment reads negative")
                )
        if len(latest) == 2:
            a, b = latest.values()
            gap = max(abs(a.value - b.value), abs(a.progress - b.progress))
            if gap >= self.rules.rating_gap:
                reasons.append(
                    Reason("ratings-apart", f"their last ratings differ by {gap} points")
                )
        return reasons

    def _has_goal(self, match: Match) -> bool:
        goals = self.workspace.goal_store.for_mentee(match.mentee_id)
        return any(g.status in ("active", "done") for g in goals)


def parse_status(text: str | None) -> HealthStatus | None:
    if text is None:
        return None
    return HealthStatus(text.strip().lower().replace(" ", "-").replace("_", "-"))
