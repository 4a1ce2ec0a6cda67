"""The coordinator's programme health in the chat: pairs needing attention, worst first,
with the reasons and a next step; opening a pair shows its history (meetings, check-ins,
the ledger; never a note) with buttons to nudge both or end it with an outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.chat.pair_life import OUTCOMES
from companion.chat.replies import ActionSpec, Reply
from companion.lifecycle import CheckIns, Endings, Health, HealthStatus, Meetings, Nudges
from companion.lifecycle.meetings import pair_of
from companion.matching.ledger import Status
from companion.models import Profile, Viewer

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

SHOWN = 8


class HealthView:
    def __init__(self, chat: Assistant) -> None:
        self.chat = chat

    def _require(self) -> None:
        self.chat.require(Profile.COORDINATOR)

    def overview(self, start: int = 0) -> Reply:
        self._require()
        pairs = Health(self.chat.workspace).pairs()
        if not pairs:
            return Reply("No active pairs yet: accept some matches first (/review).")
        counts = {s: sum(p.status == s for p in pairs) for s in HealthStatus}
        head = (
            f"**{len(pairs)} active pairs:** {counts[HealthStatus.STALLED]} stalled, "
            f"{counts[HealthStatus.AT_RISK]} at risk, {counts[HealthStatus.HEALTHY]} healthy."
        )
        needing = [p for p in pairs if p.status != HealthStatus.HEALTHY]
        if not needing:
            return Reply(head + " Every pair is on track.")
        lines, actions = [head, "", "Needing attention, worst first:"], []
        start = max(0, min(start, max(len(needing) - 1, 0)))
        if start:
            lines[-1] = f"Needing attention, worst first ({start + 1}-{start + SHOWN} shown):"
        for p in needing[start : start + SHOWN]:
            names = f"{p.mentee_name} & {p.mentor_name}"
            reasons = "; ".join(r.text for r in p.reasons)
            lines.append(f"- **{names}** ({p.status}): {reasons}.\n  Next: {p.next_step}")
            actions.append(ActionSpec("health_history", f"Open {names}", {"match_id": p.match.id}))
        if len(needing) > start + SHOWN:
            left = len(needing) - start - SHOWN
            lines.append(f"…and {left} more.")
            page = {"start": start + SHOWN}
            actions.append(ActionSpec("health", f"Next {min(SHOWN, left)}", page))
        return Reply("\n".join(lines), actions)

    def nudge(self, match_id: str) -> Reply:
        self._require()
        (health,) = [h for h in Health(self.chat.workspace).pairs() if h.match.id == match_id]
        # both members read the nudge: never a reason drawn from one's check-in answers
        shareable = [r for r in health.reasons if not r.from_checkin_answers]
        reason = shareable[0].text if shareable else "a regular check"
        made = Nudges(self.chat.workspace).from_coordinator(match_id, reason)
        if not made:
            return Reply("Both were already nudged about this pair today.")
        return Reply(
            f"Nudged {health.mentee_name} and {health.mentor_name}: they will see it when "
            "they next open the companion (and by email, if email is set up)."
        )

    def history(self, match_id: str) -> Reply:
        self._require()
        workspace = self.chat.workspace
        match = pair_of(workspace, match_id)
        name = self.chat.name
        lines = [f"**{name(match.mentee_id)} & {name(match.mentor_id)}**", "", "Ledger:"]
        lines += [
            f"- {e.at:%-d %b %Y}: {e.action} by {name(e.actor)}"
            + (f" ({e.reason})" if e.reason else "")
            for e in match.events
        ]
        meetings = Meetings(workspace)
        found = meetings.store.meetings(match.id)
        lines += ["", f"Meetings ({meetings.pace(match, found).describe()}):"]
        lines += [f"- {m.on:%-d %b %Y}: {m.minutes} min, {m.mode}" for m in found] or ["- none"]
        answers = CheckIns(workspace).visible(Viewer(role=Profile.COORDINATOR), match.id)
        lines += ["", "Check-ins:"]
        lines += [
            f"- {c.answered_at:%-d %b}, {name(c.person_id)} ({c.due}): value {c.value}, "
            f"progress {c.progress}" + (f', "{c.comment}" ({c.sentiment})' if c.comment else "")
            for c in answers
        ] or ["- none"]
        reason = Endings(workspace).private_reason(Viewer(role=Profile.COORDINATOR), match.id)
        if reason:
            lines += ["", f"Private reason given when it ended (coordinators only): {reason}"]
        lines += ["", "_Notes stay with the pair: coordinators never see them._"]
        # check-in comments and a private reason: shown, never kept in the thread store
        if match.status != Status.ACCEPTED:
            return Reply("\n".join(lines), confidential=True)
        names = f"{name(match.mentee_id)} & {name(match.mentor_id)}"
        pair = {"match_id": match.id}
        return Reply(
            "\n".join(lines),
            [
                ActionSpec("health_nudge", f"Nudge {names}", pair),
                ActionSpec("health_end", f"End {names}", pair),
            ],
            confidential=True,
        )

    def ask_end(self, match_id: str) -> Reply:
        self._require()
        match = pair_of(self.chat.workspace, match_id)
        names = f"{self.chat.name(match.mentee_id)} & {self.chat.name(match.mentor_id)}"
        return Reply(
            f"End **{names}**? Pick the outcome (the mentor's place is freed; both get a "
            "closing check-in).",
            [
                ActionSpec("health_end_outcome", label, {"match_id": match_id, "outcome": o.value})
                for o, label in OUTCOMES.items()
            ],
        )

    def end(self, match_id: str, outcome: str) -> Reply:
        self._require()
        match = Endings(self.chat.workspace).end(
            match_id, self.chat.account.username, Profile.COORDINATOR, outcome
        )
        return Reply(
            f"Ended **{self.chat.name(match.mentee_id)} & {self.chat.name(match.mentor_id)}** "
            f"({match.events[-1].reason}). The mentor's place is free again."
        )
