"""A member's relationship in the chat: log a meeting, answer a due check-in, read nudges,
end a relationship. Each flow announced itself and moves by buttons; where it asks for a
day or minutes, typed answers are read too ('cancel' leaves, any command ends it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from companion.chat.commands import CANCEL
from companion.chat.replies import ActionSpec, NotAllowed, Reply
from companion.guides import GuideLink
from companion.language.dates import past_day
from companion.lifecycle import (
    CheckIns,
    Endings,
    LifecycleError,
    MeetingMode,
    Meetings,
    Nudges,
    Outcome,
    who_sees,
)
from companion.lifecycle.checkins import QUESTIONS
from companion.matching import Match
from companion.models import Profile

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

MODES = {
    MeetingMode.IN_PERSON: "In person",
    MeetingMode.VIDEO: "Video",
    MeetingMode.CALL: "Call",
    MeetingMode.CHAT: "Chat",
}
OUTCOMES = {
    Outcome.GOALS_ACHIEVED: "Goals achieved",
    Outcome.NOT_A_GOOD_FIT: "Not a good fit (no-fault)",
    Outcome.SCHEDULE: "Schedule or workload",
    Outcome.LEFT: "Leaving the organisation",
    Outcome.OTHER: "Other",
}
STEPS = {
    "meeting_pair", "meeting_day", "meeting_minutes", "meeting_mode", "checkin_value",
    "checkin_progress", "checkin_skip", "end_pair", "end_outcome",
}  # fmt: skip


_HOURS = re.compile(
    r"^(?:(?P<h>\d+(?:[.,]\d+)?|an?|one|two|half an?)\s*(?:h|hrs?|hours?)(?![a-z]))?\s*"
    r"(?:(?:and\s+)?(?P<half>a half|half))?\s*"
    r"(?:(?:and\s+)?(?P<m>\d+)\s*(?:m|mins?|minutes?)?)?\s*$",
    re.I,
)
_WORDS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "half a": 0.5, "half an": 0.5}


def read_minutes(text: str) -> int | None:
    """Minutes as people type them: "45", "45mins", "1h", "1.5h", "1h30", "an hour",
    "half an hour", "an hour and a half". None when it is not a length."""
    cleaned = text.strip().lower().replace("about", "").replace("~", "").strip()
    found = _HOURS.match(cleaned)
    if not cleaned or found is None or not any(found.group(k) for k in ("h", "m", "half")):
        return None
    hours = found.group("h")
    total = 0.0
    if hours:
        total += 60 * (_WORDS.get(hours, 0.0) or float(hours.replace(",", ".")))
    if found.group("half"):
        if not hours:
            return None
        total += 30
    if found.group("m"):
        total += int(found.group("m"))
    return round(total) or None


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass
class Flow:
    """A flow under way: which, for which pair, and what it has gathered."""

    kind: str  # "meeting" | "checkin" | "end"
    pair_id: str = ""
    asked: str = ""
    answers: dict[str, Any] = field(default_factory=dict)


class PairLife:
    def __init__(self, chat: Assistant) -> None:
        self.chat = chat
        self.flow: Flow | None = None
        self.nudge_guides: list[GuideLink] = []  # the guides the last nudges shown point to

    # -- entry points ---------------------------------------------------------
    def start(self, kind: str) -> Reply:
        pairs = self.chat.my_pairs()
        if not pairs:
            return Reply("You have no active mentoring pair yet.", refused=True)
        self.flow = Flow(kind)
        if len(pairs) == 1:
            return self.choose(pairs[0].id)
        return Reply(
            "Which pair is this about?",
            [ActionSpec(f"{kind}_pair", self.chat.partner(p), {"pair_id": p.id}) for p in pairs],
        )

    def choose(self, pair_id: str) -> Reply:
        if self.flow is None:
            raise NotAllowed("nothing is under way: start again with a command")
        if pair_id not in {p.id for p in self.chat.my_pairs()}:
            raise NotAllowed("that is not one of your pairs")
        self.flow.pair_id = pair_id
        return {"meeting": self._ask_day, "checkin": self._ask_value, "end": self._ask_outcome}[
            self.flow.kind
        ]()

    def welcome_notes(self) -> str:
        """What waits for this person at sign-in: unseen nudges (then marked seen)."""
        if self.chat.account.person_id is None:
            return ""
        nudges = Nudges(self.chat.workspace)
        unseen = nudges.inbox(self.chat.person_id)
        if not unseen:
            return ""
        nudges.mark_shown(self.chat.person_id, [n.id for n in unseen])
        self.nudge_guides = [n.guide for n in unseen[-3:] if n.guide is not None]
        return "\n\n" + "\n".join(f"**Reminder:** {n.text}" for n in unseen[-3:])

    def due_checkin(self) -> Reply | None:
        """A check-in due for one of this profile's pairs: asked right away."""
        if self.chat.account.person_id is None or self.chat.profile == Profile.COORDINATOR:
            return None
        own = "mentee_id" if self.chat.profile == Profile.MENTEE else "mentor_id"
        matches = self.chat.ledger.matches()
        for due in CheckIns(self.chat.workspace).due_for(self.chat.person_id):
            if getattr(matches[due.match_id], own) == self.chat.person_id:  # ended ones too
                self.flow = Flow("checkin", due.match_id)
                return self._ask_value(due.due)
        return None

    def checkin_command(self) -> Reply:
        """/checkin: the check-in due now, or when the next one falls."""
        due = self.due_checkin()
        if due is not None:
            return due
        pairs = self.chat.my_pairs()
        if not pairs:
            return Reply("You have no active mentoring pair yet.", refused=True)
        checkins = CheckIns(self.chat.workspace)
        lines = [
            f"No check-in is due for you now about **{self.chat.partner(p)}**: "
            f"{checkins.next_due(p)}."
            for p in pairs
        ]
        return Reply("\n".join(lines), refused=True)

    # -- free text inside a flow ------------------------------------------------
    def answer(self, text: str) -> Reply:
        assert self.flow is not None
        if text.strip().lower() in CANCEL:
            self.flow = None
            return Reply("Cancelled: nothing was saved.")
        if self.flow.asked == "day":
            return self.day(text)
        if self.flow.asked == "minutes":
            minutes = read_minutes(text)
            if minutes is None:
                return Reply(
                    f"I could not read '{_short(text)}' as a length: try '45', '1h' or "
                    "'an hour and a half'.",
                    refused=True,
                )
            return self.minutes(minutes)
        if self.flow.asked == "comment":
            return self.comment(text)
        typed = text.strip().lower()
        if self.flow.asked in ("value", "progress") and typed in {"1", "2", "3", "4", "5"}:
            rate = self.value if self.flow.asked == "value" else self.progress
            return rate(int(typed))
        if self.flow.asked == "mode":
            said = [m for m, label in MODES.items() if typed in (label.lower(), m.value)]
            found = said[0] if said else None
            if found is not None:
                return self.mode(found.value)
        return Reply("Please use the buttons above, or type **cancel**.", refused=True)

    # -- meeting --------------------------------------------------------------------
    def _ask_day(self) -> Reply:
        assert self.flow is not None
        self.flow.asked = "day"
        return Reply(
            f"Logging a meeting with **{self._partner()}**. When was it? (Or type a day: "
            "'last Tuesday', '12 March'; **cancel** to stop.)",
            [
                ActionSpec("meeting_day", label, {"day": label.lower()})
                for label in ("Today", "Yesterday")
            ],  # fmt: skip
        )

    def day(self, text: str) -> Reply:
        flow = self._flow("meeting")
        today = self.chat.workspace.settings.current_date()
        when = None if text.strip().isdigit() else past_day(text, today)
        if when is None:
            return Reply(
                f"I could not read '{_short(text)}' as a day. Try 'yesterday' or '12 March'.",
                refused=True,
            )
        pair = self._pair(flow.pair_id)
        if when > today:
            return Reply(f"{when:%-d %B %Y} is still to come: which day was it?", refused=True)
        if pair.accepted_on and when < pair.accepted_on:
            return Reply(
                f"{when:%-d %B %Y} is before you were matched ({pair.accepted_on:%-d %B %Y}): "
                "which day did you meet?",
                refused=True,
            )
        flow.answers["on"] = when
        flow.asked = "minutes"
        return Reply(
            f"On {when:%A %-d %B %Y}. How long did you meet? (Or type it: '50', '1h'.)",
            [ActionSpec("meeting_minutes", f"{m} min", {"minutes": m}) for m in (30, 45, 60, 90)],
        )

    def minutes(self, minutes: int) -> Reply:
        self._flow("meeting")
        assert self.flow is not None
        if "on" not in self.flow.answers:
            raise NotAllowed("that step is no longer open: start again with /meeting")
        if not 1 <= minutes <= 600:
            return Reply("Minutes should be a number between 1 and 600.", refused=True)
        self.flow.answers["minutes"] = minutes
        self.flow.asked = "mode"
        return Reply(
            "And how did you meet?",
            [ActionSpec("meeting_mode", label, {"mode": m.value}) for m, label in MODES.items()],
        )

    def mode(self, mode: str) -> Reply:
        flow = self._flow("meeting")
        if "minutes" not in flow.answers:
            raise NotAllowed("that step is no longer open: start again with /meeting")
        meetings = Meetings(self.chat.workspace)
        before = meetings.earlier_entry(flow.pair_id, flow.answers["on"], self.chat.person_id)
        try:
            meeting = meetings.log(
                flow.pair_id, flow.answers["on"], flow.answers["minutes"], self.chat.person_id, mode
            )
        except LifecycleError as err:
            self.flow = None
            return Reply(f"That meeting was not logged: {err}", refused=True)
        self.flow = None
        pair = self._pair(meeting.match_id)
        pace = meetings.pace(pair)
        replaced = (
            f" (This replaces your earlier entry for that day: {before.minutes} minutes.)"
            if before
            else ""
        )
        return Reply(
            f"Logged: {meeting.minutes} minutes ({MODES[meeting.mode].lower()}) with "
            f"**{self.chat.partner(pair)}** on {meeting.on:%-d %B}. "
            f"{pace.describe().capitalize()}.{replaced}"
        )

    # -- check-in --------------------------------------------------------------------
    def _ask_value(self, due: str = "") -> Reply:
        assert self.flow is not None
        self.flow.asked = "value"
        pair = self._pair(self.flow.pair_id)
        cycle = f"Your {due.replace('day-', 'day ')} check-in" if due else "A check-in"
        if due == "closing":
            cycle = "Your closing check-in"
        return Reply(
            f"{cycle} about your mentoring with **{self.chat.partner(pair)}**. "
            f"{who_sees(pair, self.chat.person_id)}\n\n{QUESTIONS['value']}",
            _ratings("checkin_value", "value"),
        )

    def value(self, value: int) -> Reply:
        flow = self._flow("checkin")
        flow.answers["value"] = value
        flow.asked = "progress"
        return Reply(
            QUESTIONS["progress"]
            if self.chat.profile == Profile.MENTEE
            else "How much progress has your mentee made toward their goals? (1 = none, 5 = a lot)",
            _ratings("checkin_progress", "progress"),
        )

    def progress(self, progress: int) -> Reply:
        flow = self._flow("checkin")
        flow.answers["progress"] = progress
        flow.asked = "comment"
        return Reply(
            "Anything to add? Type a comment for your coordinator (kept out of this chat's "
            "history), or skip.",
            [ActionSpec("checkin_skip", "Skip", {})],
            asks_confidential=True,
        )

    def comment(self, text: str) -> Reply:
        flow = self._flow("checkin")
        answer = CheckIns(self.chat.workspace).answer(
            flow.pair_id,
            self.chat.person_id,
            flow.answers["value"],
            flow.answers["progress"],
            text,
        )
        self.flow = None
        return Reply(
            f"Thank you: your check-in is saved (value {answer.value}, progress "
            f"{answer.progress}). Only your coordinator sees it."
        )

    # -- ending -------------------------------------------------------------------------
    def _ask_outcome(self) -> Reply:
        assert self.flow is not None
        self.flow.asked = "outcome"
        return Reply(
            f"Ending your mentoring with **{self._partner()}**. Why is it ending? Endings are "
            "no-fault: it is fine when a pair does not fit. (Or type **cancel**.)",
            [ActionSpec("end_outcome", text, {"outcome": o.value}) for o, text in OUTCOMES.items()],
        )

    def outcome(self, outcome: str) -> Reply:
        flow = self._flow("end")
        match = Endings(self.chat.workspace).end(
            flow.pair_id, self.chat.person_id, self.chat.profile, outcome
        )
        self.flow = None
        again = ""
        if Outcome(outcome).early and match.mentee_id == self.chat.person_id:
            again = " Ask for new suggestions (/suggest): they will not include this mentor."
        return Reply(
            f"Your mentoring with **{self.chat.partner(match)}** has ended. Thank you both. "
            f"You will each be asked a short closing check-in.{again}"
        )

    # -- helpers -------------------------------------------------------------------------
    def _flow(self, kind: str) -> Flow:
        if self.flow is None or self.flow.kind != kind:
            raise NotAllowed("that step is no longer open: start again with a command")
        return self.flow

    def _pair(self, pair_id: str) -> Match:
        match = self.chat.ledger.matches()[pair_id]
        if self.chat.person_id not in (match.mentee_id, match.mentor_id):
            raise NotAllowed("that is not one of your pairs")
        return match

    def _partner(self) -> str:
        assert self.flow is not None
        return self.chat.partner(self._pair(self.flow.pair_id))


def _ratings(action: str, key: str) -> list[ActionSpec]:
    """Buttons 1 to 5 for a check-in rating."""
    return [ActionSpec(action, str(n), {key: n}) for n in range(1, 6)]
