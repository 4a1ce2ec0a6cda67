"""Vectors to matches: faiss index, skill-gap scores, constraints, assignment, reasons.

Pure: works on ids, vectors, scores and constraint data; never imports `companion`.
"""

from retrieval.assignment import AssignmentTooLarge, assign_greedily, assign_with_capacity
from retrieval.gaps import GapGroup, uncovered_skills
from retrieval.index import MentorIndex, Ranked
from retrieval.population import PhraseLists, Population
from retrieval.rules import RULE_NAMES, MatchRules, RuleChecker
from retrieval.scoring import COMPONENTS, ScoreWeights, SkillGapScorer, SkillReason, total_of

__all__ = [
    "COMPONENTS",
    "RULE_NAMES",
    "AssignmentTooLarge",
    "GapGroup",
    "MatchRules",
    "MentorIndex",
    "PhraseLists",
    "Population",
    "Ranked",
    "RuleChecker",
    "ScoreWeights",
    "SkillGapScorer",
    "SkillReason",
    "assign_greedily",
    "total_of",
    "assign_with_capacity",
    "uncovered_skills",
]
