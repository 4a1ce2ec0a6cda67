"""Where the companion points people to the library: a topic searched in the guides the
reader may see, so a coordinator's own guide on the topic is found as the starter's is."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from companion.guides.answer import RELEVANT
from companion.guides.chunks import Audience
from companion.guides.library import GuideLibrary
from companion.guides.search import search


class Topic(StrEnum):
    FIRST_SESSION = "first-session"
    RESTART = "restart"
    GOALS = "goals"


QUERIES = {
    Topic.FIRST_SESSION: "how to run the first session: introductions, expectations, how often "
    "to meet",
    Topic.RESTART: "a restart conversation to get a pair meeting again, or to end it well",
    Topic.GOALS: "writing SMART goals: specific, measurable, achievable, relevant, time-bound",
}


class GuideLink(BaseModel):
    passage_id: str
    guide: str
    heading: str

    def label(self) -> str:
        return f"{self.guide} › {self.heading}"


def link_for(library: GuideLibrary, topic: Topic, audiences: list[Audience]) -> GuideLink | None:
    """The passage on `topic` these audiences may read, or None when no guide covers it."""
    hits = search(library, QUERIES[topic], audiences, k=1)
    if not hits or hits[0].similarity < RELEVANT:
        return None
    chunk = hits[0].chunk
    return GuideLink(passage_id=chunk.id, guide=chunk.title, heading=chunk.heading)
