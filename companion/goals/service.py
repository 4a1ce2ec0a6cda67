"""Goal use cases: draft a SMART goal for a mentee, keep it, track its progress."""

from __future__ import annotations

import datetime as dt
import uuid

from companion.goals.checker import GoalContext, embedding_similarity
from companion.goals.drafting import draft_smart_goal
from companion.goals.models import GoalDraft, StoredGoal
from companion.models import Person
from companion.workspace import Workspace

DEFAULT_PROGRAMME_DAYS = 182


class UnknownMentee(ValueError):
    pass


class Goals:
    def __init__(self, workspace: Workspace, today: dt.date | None = None) -> None:
        self.workspace = workspace
        self.store = workspace.goal_store
        self.today = today or dt.date.today()

    def mentee(self, mentee_id: str) -> Person:
        person = self.workspace.store.get(mentee_id)
        if person is None or not person.role.mentees:
            raise UnknownMentee(f"no mentee with id {mentee_id!r}")
        return person

    def context(self, mentee: Person) -> GoalContext:
        programme = self.workspace.store.programme()
        start = programme.start_date if programme else self.today
        end = programme.end_date if programme else self.today + dt.timedelta(DEFAULT_PROGRAMME_DAYS)
        wanted = [*mentee.skills_wanted, *([mentee.goals] if mentee.goals else [])]
        return GoalContext(
            today=self.today,
            programme_start=min(start, self.today),
            programme_end=end,
            wanted=wanted,
            similarity=embedding_similarity(self.workspace.embedder.embed),
        )

    def draft(self, mentee_id: str, text: str) -> tuple[GoalDraft, StoredGoal]:
        """Draft, check and keep a goal: active when all five checks pass, else a draft
        with the questions still to ask."""
        mentee = self.mentee(mentee_id)
        draft = draft_smart_goal(text, self.context(mentee), self.workspace.gateway)
        now = dt.datetime.now(dt.UTC)
        stored = StoredGoal(
            id=f"g-{uuid.uuid4().hex[:10]}",
            mentee_id=mentee.id,
            goal=draft.goal,
            status="active" if draft.passed else "draft",
            open_questions=draft.questions,
            created_at=now,
            updated_at=now,
        )
        self.store.save(stored)
        return draft, stored

    def progress(self, goal_id: str, percent: int, status: str | None = None) -> StoredGoal:
        goal = self.store.get(goal_id)
        if goal is None:
            raise ValueError(f"no goal {goal_id!r}")
        update = {"progress": percent, "updated_at": dt.datetime.now(dt.UTC)}
        if status:
            update["status"] = status
        elif percent == 100:
            update["status"] = "done"
        changed = StoredGoal.model_validate({**goal.model_dump(), **update})
        self.store.save(changed)
        return changed
