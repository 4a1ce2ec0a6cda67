"""Whole-cohort assignment: the pairing that maximises the total score under capacities.

Each mentor's column is repeated once per free place, and scipy's linear_sum_assignment
solves the rectangular problem on the negated scores. A forbidden pair costs 0, the same
as leaving the place empty, so it is never preferred to a real pair; any forbidden pair
the solver returns is dropped, which leaves the total unchanged. The result is optimal.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

MAX_CELLS = 60_000_000  # mentees x places; beyond this the dense problem will not fit


class AssignmentTooLarge(ValueError):
    """The cohort is too large for one exact dense assignment."""


def assign_with_capacity(
    scores: np.ndarray, allowed: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """For each mentee row, the mentor column assigned to it, or -1.

    scores, allowed: mentees x mentors; capacity: free places per mentor.
    """
    places = np.repeat(np.arange(scores.shape[1]), np.maximum(capacity, 0))
    result = np.full(scores.shape[0], -1, dtype=np.int64)
    if len(places) == 0 or scores.shape[0] == 0:
        return result
    if scores.shape[0] * len(places) > MAX_CELLS:
        raise AssignmentTooLarge(
            f"{scores.shape[0]} mentees x {len(places)} mentor places is over the "
            f"{MAX_CELLS:,}-cell limit of exact assignment; match a smaller cohort (by track "
            "or department)"
        )
    gain = np.where(allowed & (scores > 0), scores, 0.0).astype(np.float64)
    rows, cols = linear_sum_assignment(-gain[:, places])
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        mentor = places[col]
        if allowed[row, mentor] and scores[row, mentor] > 0:
            result[row] = mentor
    return result


def assign_greedily(scores: np.ndarray, allowed: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """The baseline: best remaining pair first, until no allowed pair has a free place."""
    result = np.full(scores.shape[0], -1, dtype=np.int64)
    free = np.maximum(capacity, 0).copy()
    rows, cols = np.nonzero(allowed & (scores > 0))
    for k in np.argsort(-scores[rows, cols], kind="stable").tolist():
        row, col = rows[k], cols[k]
        if result[row] < 0 and free[col] > 0:
            result[row] = col
            free[col] -= 1
    return result


def total_score(scores: np.ndarray, assignment: np.ndarray) -> float:
    rows = np.flatnonzero(assignment >= 0)
    return float(scores[rows, assignment[rows]].sum())
