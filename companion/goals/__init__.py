"""SMART goals: drafted with the companion, judged by a deterministic checker."""

from companion.goals.checker import GoalContext, check_smart
from companion.goals.drafting import (
    GoalConversation,
    answer_goal,
    draft_smart_goal,
    skip_question,
    start_goal,
)
from companion.goals.models import CRITERIA, CriterionCheck, GoalDraft, SmartGoal, StoredGoal
from companion.goals.service import Goals, UnknownMentee

__all__ = [
    "CRITERIA",
    "CriterionCheck",
    "GoalContext",
    "GoalConversation",
    "GoalDraft",
    "Goals",
    "SmartGoal",
    "StoredGoal",
    "UnknownMentee",
    "check_smart",
    "answer_goal",
    "draft_smart_goal",
    "skip_question",
    "start_goal",
]
