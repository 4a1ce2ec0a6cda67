"""Whole-cohort assignment: the pairing that maximises the total score under capacities.

Each mentor's column is repeated once per free place, and scipy's linear_sum_assignment
solves the rectangular problem on the negated scores. A forbidden pair costs 0, the same
as leaving the place empty, so it is never preferred to a real pair; any forbidden pair
the solver returns is dropped, which leaves the total unchanged. The result is optimal.
"""

from __future__ import annotations

import numpy as np

# scipy is imported where it solves (0.6 s of every command's start-up otherwise).

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
    from scipy.optimize import linear_sum_assignment

    gain = np.where(allowed & (scores > 0), scores, 0.0).astype(np.float64)
    rows, cols = linear_sum_assignment(-gain[:, places])
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        mentor = places[col]
        if allowed[row, mentor] and scores[row, mentor] > 0:
            result[row] = mentor
    return result


def assign_sparse(
    mentee: np.ndarray, mentor: np.ndarray, score: np.ndarray, capacity: np.ndarray, mentees: int
) -> np.ndarray:
    """The optimal assignment over a candidate graph: for each mentee row 0..mentees-1,
    the mentor column assigned to it, or -1.

    mentee, mentor, score: allowed candidate pairs (a pair given twice counts once);
    capacity: free places per mentor column. Rows of the matching are mentor places (a
    mentor with more places than candidates gets only as many as it has candidates);
    columns are mentees plus one "left empty" column per place, so a full matching always
    exists. Costs are offset so that every cost is positive and an empty place gains
    nothing. scipy's sparse solver (LAPJVsp) finds the matching of least cost: the
    greatest total score on the graph.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    keep = score > 0
    mentee, mentor, score = mentee[keep], mentor[keep], score[keep].astype(np.float64)
    pair = mentee.astype(np.int64) * (int(mentor.max(initial=0)) + 1) + mentor
    _, once = np.unique(pair, return_index=True)
    mentee, mentor, score = mentee[once], mentor[once], score[once]
    result = np.full(mentees, -1, dtype=np.int64)
    if len(mentee) == 0:
        return result
    used, local = np.unique(mentor, return_inverse=True)
    places = np.minimum(np.maximum(capacity[used], 0), np.bincount(local))
    first = np.concatenate([[0], np.cumsum(places)])  # first place row of each used mentor
    total = int(first[-1])
    if total == 0:
        return result
    per_edge = places[local]  # each candidate pair becomes one edge per place of its mentor
    edge = np.repeat(np.arange(len(mentee)), per_edge)
    place = first[local][edge] + (
        np.arange(len(edge)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    )
    offset = float(score.max()) + 1.0
    graph = sp.csr_matrix(
        (
            np.concatenate([offset - score[edge], np.full(total, offset)]),
            (
                np.concatenate([place, np.arange(total)]),
                np.concatenate([mentee[edge], mentees + np.arange(total)]),
            ),
        ),
        shape=(total, mentees + total),
    )
    rows, cols = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(len(used)), places)
    real = cols < mentees
    result[cols[real]] = used[owner[rows[real]]]
    return result


_GREEDY_BLOCK = 65_536


def assign_greedily(scores: np.ndarray, allowed: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """The baseline: best remaining pair first, until no allowed pair has a free place."""
    rows, cols = np.nonzero(allowed & (scores > 0))
    return greedy_pairs(rows, cols, scores[rows, cols], capacity, scores.shape[0])


def greedy_pairs(
    rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, capacity: np.ndarray, mentees: int
) -> np.ndarray:
    """assign_greedily on a list of pairs; equal scores go in the order given (both callers
    list pairs by row, then column). Pairs go in score order a block at a time; those
    whose mentee is placed or whose mentor is full are dropped per block in numpy, so
    Python sees few of them."""
    result = np.full(mentees, -1, dtype=np.int64)
    free = np.maximum(capacity, 0).copy()
    order = np.argsort(-scores, kind="stable")
    order = order[scores[order] > 0]
    for start in range(0, len(order), _GREEDY_BLOCK):
        if not free.any() or (result >= 0).all():
            break
        block = order[start : start + _GREEDY_BLOCK]
        block = block[(result[rows[block]] < 0) & (free[cols[block]] > 0)]
        for row, col in zip(rows[block].tolist(), cols[block].tolist(), strict=True):
            if result[row] < 0 and free[col] > 0:
                result[row] = col
                free[col] -= 1
    return result


def total_score(scores: np.ndarray, assignment: np.ndarray) -> float:
    rows = np.flatnonzero(assignment >= 0)
    return float(scores[rows, assignment[rows]].sum())
