"""The chat companion, independent of any UI: messages and button presses in, replies out.

Each method checks who is asking (their account's roles and person) before calling the
same use cases as the CLI. The Chainlit app only turns Replies into messages and buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from companion.accounts import Account
from companion.chat.commands import COMMANDS
from companion.chat.coordinator import CoordinatorView
from companion.chat.goal_chat import GoalChat
from companion.chat.guide_chat import GuideChat
from companion.chat.health_view import HealthView
from companion.chat.pair_life import PairLife
from companion.chat.pair_notes import NOTE_COMMAND, PairNotes
from companion.chat.replies import ActionSpec, NotAllowed, Reply
from companion.chat.welcome import opening
from companion.goals import GoalConversation
from companion.lifecycle import LifecycleError
from companion.matching import (
    Match,
    Matcher,
    MatchError,
    MatchLedger,
    MatchReview,
    Status,
    shown_score,
)
from companion.models import Profile
from companion.notes import COORDINATOR_REFUSAL, Viewer
from companion.sessions import Sessions
from companion.workspace import Workspace

PROFILES = {p: p.value.capitalize() for p in Profile}  # as the profile menu names them


ACTIONS = (
    "suggest", "request", "requests", "respond", "review", "review_accept", "review_reject",
    "bulk", "bulk_accept", "dashboard", "outcomes", "notes", "note_pair", "notes_read", "goal_save",
    "goal_restart", "goal_skip", "meeting_pair", "checkin_pair", "end_pair", "meeting_day",
    "meeting_minutes", "meeting_mode", "checkin_value", "checkin_progress", "checkin_skip",
    "end_outcome", "health", "health_nudge", "health_history", "health_end",
    "health_end_outcome", "guide_open", "guide_ask",
)  # every button the app registers  # fmt: skip


class Assistant:
    def __init__(self, workspace: Workspace, account: Account, profile: Profile | str) -> None:
        if profile not in account.roles:
            raise NotAllowed(f"{account.username} has no {profile} role")
        self.workspace = workspace
        self.account = account
        self.profile = Profile(profile)
        self.notes = PairNotes(self)
        self.goal = GoalChat(self)
        self.coordinator = CoordinatorView(self)
        self.life = PairLife(self)
        self.health = HealthView(self)
        self.guides = GuideChat(self)

    # -- who is asking -----------------------------------------------------------
    @property
    def person_id(self) -> str:
        if self.account.person_id is None:
            raise NotAllowed("this account is not a mentee or a mentor")
        return self.account.person_id

    def require(self, role: Profile) -> None:
        if role not in self.account.roles or self.profile != role:
            raise NotAllowed(f"only a {role} can do that")

    @property
    def ledger(self) -> MatchLedger:
        return self.workspace.ledger

    def my_matches(self, status: Status) -> list[Match]:
        """The matches in `status` that this person is part of."""
        return [
            m
            for m in self.ledger.matches().values()
            if m.status == status and self.person_id in (m.mentee_id, m.mentor_id)
        ]

    def my_pairs(self) -> list[Match]:
        """Active pairs in which this person plays the chat's profile (mentee or mentor)."""
        if self.profile == Profile.COORDINATOR:
            return []
        own = "mentee_id" if self.profile == Profile.MENTEE else "mentor_id"
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
        return Viewer(person_id=self.account.person_id, role=self.profile)

    # -- conversation -------------------------------------------------------------
    def welcome(self) -> Reply:
        text, actions = opening(self.profile)
        person = self.workspace.store.get(self.account.person_id or "")
        name = person.name.split()[0] if person else self.account.username
        hello = f"Hello {name}. {text}{self.waiting_note()}{self.life.welcome_notes()}"
        due = self.life.due_checkin()
        if due is not None:  # asked at once: the ratings are the buttons
            return Reply(f"{hello}\n\n{due.text}", due.actions)
        if self.profile == Profile.COORDINATOR:
            actions = [*actions, ActionSpec("health", "Programme health", {})]
        guides = [ActionSpec("guide_open", f"Guide: {g.heading}", {"passage": g.passage_id})
                  for g in self.life.nudge_guides[:1]]  # fmt: skip
        return Reply(hello, [*actions, *guides])

    def waiting_note(self) -> str:
        """Requests waiting for this person as a mentor, told on whichever profile is open."""
        if Profile.MENTOR not in self.account.roles or self.account.person_id is None:
            return ""
        waiting = [
            m for m in self.my_matches(Status.REQUESTED) if m.mentor_id == self.account.person_id
        ]
        if not waiting:
            return ""
        who = ", ".join(self.name(m.mentee_id) for m in waiting)
        if self.profile == Profile.MENTOR:
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
        if self.coordinator.pending_reject is not None and self.profile == Profile.COORDINATOR:
            return self.coordinator.reject_reason(text)
        if self.life.flow is not None:
            try:
                return self.life.answer(text)
            except (LifecycleError, NotAllowed) as err:
                self.life.flow = None
                return Reply(f"Sorry, that did not work: {err}", refused=True)
        if self.goal.conversation is not None and self.profile == Profile.MENTEE:
            return self.goal.answer(text)
        if self.guides.waiting:
            return self.guides.ask(text)
        return self.help(unknown=bool(text))

    def command(self, name: str, text: str, on_token: Callable[[str], None] | None = None) -> Reply:
        """Run one of the profile's commands; it ends any conversation under way."""
        self.goal.conversation = self.coordinator.pending_reject = self.life.flow = None
        self.guides.waiting = False
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
            "review": self.coordinator.review,
            "accept": lambda: self.coordinator.bulk(text),
            "gaps": self.coordinator.gaps,
            "dashboard": self.coordinator.dashboard,
            "outcomes": lambda: self.coordinator.outcomes(text),
            "health": self.health.overview,
            "meeting": lambda: self.life.start("meeting"),
            "checkin": self.life.checkin_command,
            "end": lambda: self.life.start("end"),
            "ask": lambda: self.guides.ask(text),
            "help": self.help,
        }
        if self.profile == Profile.COORDINATOR and name in (NOTE_COMMAND, "summary"):
            return Reply(COORDINATOR_REFUSAL)
        if name not in {c.id for c in COMMANDS[self.profile]}:
            return self.help(unknown=True)
        try:
            return handlers[name]()
        except (MatchError, NotAllowed, LifecycleError) as err:
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
        self.require(Profile.MENTEE)
        matcher = Matcher(self.workspace)
        suggestions = matcher.suggest(self.person_id)
        before = sorted(self.name(m) for m in matcher.previous_mentors(self.person_id))
        again = f" ({', '.join(before)}: not suggested again, your mentoring ended.)"
        again = again if before else ""
        now = sorted(self.name(m) for m in matcher.current_mentors(self.person_id))
        paired = f"You are already paired with {', '.join(now)}. " if now else ""
        if not suggestions:
            other = "other " if now else ""
            why = matcher.why_no_mentor(self.person_id)
            return Reply(f"{paired}No {other}mentor is allowed for you yet: {why}.{again}")
        # paired: a request would be refused ("already has a mentor"), so no Request buttons
        fit = "other mentors who would fit you" if now else "the mentors who fit you best"
        lines = [f"{paired}Here are {fit}, and why:{again}"]
        actions = []
        mine = {m.mentor_id: m for m in self.my_matches(Status.REQUESTED)}
        for rank, s in enumerate(suggestions, start=1):
            asked = " — **you asked them; waiting for their answer**" if s.mentor_id in mine else ""
            lines.append(
                f"{rank}. **{s.mentor_name}** ({s.mentor_title}), score "
                f"{shown_score(s.score, s.components)}{asked}\n   {s.reasons.summary}"
            )
            if not asked and not now:
                actions.append(
                    ActionSpec("request", f"Request {s.mentor_name}", {"mentor_id": s.mentor_id})
                )
        return Reply("\n".join(lines), actions)

    def request(self, mentor_id: str) -> Reply:
        self.require(Profile.MENTEE)
        MatchReview(Matcher(self.workspace)).request(self.person_id, mentor_id)
        return Reply(
            f"Request sent to **{self.name(mentor_id)}**. They will accept or decline; "
            "ask for your suggestions again to see where it stands."
        )

    @property
    def pending_goal(self) -> GoalConversation | None:
        return self.goal.conversation

    def draft_goal(self, text: str) -> Reply:
        return self.goal.start(text)

    def questions(self, since: str) -> Reply:
        self.require(Profile.MENTEE)
        try:
            found = Sessions(self.workspace).questions(self.person_id, None, since)
        except ValueError:
            return Reply(
                "Questions are built from a goal you have saved, and you have none yet: "
                "draft one with /goal (and press **Save this goal**).",
                refused=True,
            )
        return Reply(
            "Questions to bring to your next session:\n" + "\n".join(f"- {q}" for q in found)
        )

    # -- mentor ----------------------------------------------------------------------
    def requests(self) -> Reply:
        self.require(Profile.MENTOR)
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
        self.require(Profile.MENTOR)
        MatchReview(Matcher(self.workspace)).respond(self.person_id, mentee_id, accept)
        who = self.name(mentee_id)
        if accept:
            return Reply(f"You accepted **{who}**: you are now their mentor.")
        return Reply(f"You declined {who}'s request; they can ask another mentor.")

    def agenda(self, minutes: int = 30) -> Reply:
        self.require(Profile.MENTOR)
        pairs = [m for m in self.my_matches(Status.ACCEPTED) if m.mentor_id == self.person_id]
        if not pairs:
            return Reply("You have no active pair yet.")
        blocks: list[str] = []
        actions: list[ActionSpec] = []
        for pair in pairs:
            agenda = Sessions(self.workspace).agenda(self.viewer(), pair.id, minutes)
            items = "\n".join(f"- {i.minutes} min: {i.title}" for i in agenda.items)
            prompts = "\n".join(f"- {p}" for p in agenda.prompts)
            first = (
                f"\n\nYour first session: see **{agenda.guide.label()}**." if agenda.guide else ""
            )
            blocks.append(
                f"**{self.name(pair.mentee_id)}**, {minutes} minutes:\n{items}\n\n"
                f"Prompts:\n{prompts}{first}"
            )
            if agenda.guide and not actions:
                link = agenda.guide
                actions.append(ActionSpec("guide_open", f"Guide: {link.heading}",
                                          {"passage": link.passage_id}))  # fmt: skip
        return Reply("\n\n".join(blocks), actions)

    def act(self, name: str, payload: dict[str, Any]) -> Reply:
        """A button press, checked like any message."""
        try:
            handlers = {
                "suggest": lambda: self.suggest(),
                "request": lambda: self.request(str(payload["mentor_id"])),
                "requests": lambda: self.requests(),
                "respond": lambda: self.respond(str(payload["mentee_id"]), bool(payload["accept"])),
                "review": lambda: self.coordinator.review(int(payload.get("start", 0))),
                "review_accept": lambda: self.coordinator.decide(str(payload["match_id"]), True),
                "review_reject": lambda: self.coordinator.decide(str(payload["match_id"]), False),
                "bulk": lambda: self.coordinator.bulk(str(payload.get("score", ""))),
                "bulk_accept": lambda: self.coordinator.bulk_accept(float(payload["score"])),
                "dashboard": lambda: self.coordinator.dashboard(),
                "outcomes": lambda: self.coordinator.outcomes(),
                "notes": lambda: self.notes.menu(),
                "goal_save": lambda: self.goal.act("goal_save"),
                "goal_restart": lambda: self.goal.act("goal_restart"),
                "goal_skip": lambda: self.goal.act("goal_skip"),
                "note_pair": lambda: self.notes.choose_pair(str(payload["pair_id"])),
                "notes_read": lambda: self.notes.read(str(payload["pair_id"])),
                **self._life_actions(payload),
                **self.guides.actions(payload),
            }
            return handlers[name]()
        except (MatchError, NotAllowed, KeyError, LifecycleError, ValueError) as err:
            return Reply(f"Sorry, that did not work: {err}", refused=True)

    def _life_actions(self, payload: dict[str, Any]) -> dict[str, Callable[[], Reply]]:
        life, health = self.life, self.health
        pair = lambda: life.choose(str(payload["pair_id"]))  # noqa: E731
        match = lambda: str(payload["match_id"])  # noqa: E731
        return {
            "meeting_pair": pair,
            "checkin_pair": pair,
            "end_pair": pair,
            "meeting_day": lambda: life.day(str(payload["day"])),
            "meeting_minutes": lambda: life.minutes(int(payload["minutes"])),
            "meeting_mode": lambda: life.mode(str(payload["mode"])),
            "checkin_value": lambda: life.value(int(payload["value"])),
            "checkin_progress": lambda: life.progress(int(payload["progress"])),
            "checkin_skip": lambda: life.comment(""),
            "end_outcome": lambda: life.outcome(str(payload["outcome"])),
            "health": lambda: health.overview(int(payload.get("start", 0))),
            "health_nudge": lambda: health.nudge(match()),
            "health_history": lambda: health.history(match()),
            "health_end": lambda: health.ask_end(match()),
            "health_end_outcome": lambda: health.end(match(), str(payload["outcome"])),
        }
