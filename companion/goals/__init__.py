"""SMART goals: drafted with the companion, judged by a deterministic checker."""

from companion.goals.checker import GoalContext, check_smart
from companion.goals.drafting import draft_smart_goal
from companion.goals.models import CRITERIA, CriterionCheck, GoalDraft, SmartGoal, StoredGoal
from companion.goals.service import Goals, UnknownMentee

__all__ = [
    "CRITERIA",
    "CriterionCheck",
    "GoalContext",
    "GoalDraft",
    "Goals",
    "SmartGoal",
    "StoredGoal",
    "UnknownMentee",
    "check_smart",
    "draft_smart_goal",
]
