"""SMART goals: the schema the model fills, and what the checker says of each criterion."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from companion.goals.slots import GoalSlots

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


class SmartGoal(BaseModel):
    """A goal in SMART form. The field descriptions are the model's instructions."""

    model_config = ConfigDict(extra="forbid")

    statement: str = Field(description="The goal in one sentence: what, how much, by when.")
    specific: str = Field("", description="What exactly will be done, and where or for whom.")
    measurable: str = Field("", description="The number or visible result that shows it is done.")
    achievable: str = Field("", description="Why it is realistic within the programme.")
    relevant: str = Field("", description="How it connects to the skills the mentee wants.")
    time_bound: str = Field("", description="The deadline, as written by the mentee.")
    due_date: dt.date | None = Field(None, description="The deadline as a date, set by code.")
    slots: GoalSlots | None = Field(None, description="What each answer filled, set by code.")


class CriterionCheck(BaseModel):
    criterion: str
    passed: bool
    reason: str
    question: str | None = Field(None, description="What to ask the mentee when it fails.")

    @classmethod
    def ok(cls, criterion: str, reason: str) -> CriterionCheck:
        return cls(criterion=criterion, passed=True, reason=reason)

    @classmethod
    def fail(cls, criterion: str, reason: str, question: str) -> CriterionCheck:
        return cls(criterion=criterion, passed=False, reason=reason, question=question)


class GoalDraft(BaseModel):
    """A drafted goal, its checks, and the questions still needed (never papered over)."""

    goal: SmartGoal
    checks: list[CriterionCheck]
    questions: list[str]
    model: str = ""

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


class StoredGoal(BaseModel):
    id: str
    mentee_id: str
    goal: SmartGoal
    status: Literal["draft", "active", "done", "dropped"]
    progress: int = Field(0, ge=0, le=100)
    open_questions: list[str] = Field(default_factory=list)
    history: list[str] = Field(
        default_factory=list, description="The drafts before the one confirmed, in order."
    )
    created_at: dt.datetime
    updated_at: dt.datetime
