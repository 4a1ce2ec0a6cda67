"""The whole cohort's candidates and one optimal assignment, dense or sparse by size.

Up to retrieval's dense limit every allowed pair is scored and the assignment is exact
over all of them. Beyond it (tens of thousands of people) each mentee's best
SPARSE_CANDIDATES allowed mentors come from one batched search of the whole cohort
(retrieval.candidates), and the assignment is solved on that graph with scipy's sparse
solver: exact on the graph; whether the graph holds the dense optimum is checked where
both fit (tests; evals.bench_matching at 10,000 people).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from retrieval import COMPONENTS, assign_greedily, assign_with_capacity, total_of
from retrieval.assignment import MAX_CELLS, assign_sparse, greedy_pairs, total_score
from retrieval.candidates import best_candidates
from retrieval.index import MentorIndex

SPARSE_CANDIDATES = 30  # per mentee
SPARSE_PER_MENTOR = 100  # per mentor

Parts = dict[str, float]


@dataclass
class CohortPlan:
    """Per mentee (in the order given): ranked candidates, the assigned one, how many
    mentors were allowed (None when only the best were looked at), and the totals."""

    ranked: list[list[tuple[int, Parts]]] = field(default_factory=list)
    assigned: list[tuple[int, Parts] | None] = field(default_factory=list)
    allowed: list[int | None] = field(default_factory=list)
    total: float = 0.0
    greedy_total: float = 0.0
    sparse: bool = False


def plan_cohort(
    index: MentorIndex,
    mentees: np.ndarray,
    capacity: np.ndarray,
    ended: set[tuple[int, int]],
    top_k: int,
    progress: Callable[[int], None] | None = None,
    sparse: bool | None = None,
) -> CohortPlan:
    """capacity: free places of each of index.mentors; ended: (mentee, mentor) rows never
    paired again; progress: called with the number of mentees just done; sparse:
    force one path (None: dense where it fits)."""
    places = int(np.maximum(capacity, 0).sum())
    if sparse is False or (sparse is None and len(mentees) * places <= MAX_CELLS):
        return _dense(index, mentees, capacity, ended, top_k, progress)
    return _sparse(index, mentees, capacity, ended, top_k, progress)


def _dense(index, mentees, capacity, ended, top_k, progress) -> CohortPlan:
    mentors = index.mentors
    parts = index.scorer.components(mentees, mentors)
    scores = total_of(parts)
    allowed = index.checker.allowed(mentees, mentors)
    row = {m: i for i, m in enumerate(mentees.tolist())}
    column = {m: j for j, m in enumerate(mentors.tolist())}
    for mentee, mentor in ended:
        if mentee in row and mentor in column:
            allowed[row[mentee], column[mentor]] = False
    assigned = assign_with_capacity(scores, allowed, capacity)
    greedy = assign_greedily(scores, allowed, capacity)
    plan = CohortPlan(total=total_score(scores, assigned), greedy_total=total_score(scores, greedy))
    for i in range(len(mentees)):
        valid = np.flatnonzero(allowed[i])
        best = valid[np.lexsort((valid, -np.round(scores[i, valid], 6)))][:top_k]
        pick = {n: parts[n][i] for n in COMPONENTS}
        plan.ranked.append(
            [(int(mentors[j]), {n: float(pick[n][j]) for n in COMPONENTS}) for j in best]
        )
        j = int(assigned[i])
        plan.assigned.append(
            (int(mentors[j]), {n: float(pick[n][j]) for n in COMPONENTS}) if j >= 0 else None
        )
        plan.allowed.append(len(valid))
    if progress:
        progress(len(mentees))
    return plan


def _sparse(index, mentees, capacity, ended, top_k, progress) -> CohortPlan:
    plan = CohortPlan(sparse=True)
    graph = best_candidates(
        index, mentees, max(top_k, SPARSE_CANDIDATES), ended, progress, SPARSE_PER_MENTOR
    )
    rows, cols, scores = graph.row, graph.mentor, graph.score
    assigned = assign_sparse(rows, cols, scores, capacity, len(mentees))
    greedy = greedy_pairs(rows, cols, scores, capacity, len(mentees))
    parts = np.column_stack([graph.parts[name] for name in COMPONENTS]).astype(float)
    mentors = index.mentors

    def pair(k: int) -> tuple[int, Parts]:
        return int(mentors[cols[k]]), dict(zip(COMPONENTS, parts[k].tolist(), strict=True))

    starts = np.searchsorted(rows, np.arange(len(mentees) + 1))
    for i in range(len(mentees)):
        best = range(starts[i], min(starts[i + 1], starts[i] + top_k))
        plan.ranked.append([pair(k) for k in best])
        plan.allowed.append(None)
        plan.assigned.append(None)
    chosen = np.flatnonzero(cols == assigned[rows])  # each mentee's assigned pair, if any
    for k in chosen.tolist():
        plan.assigned[rows[k]] = pair(k)
    plan.total = float(scores[chosen].sum())
    plan.greedy_total = float(scores[cols == greedy[rows]].sum())
    return plan
