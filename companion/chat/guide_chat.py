"""The guidance library in the chat: `/ask` a question (any profile) and read the
sections the companion links to. What a reader may see is decided by the library's
`section` and `search`, from the profile in use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from companion.chat.commands import CANCEL
from companion.chat.replies import ActionSpec, NotAllowed, Reply
from companion.guides import (
    GuideLibrary,
    GuideLink,
    GuideNotAllowed,
    Topic,
    UnknownGuide,
    answer_question,
    audiences_for,
    link_for,
)
from companion.guides.answer import quoted

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

EXAMPLES = {
    "mentee": "how do I prepare for a session?",
    "mentor": "how should I start the first session?",
    "coordinator": "what can I see of a pair's notes?",
}


class GuideChat:
    def __init__(self, chat: Assistant) -> None:
        self.chat = chat
        self.waiting = False  # /ask was sent alone: the next message is the question
        self._library: GuideLibrary | None = None

    @property
    def library(self) -> GuideLibrary:
        if self._library is None:
            self._library = GuideLibrary(self.chat.workspace)
        return self._library

    @property
    def audiences(self) -> list:
        return audiences_for([self.chat.profile])

    def ask(self, question: str) -> Reply:
        question = question.strip()
        if not question:
            self.waiting = True
            example = EXAMPLES[self.chat.profile.value]
            return Reply(f"What would you like to ask the programme's guides? (e.g. *{example}*)")
        self.waiting = False
        if question.lower().strip(" .!") in CANCEL:
            return Reply("Fine: no question asked.")
        answer = answer_question(
            self.library, question, self.audiences, self.chat.workspace.gateway
        )
        if not answer.found:
            return Reply(answer.text())
        if answer.quoted:
            body = "I found this in your programme's guides:"
        else:
            body = " ".join(f"{s.text} [{s.cites}]" for s in answer.sentences)
        sources = "\n\n".join(
            f"**[{c.number}] {c.guide} › {c.heading}**\n{quoted(c.quote)}" for c in answer.citations
        )
        actions = [
            ActionSpec("guide_open", f"Read [{c.number}] {c.heading}", {"passage": c.passage_id})
            for c in answer.citations
        ]
        return Reply(f"{body}\n\n{sources}", actions)

    def open(self, passage_id: str) -> Reply:
        """The whole section a link or a citation points to."""
        try:
            passages = self.library.section(passage_id, self.audiences)
        except GuideNotAllowed as err:
            raise NotAllowed(str(err)) from None
        except UnknownGuide as err:
            return Reply(str(err), refused=True)
        first = passages[0]
        text = "\n\n".join(p.text for p in passages)
        return Reply(f"**{first.title} › {first.heading}**\n\n{text}")

    def link(self, topic: Topic) -> GuideLink | None:
        return link_for(self.library, topic, self.audiences)

    def button(self, topic: Topic) -> list[ActionSpec]:
        """A button that opens the library's section on `topic`, when a guide has one."""
        found = self.link(topic)
        if found is None:
            return []
        return [ActionSpec("guide_open", f"Guide: {found.heading}", {"passage": found.passage_id})]

    def actions(self, payload: dict[str, Any]) -> dict[str, Callable[[], Reply]]:
        return {
            "guide_open": lambda: self.open(str(payload["passage"])),
            "guide_ask": lambda: self.ask(""),
        }
