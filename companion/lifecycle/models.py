"""After the match: meetings a pair holds, the check-ins each member answers, how a pair
ends, and the health a coordinator sees. Plain records; the rules live beside them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from companion.language.sentiment import Sentiment
from companion.models import Text

__all__ = ["Sentiment"]  # kept here too: a check-in's field

MAX_MINUTES = 600


class MeetingMode(StrEnum):
    IN_PERSON = "in-person"
    VIDEO = "video"
    CALL = "call"
    CHAT = "chat"


class Meeting(BaseModel):
    """One meeting as one member logged it (both may log the same day: it counts once)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    match_id: str
    on: dt.date
    minutes: int = Field(ge=1, le=MAX_MINUTES)
    mode: MeetingMode = MeetingMode.VIDEO
    goal_ids: list[str] = Field(default_factory=list)
    logged_by: str
    logged_at: dt.datetime


CLOSING = "closing"  # the check-in asked once when a relationship ends


class CheckIn(BaseModel):
    """A member's pulse check-in. The coordinator sees ratings and comment; the other
    member never does."""

    model_config = ConfigDict(extra="forbid")

    id: str
    match_id: str
    person_id: str
    due: str = Field(description="'day-30', 'day-60'... or 'closing'.")
    value: int = Field(ge=1, le=5, description="How valuable mentoring has been lately.")
    progress: int = Field(ge=1, le=5, description="Progress toward the goals.")
    comment: Text = Field("", max_length=2000)
    sentiment: Sentiment | None = None
    answered_at: dt.datetime


class Outcome(StrEnum):
    """Why a relationship ended. 'not-a-good-fit' is no-fault."""

    GOALS_ACHIEVED = "goals-achieved"
    PROGRAMME_ENDED = "programme-ended"
    NOT_A_GOOD_FIT = "not-a-good-fit"
    SCHEDULE = "schedule-or-workload"
    LEFT = "left-the-organisation"
    OTHER = "other"

    @property
    def early(self) -> bool:
        """An ending before its time (the mentee may be matched again)."""
        return self not in (Outcome.GOALS_ACHIEVED, Outcome.PROGRAMME_ENDED)


class HealthStatus(StrEnum):
    HEALTHY = "healthy"
    AT_RISK = "at-risk"
    STALLED = "stalled"

    @property
    def rank(self) -> int:
        return {"stalled": 2, "at-risk": 1, "healthy": 0}[self.value]


class Pace(StrEnum):
    BEHIND = "behind"
    ON_TRACK = "on track"
    AHEAD = "ahead"
