"""Goal use cases: draft a SMART goal for a mentee, keep it, track its progress."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

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
        self.today = today or workspace.settings.current_date()

    def mentee(self, mentee_id: str) -> Person:
        person = self.workspace.store.get(mentee_id)
        if person is None or not person.role.mentees:
            raise UnknownMentee(f"no mentee with id {mentee_id!r}")
        return person

    def context(self, mentee: Person | None) -> GoalContext:
        """What goals are judged against: today, the programme's dates, what the mentee
        wants (nothing, for a goal checked on its own)."""
        programme = self.workspace.store.programme()
        start = programme.start_date if programme else self.today
        end = programme.end_date if programme else self.today + dt.timedelta(DEFAULT_PROGRAMME_DAYS)
        wanted = (
            [*mentee.skills_wanted, *([mentee.goals] if mentee.goals else [])] if mentee else []
        )
        return GoalContext(
            today=self.today,
            programme_start=min(start, self.today),
            programme_end=end,
            wanted=wanted,
            similarity=embedding_similarity(self.workspace.embedder.embed),
        )

    def draft(self, mentee_id: str, text: str) -> GoalDraft:
        """Judge a goal in the mentee's words: slots, checks, the questions still needed.
        Nothing is saved: only a goal the mentee confirms is (see `confirm`)."""
        mentee = self.mentee(mentee_id)
        return draft_smart_goal(text, self.context(mentee), self.workspace.gateway)

    def confirm(self, mentee_id: str, draft: GoalDraft, history: Sequence[str] = ()) -> StoredGoal:
        """Keep the goal the mentee confirmed, with the drafts before it as its history."""
        mentee = self.mentee(mentee_id)
        if not draft.passed:
            failing = ", ".join(c.criterion for c in draft.checks if not c.passed)
            raise ValueError(f"the goal is not SMART yet ({failing}): answer its questions first")
        now = self.workspace.settings.current_time()  # the workspace's day (--today, demo)
        stored = StoredGoal(
            id=f"g-{uuid.uuid4().hex[:10]}",
            mentee_id=mentee.id,
            goal=draft.goal,
            status="active",
            history=[h for h in history if h != draft.goal.statement],
            created_at=now,
            updated_at=now,
        )
        self.store.save(stored)
        return stored

    def confirmed(self, mentee_id: str) -> list[StoredGoal]:
        """The goals a mentee kept (drafts saved by earlier versions are left out)."""
        return [g for g in self.store.for_mentee(mentee_id) if g.status != "draft"]

    def progress(self, goal_id: str, percent: int, status: str | None = None) -> StoredGoal:
        goal = self.store.get(goal_id)
        if goal is None:
            raise ValueError(f"no goal {goal_id!r}")
        update = {"progress": percent, "updated_at": self.workspace.settings.current_time()}
        if status:
            update["status"] = status
        elif percent == 100:
            update["status"] = "done"
        changed = StoredGoal.model_validate({**goal.model_dump(), **update})
        self.store.save(changed)
        return changed
