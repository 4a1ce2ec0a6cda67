"""Drafting a SMART goal in the chat: a conversation that announced itself, so free text
is read as answers until the goal is saved, or the mentee cancels, skips a question,
starts again or picks another command. Only the goal the mentee confirms is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from companion.chat.commands import CANCEL
from companion.chat.replies import ActionSpec, Reply
from companion.goals import (
    GoalConversation,
    GoalDraft,
    Goals,
    answer_goal,
    skip_question,
    start_goal,
)
from companion.guides import Topic
from companion.models import Profile

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

SKIP = {"skip", "skip it", "skip this", "pass", "next", "don't know", "dont know", "idk"}
RESTART = {"start again", "start over", "restart", "reset", "again", "new goal"}
WAY_OUT = "(Answer, or: **skip**, **start again**, **cancel**, or any command.)"
HELP_FOR = {
    "action": "what you will do and for whom (e.g. 'present the Q1 numbers to the board')",
    "measure": "how you and your mentor will see it is done (a number, or a result like "
    "'signed off by my manager')",
    "due": "by when (a date within the programme, e.g. 'end of April')",
    "serves": "which of the skills you want to grow it serves",
}


class GoalChat:
    """The goal being drafted in one person's chat, kept in memory until it is saved."""

    def __init__(self, chat: Assistant) -> None:
        self.chat = chat
        self.conversation: GoalConversation | None = None
        self.draft: GoalDraft | None = None

    def _service(self) -> Goals:
        self.chat.require(Profile.MENTEE)
        return Goals(self.chat.workspace)

    def start(self, text: str) -> Reply:
        goals = self._service()
        if len(text.split()) < 2:
            self.conversation = GoalConversation()
            self.draft = None
            return Reply(
                "Tell me the goal in your own words: what do you want to do, and by when? "
                + WAY_OUT,
                self._buttons(),
            )
        ctx = goals.context(goals.mentee(self.chat.person_id))
        self.conversation, self.draft = start_goal(text, ctx, self.chat.workspace.gateway)
        return self._reply()

    def answer(self, text: str) -> Reply:
        said = text.lower().strip(" .!?")
        if said in CANCEL:
            self.conversation = self.draft = None
            return Reply("Goal drafting stopped; nothing was saved.")
        if said == "help":
            self.conversation = self.draft = None
            return self.chat.help()
        if said in RESTART:
            return self.start("")
        assert self.conversation is not None
        if self.draft is None:  # the first words of the goal
            return self.start(text)
        if text.strip().endswith("?"):  # a question back is not an answer
            question = self.draft.questions[0] if self.draft.questions else ""
            why = HELP_FOR.get(self.conversation.asked_slot or "", "what it needs")
            return Reply(
                f"I am asking so that the goal says {why}. "
                f"In your own words: **{question}** {WAY_OUT}",
                self._buttons(),
            )
        goals = self._service()
        ctx = goals.context(goals.mentee(self.chat.person_id))
        gateway = self.chat.workspace.gateway
        if said in SKIP:
            self.draft = skip_question(self.conversation, ctx, gateway)
        else:
            self.draft = answer_goal(self.conversation, text, ctx, gateway)
        return self._reply()

    def act(self, name: str) -> Reply:
        if name == "goal_save":
            return self.save()
        if name == "goal_restart":
            return self.start("")
        if self.conversation is None:
            return Reply("No goal is being drafted. Start one with /goal.", refused=True)
        return self.answer("skip")

    def save(self) -> Reply:
        goals = self._service()
        if self.draft is None or self.conversation is None:
            return Reply("No goal is being drafted. Start one with /goal.", refused=True)
        stored = goals.confirm(self.chat.person_id, self.draft, self.conversation.history)
        self.conversation = self.draft = None
        return Reply(
            f"Saved. Your goal:\n\n> {stored.goal.statement}\n\nYour agenda and questions "
            "will be built from it."
        )

    def _buttons(self, passed: bool = False) -> list[ActionSpec]:
        if passed:
            return [
                ActionSpec("goal_save", "Save this goal", {}),
                ActionSpec("goal_restart", "Start again", {}),
            ]
        return [
            ActionSpec("goal_skip", "Skip this question", {}),
            ActionSpec("goal_restart", "Start again", {}),
            *self.chat.guides.button(Topic.GOALS),  # the mentee guide's section on goals
        ]

    def _reply(self) -> Reply:
        draft = self.draft
        assert draft is not None
        checks = "\n".join(
            f"- {c.criterion.replace('_', '-')}: {'✓ ' + c.reason if c.passed else c.reason}"
            for c in draft.checks
        )
        if draft.passed:
            return Reply(
                f"Here is your goal:\n\n> {draft.goal.statement}\n\n{checks}\n\n"
                "Save it, or start again.",
                self._buttons(passed=True),
            )
        question = draft.questions[0] if draft.questions else "What would you change?"
        return Reply(
            f"Draft so far: *{draft.goal.statement}*\n\n{checks}\n\n**{question}** {WAY_OUT}",
            self._buttons(),
        )
