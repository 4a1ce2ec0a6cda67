"""The chat companion, independent of any UI: messages and button presses in, replies out.

Each method checks who is asking (their account's roles and person) before calling the
same use cases as the CLI. The Chainlit app only turns Replies into messages and buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.accounts import Account
from companion.chat.commands import CANCEL, COMMANDS
from companion.chat.pair_notes import NOTE_COMMAND, PairNotes
from companion.chat.replies import ActionSpec, NotAllowed, Reply
from companion.goals import Goals
from companion.matching import Match, Matcher, MatchError, MatchLedger, MatchReview, Status
from companion.notes import COORDINATOR_REFUSAL, Viewer
from companion.sessions import Sessions
from companion.workspace import Workspace

PROFILES = {"mentee": "Mentee", "mentor": "Mentor", "coordinator": "Coordinator"}


class Assistant:
    def __init__(self, workspace: Workspace, account: Account, profile: str) -> None:
        if profile not in account.roles:
            raise NotAllowed(f"{account.username} has no {profile} role")
        self.workspace = workspace
        self.account = account
        self.profile = profile
        self.pending_goal: str | None = None
        self.pending_reject: str | None = None  # a match waiting for its rejection's reason
        self.notes = PairNotes(self)

    # -- who is asking -----------------------------------------------------------
    @property
    def person_id(self) -> str:
        if self.account.person_id is None:
            raise NotAllowed("this account is not a mentee or a mentor")
        return self.account.person_id

    def require(self, role: str) -> None:
        if role not in self.account.roles or self.profile != role:
            raise NotAllowed(f"only a {role} can do that")

    def my_matches(self, status: Status) -> list[Match]:
        """The matches in `status` that this person is part of."""
        ledger = MatchLedger(self.workspace.settings.store_dir)
        return [
            m
            for m in ledger.matches().values()
            if m.status == status and self.person_id in (m.mentee_id, m.mentor_id)
        ]

    def my_pairs(self) -> list[Match]:
        """Active pairs in which this person plays the chat's profile (mentee or mentor)."""
        if self.profile not in ("mentee", "mentor"):
            return []
        own = "mentee_id" if self.profile == "mentee" else "mentor_id"
        return [m for m in self.my_matches(Status.ACCEPTED) if getattr(m, own) == self.person_id]

    def name(self, person_id: str) -> str:
        person = self.workspace.store.get(person_id)
        return person.name if person else person_id

    def describe(self, person_id: str, wants: bool = True) -> str:
        """A person as people know them: name, title and team; what a mentee wants."""
        person = self.workspace.store.get(person_id)
        if person is None:
            return person_id
        where = ", ".join(x for x in (person.title, person.team) if x)
        wanted = "; ".join(person.skills_wanted[:3]) if wants else ""
        return (
            f"**{person.name}**"
            + (f" ({where})" if where else "")
            + (f", wants: {wanted}" if wanted else "")
        )

    def partner(self, pair: Match) -> str:
        """The other member's name: how people tell their pairs apart."""
        other = pair.mentor_id if pair.mentee_id == self.person_id else pair.mentee_id
        return self.name(other)

    def viewer(self) -> Viewer:
        return Viewer(person_id=self.account.person_id, role=self.profile)  # type: ignore[arg-type]

    # -- conversation -------------------------------------------------------------
    def welcome(self) -> Reply:
        starters = {
            "mentee": (
                "Ask me for **mentor suggestions** (/suggest), to draft a SMART **goal** "
                '("/goal present to the board by April"), or to prepare **questions** for '
                "your next session (/questions). For a confidential **note**, choose **note** "
                "under the message box. /help lists everything.",
                [ActionSpec("suggest", "Suggest mentors", {}), ActionSpec("notes", "My notes", {})],
            ),
            "mentor": (
                "I can show your **requests** (/requests), the **agenda** for your next "
                "session (/agenda), and keep confidential **notes** (choose **note** under the "
                "message box). /help lists everything.",
                [ActionSpec("requests", "My requests", {}), ActionSpec("notes", "My notes", {})],
            ),
            "coordinator": (
                "Review **proposed matches** (/review), see **skill gaps** no mentor covers "
                "(/gaps), or open the **dashboard** (/dashboard).",
                [
                    ActionSpec("review", "Review matches", {}),
                    ActionSpec("dashboard", "Dashboard", {}),
                ],
            ),
        }
        text, actions = starters[self.profile]
        return Reply(f"Hello {self.account.username}. {text}{self.waiting_note()}", actions)

    def waiting_note(self) -> str:
        """Requests waiting for this person as a mentor, told on whichever profile is open."""
        if "mentor" not in self.account.roles or self.account.person_id is None:
            return ""
        waiting = [
            m for m in self.my_matches(Status.REQUESTED) if m.mentor_id == self.account.person_id
        ]
        if not waiting:
            return ""
        who = ", ".join(self.name(m.mentee_id) for m in waiting)
        if self.profile == "mentor":
            return f"\n\n**Waiting for your answer:** {who}."
        return (
            f"\n\n**As a mentor, you have requests waiting:** {who}. Switch to the Mentor "
            "profile (top of the page) to answer them."
        )

    def handle(
        self,
        message: str,
        on_token: Callable[[str], None] | None = None,
        command: str | None = None,
    ) -> Reply:
        """Answer a message; `on_token` receives the local model's draft as it streams.

        What a message does is said by its command (Chainlit's `/command`), never guessed
        from its words. Free text is read only inside a conversation that asked for it (a
        goal being drafted, a note waiting for its pair, a rejection's reason), which
        'cancel' leaves and any command ends. Otherwise free text gets the help."""
        text = message.strip()
        if command:
            return self.command(command, text, on_token)
        if self.notes.pending is not None:
            return self.notes.pair_for_pending(text)
        if self.pending_reject is not None and self.profile == "coordinator":
            return self.reject_reason(text)
        if self.pending_goal is not None and self.profile == "mentee":
            if text.lower().strip(" .!?") in CANCEL:
                self.pending_goal = None
                return Reply("Goal drafting stopped; nothing more was saved.")
            if text.lower().strip(" .!?") == "help":
                self.pending_goal = None
                return self.help()
            return self.draft_goal(f"{self.pending_goal} {text}".strip())
        return self.help(unknown=bool(text))

    def command(self, name: str, text: str, on_token: Callable[[str], None] | None = None) -> Reply:
        """Run one of the profile's commands; it ends any conversation under way."""
        self.pending_goal = self.pending_reject = None
        if name != NOTE_COMMAND:
            self.notes.pending = None
        handlers: dict[str, Callable[[], Reply]] = {
            "suggest": self.suggest,
            "goal": lambda: self.draft_goal(text),
            "questions": lambda: self.questions(text),
            NOTE_COMMAND: lambda: self.notes.write(text, on_token),
            "summary": self.notes.menu,
            "requests": self.requests,
            "agenda": self.agenda,
            "review": self.review,
            "gaps": self.gaps,
            "dashboard": self.dashboard,
            "help": self.help,
        }
        if self.profile == "coordinator" and name in (NOTE_COMMAND, "summary"):
            return Reply(COORDINATOR_REFUSAL)
        if name not in {c.id for c in COMMANDS[self.profile]}:
            return self.help(unknown=True)
        try:
            return handlers[name]()
        except (MatchError, NotAllowed) as err:
            return Reply(f"Sorry, that did not work: {err}", refused=True)

    def help(self, unknown: bool = False) -> Reply:
        lines = [f"- **/{c.id}**: {c.description}" for c in COMMANDS[self.profile]]
        intro = (
            "I only act on commands, so that nothing is done by a guess. "
            if unknown
            else "Here is what I can do. "
        )
        return Reply(
            f"{intro}Type **/** in the message box to pick one:\n" + "\n".join(lines),
            self.welcome().actions,
        )

    # -- mentee ---------------------------------------------------------------------
    def suggest(self) -> Reply:
        self.require("mentee")
        suggestions = Matcher(self.workspace).suggest(self.person_id)
        if not suggestions:
            return Reply("No mentor is allowed for you under the programme's rules yet.")
        lines = ["Here are the mentors who fit you best, and why:"]
        actions = []
        for rank, s in enumerate(suggestions, start=1):
            parts = ", ".join(f"{k} {v:.2f}" for k, v in s.components.items())
            lines.append(
                f"{rank}. **{s.mentor_name}** ({s.mentor_title}), score {s.score:.2f} "
                f"({parts})\n   {s.reasons.summary}"
            )
            actions.append(
                ActionSpec("request", f"Request {s.mentor_name}", {"mentor_id": s.mentor_id})
            )
        return Reply("\n".join(lines), actions)

    def request(self, mentor_id: str) -> Reply:
        self.require("mentee")
        MatchReview(Matcher(self.workspace)).request(self.person_id, mentor_id)
        return Reply(
            f"Request sent to **{self.name(mentor_id)}**. They will accept or decline; "
            "ask for your suggestions again to see where it stands."
        )

    def draft_goal(self, text: str) -> Reply:
        self.require("mentee")
        if len(text.split()) < 3:
            self.pending_goal = ""
            return Reply("Tell me the goal in your own words: what do you want to do, and by when?")
        draft, stored = Goals(self.workspace).draft(self.person_id, text)
        checks = "\n".join(
            f"- {c.criterion}: {'pass' if c.passed else c.reason}" for c in draft.checks
        )
        if draft.passed:
            self.pending_goal = None
            return Reply(
                f"Your goal is SMART and saved ({stored.id}):\n\n> {draft.goal.statement}"
                f"\n\n{checks}"
            )
        self.pending_goal = text
        return Reply(
            f"Nearly there. Draft: *{draft.goal.statement}*\n\n{checks}\n\n**{draft.questions[0]}**"
        )

    def questions(self, since: str) -> Reply:
        self.require("mentee")
        found = Sessions(self.workspace).questions(self.person_id, None, since)
        return Reply(
            "Questions to bring to your next session:\n" + "\n".join(f"- {q}" for q in found)
        )

    # -- mentor ----------------------------------------------------------------------
    def requests(self) -> Reply:
        self.require("mentor")
        open_ = [m for m in self.my_matches(Status.REQUESTED) if m.mentor_id == self.person_id]
        if not open_:
            return Reply("You have no open requests.")
        actions = []
        for m in open_:
            who = self.name(m.mentee_id)
            actions += [
                ActionSpec("respond", f"Accept {who}", {"mentee_id": m.mentee_id, "accept": True}),
                ActionSpec(
                    "respond", f"Decline {who}", {"mentee_id": m.mentee_id, "accept": False}
                ),
            ]
        return Reply(
            "Open requests:\n" + "\n".join(f"- {self.describe(m.mentee_id)}" for m in open_),
            actions,
        )

    def respond(self, mentee_id: str, accept: bool) -> Reply:
        self.require("mentor")
        MatchReview(Matcher(self.workspace)).respond(self.person_id, mentee_id, accept)
        who = self.name(mentee_id)
        if accept:
            return Reply(f"You accepted **{who}**: you are now their mentor.")
        return Reply(f"You declined {who}'s request; they can ask another mentor.")

    def agenda(self, minutes: int = 30) -> Reply:
        self.require("mentor")
        pairs = [m for m in self.my_matches(Status.ACCEPTED) if m.mentor_id == self.person_id]
        if not pairs:
            return Reply("You have no active pair yet.")
        blocks = []
        for pair in pairs:
            agenda = Sessions(self.workspace).agenda(self.viewer(), pair.id, minutes)
            items = "\n".join(f"- {i.minutes} min: {i.title}" for i in agenda.items)
            prompts = "\n".join(f"- {p}" for p in agenda.prompts)
            blocks.append(
                f"**{self.name(pair.mentee_id)}**, {minutes} minutes:\n{items}\n\n"
                f"Prompts:\n{prompts}"
            )
        return Reply("\n\n".join(blocks))

    # -- coordinator -----------------------------------------------------------------
    def review(self, start: int = 0, limit: int = 8) -> Reply:
        """Open proposals, best first, a page at a time (proposing the cohort if none)."""
        self.require("coordinator")
        matcher = Matcher(self.workspace)
        ledger = matcher.ledger
        open_ = [m for m in ledger.matches().values() if m.status == Status.PROPOSED]
        if not open_:
            MatchReview(matcher).propose(matcher.cohort(), by=self.account.username)
            open_ = [m for m in ledger.matches().values() if m.status == Status.PROPOSED]
        start = max(0, min(start, max(len(open_) - 1, 0)))
        shown = sorted(open_, key=lambda m: (-(m.score or 0), m.id))[start : start + limit]
        lines = [
            f"{len(open_)} proposed matches await review (best first; "
            f"{start + 1}-{start + len(shown)} shown):"
        ]
        actions: list[ActionSpec] = []
        for m in shown:
            reasons = matcher.explain(m.mentee_id, m.mentor_id)
            parts = ", ".join(f"{k} {v:.2f}" for k, v in reasons.components.items())
            pair = f"{self.name(m.mentee_id)} with {self.name(m.mentor_id)}"
            mentor = self.describe(m.mentor_id, wants=False)
            lines.append(
                f"- {self.describe(m.mentee_id)} with {mentor}: score "
                f"{reasons.score:.2f} ({parts}): {reasons.reasons.summary} `{m.id}`"
            )
            actions += [
                ActionSpec("review_accept", f"Accept {pair}", {"match_id": m.id}),
                ActionSpec("review_reject", f"Reject {pair}", {"match_id": m.id}),
            ]
        if start + limit < len(open_):
            actions.append(ActionSpec("review", f"Next {limit}", {"start": start + limit}))
        return Reply("\n".join(lines), actions)

    def pair_name(self, match_id: str) -> str:
        match = MatchLedger(self.workspace.settings.store_dir).matches().get(match_id)
        if match is None:
            return match_id
        return f"{self.name(match.mentee_id)} with {self.name(match.mentor_id)}"

    def decide(self, match_id: str, accept: bool, reason: str = "") -> Reply:
        """Accept a proposal; a rejection first asks for its reason (the next message)."""
        self.require("coordinator")
        if not accept and not reason.strip():
            self.pending_reject = match_id
            return Reply(
                f"Why reject {self.pair_name(match_id)}? Type the reason (it goes in the audit "
                "trail), or 'cancel'."
            )
        MatchReview(Matcher(self.workspace)).review(match_id, accept, self.account.username, reason)
        verdict = "Accepted" if accept else "Rejected"
        return Reply(f"{verdict}: **{self.pair_name(match_id)}**.")

    def reject_reason(self, text: str) -> Reply:
        match_id, self.pending_reject = self.pending_reject, None
        if match_id is None or text.strip().lower() in ("cancel", "stop"):
            return Reply("Nothing was rejected.")
        try:
            return self.decide(match_id, False, text.strip())
        except MatchError as err:
            return Reply(f"Sorry, that did not work: {err}", refused=True)

    def gaps(self) -> Reply:
        self.require("coordinator")
        groups = Matcher(self.workspace).skill_gaps()[:10]
        if not groups:
            return Reply("Every wanted skill is covered by at least one mentor.")
        return Reply(
            "Skills no mentor covers (recruit for these):\n"
            + "\n".join(f"- **{g.label}**: {g.mentees} mentee(s)" for g in groups)
        )

    def dashboard(self) -> Reply:
        self.require("coordinator")
        from companion.chat.plots import dashboard_figures

        return Reply("Programme dashboard:", figures=dashboard_figures(Matcher(self.workspace)))

    def act(self, name: str, payload: dict[str, Any]) -> Reply:
        """A button press, checked like any message."""
        try:
            handlers = {
                "suggest": lambda: self.suggest(),
                "request": lambda: self.request(str(payload["mentor_id"])),
                "requests": lambda: self.requests(),
                "respond": lambda: self.respond(str(payload["mentee_id"]), bool(payload["accept"])),
                "review": lambda: self.review(int(payload.get("start", 0))),
                "review_accept": lambda: self.decide(str(payload["match_id"]), True),
                "review_reject": lambda: self.decide(str(payload["match_id"]), False),
                "dashboard": lambda: self.dashboard(),
                "notes": lambda: self.notes.menu(),
                "note_pair": lambda: self.notes.choose_pair(str(payload["pair_id"])),
                "notes_read": lambda: self.notes.read(str(payload["pair_id"])),
            }
            return handlers[name]()
        except (MatchError, NotAllowed, KeyError) as err:
            return Reply(f"Sorry, that did not work: {err}", refused=True)
