"""The whole cohort's candidates and one optimal assignment, dense or sparse by size.

Up to retrieval's dense limit every allowed pair is scored and the assignment is exact
over all of them. Beyond it (tens of thousands of people) each mentee's best
SPARSE_CANDIDATES allowed mentors come from the exact pruned index, and the assignment
is solved on that graph with scipy's sparse solver: exact on the graph; whether the graph
holds the dense optimum is checked where both fit (tests; evals.bench_matching at 10,000
people), and at 100,000 people the total still grows a little with more candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from retrieval import COMPONENTS, assign_greedily, assign_with_capacity, total_of
from retrieval.assignment import MAX_CELLS, assign_sparse, total_score
from retrieval.index import MentorIndex

SPARSE_CANDIDATES = 30  # 20 lost 0.01% of the optimum on the demo; 30 kept all of it

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
    progress: Iterable[int] | None = None,
    sparse: bool | None = None,
) -> CohortPlan:
    """capacity: free places of each of index.mentors; ended: (mentee, mentor) rows never
    paired again; progress: the mentees wrapped in a progress bar, if wanted; sparse:
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
    for i, _ in enumerate(progress if progress is not None else mentees.tolist()):
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
    return plan


def _sparse(index, mentees, capacity, ended, top_k, progress) -> CohortPlan:
    plan = CohortPlan(sparse=True)
    column = {m: j for j, m in enumerate(index.mentors.tolist())}
    wanted = max(top_k, SPARSE_CANDIDATES)
    ended_of = Counter(mentee for mentee, _ in ended)
    rows, cols, scores, parts = [], [], [], []
    for i, mentee in enumerate(progress if progress is not None else mentees.tolist()):
        found = index.suggest(mentee, wanted + ended_of[mentee])
        ranked = [r for r in found if (mentee, r.mentor) not in ended][:wanted]
        plan.ranked.append([(r.mentor, r.components) for r in ranked[:top_k]])
        plan.allowed.append(None)
        for r in ranked:
            rows.append(i)
            cols.append(column[r.mentor])
            scores.append(r.score)
            parts.append(r.components)
    rows_a, cols_a, scores_a = np.array(rows, int), np.array(cols, int), np.array(scores)
    assigned = assign_sparse(rows_a, cols_a, scores_a, capacity, len(mentees))
    greedy = _greedy(rows_a, cols_a, scores_a, capacity, len(mentees))
    by_pair = {(r, c): k for k, (r, c) in enumerate(zip(rows, cols, strict=True))}
    for i, j in enumerate(assigned.tolist()):
        plan.assigned.append(None)
        if j >= 0:
            mentor = int(index.mentors[j])
            k = by_pair[(i, j)]
            plan.total += scores[k]
            plan.assigned[i] = (mentor, parts[k])
    plan.greedy_total = float(
        sum(scores[by_pair[(i, j)]] for i, j in enumerate(greedy.tolist()) if j >= 0)
    )
    return plan


def _greedy(rows, cols, scores, capacity, mentees: int) -> np.ndarray:
    """The baseline on the same graph: best remaining pair first."""
    result = np.full(mentees, -1, dtype=np.int64)
    free = np.maximum(capacity, 0).copy()
    for k in np.lexsort((cols, rows, -scores)).tolist():
        if result[rows[k]] < 0 and free[cols[k]] > 0 and scores[k] > 0:
            result[rows[k]] = cols[k]
            free[cols[k]] -= 1
    return result
