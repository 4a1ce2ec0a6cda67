"""Matching: suggestions with reasons, whole-cohort assignment, review with an audit trail."""

from companion.matching.ledger import CapacityError, Match, MatchError, MatchLedger, Status
from companion.matching.review import MatchReview
from companion.matching.service import (
    CohortResult,
    Matcher,
    Suggestion,
    UnknownPerson,
    shown_parts,
    shown_score,
)

__all__ = [
    "CapacityError",
    "CohortResult",
    "Match",
    "MatchError",
    "MatchLedger",
    "MatchReview",
    "Matcher",
    "Status",
    "Suggestion",
    "UnknownPerson",
    "shown_parts",
    "shown_score",
]
