"""Every mentee's best allowed mentors at once: the whole cohort's candidate graph.

The score is an inner product between one vector per mentee and one per mentor, so one
BLAS product per block of mentees, with the best kept in faiss's heaps (C++), ranks
every mentor for every mentee, and every mentee for every mentor (each block offers a
mentor only the scores above the worst it keeps, few after the first blocks):

- profile + role: goals . (w_profile bio + w_role title);
- skills: the mentee's wanted phrases as weights 1/|wanted| over a column per distinct
  wanted phrase, against each mentor's lift for that phrase (the phrase's floored best
  similarity among the mentor's phrases: exactly the skills term);
- seniority + timezone, and the rules that see the mentee only through seniority,
  track and languages: the same for every mentee sharing those, so mentees are searched
  in groups, with the group's row as one more column (minus 2 where a rule forbids).

The candidates are then checked against every rule and their components computed
exactly (tests: equal to the per-mentee index). A mentee for whom fewer than k
candidates survive the rules that depend on the pair (team, reporting line, exclude
lists, ended pairs), or who wants a phrase outside the searched columns, is served by
the exact per-mentee index instead. That each mentee's best k keep the cohort's
optimum is checked against the dense solve where that fits (tests, bench_matching).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import faiss
import numpy as np

from retrieval.index import MentorIndex
from retrieval.scoring import COMPONENTS, total_of

MAX_PHRASE_COLUMNS = 1024  # distinct wanted phrases searched as columns; rarer ones fall back
FORBIDDEN = 2.0  # subtracted where a group's rules forbid a mentor: below any allowed score
MARGIN = 2  # candidates searched per one kept, for those the per-pair rules remove
BLOCK = 1024  # mentees per product: 1,024 x 32,484 mentors is 133 MB of scores


@dataclass
class CandidateGraph:
    """Each mentee's best `k` allowed mentors, best first: pairs (row, mentor) where row is
    a position in the mentees given and mentor a position in index.mentors, with the
    exact score and its components."""

    row: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    parts: dict[str, np.ndarray]


def best_candidates(
    index: MentorIndex,
    mentees: np.ndarray,
    k: int,
    ended: set[tuple[int, int]] | None = None,
    progress: Callable[[int], None] | None = None,
    per_mentor: int = 0,
) -> CandidateGraph:
    """Each mentee's exact best k allowed mentors and, with per_mentor, each mentor's best
    per_mentor mentees by the same score (fewer where the pair rules remove some): the
    graph a whole-cohort assignment needs, since a popular mentor is in everyone's best k.
    ended: (mentee, mentor) population rows never paired again; progress: called with the
    number of mentees just done."""
    mentees = np.asarray(mentees, dtype=np.int64)
    ended = ended or set()
    search = _Search(index, mentees)
    width = min(MARGIN * k, len(index.mentors))
    rows, cols, cut = [], [], np.zeros(len(mentees), dtype=bool)
    by_mentor = _Best(len(index.mentors), per_mentor)
    with _all_cores():
        for group in search.groups():
            found = search.both_ways(search.queries(group), group, width, by_mentor)
            rows.append(np.repeat(group, width))
            cols.append(found.ravel())
            cut[group] = (found >= 0).all(axis=1) & (width < len(index.mentors))
            if progress:
                progress(len(group))
    mentee_side = sum(len(r) for r in rows)
    rows.append(by_mentor.rows())
    cols.append(by_mentor.columns())
    row, col = np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)
    ours = np.arange(len(row)) < mentee_side
    valid = col >= 0
    valid[valid] = index.checker.allowed_pairs(mentees[row[valid]], index.mentors[col[valid]])
    if ended:
        n = len(index.pop)
        never = np.array([a * n + b for a, b in ended], dtype=np.int64)
        valid[valid] &= ~np.isin(mentees[row[valid]] * n + index.mentors[col[valid]], never)
    short = np.bincount(row[valid & ours], minlength=len(mentees)) < k
    key = row[valid] * len(index.mentors) + col[valid]
    _, once, inverse = np.unique(key, return_index=True, return_inverse=True)
    theirs = np.zeros(len(once), dtype=bool)  # found by a mentor's search (as well)
    np.logical_or.at(theirs, inverse, ~ours[valid])
    pick = np.flatnonzero(valid)[once]
    graph = _ranked(index, row[pick], col[pick], search.parts(row[pick], col[pick]), k, theirs)
    exact = np.flatnonzero(search.outside | (cut & short))
    if len(exact):
        graph = _with_exact(index, mentees, graph, exact, k, ended)
        if progress:
            progress(int(search.outside.sum()))
    return graph


def _ranked(index: MentorIndex, row, col, parts, k: int, theirs: np.ndarray) -> CandidateGraph:
    """Per mentee, best first (ties by mentor id, as the index ranks): the best k of the
    mentee's own search, and every pair a mentor's search added."""
    score = total_of(parts)
    order = np.lexsort((index.mentors[col], -np.round(score, 6), row))
    row = row[order]
    first = (np.arange(len(row)) - np.searchsorted(row, row)) < k
    chosen = order[first | theirs[order]]
    return CandidateGraph(
        row=row[first | theirs[order]],
        mentor=col[chosen],
        score=score[chosen],
        parts={name: parts[name][chosen] for name in COMPONENTS},
    )


class _Best:
    """Each mentor's best `size` (score, mentee) so far, over the blocks searched, in
    faiss's heaps. A block offers only the scores above a mentor's worst kept one: after
    the first blocks few do, so the mentor side costs no second product."""

    def __init__(self, mentors: int, size: int) -> None:
        self.heap = faiss.ResultHeap(mentors, size, keep_max=True) if size else None

    def offer(self, scores: np.ndarray, mentees: np.ndarray) -> None:
        """scores: len(mentees) x mentors, forbidden pairs under 1 - FORBIDDEN."""
        if self.heap is None:
            return
        floor = np.maximum(self.heap.D[:, 0], 1.0 - FORBIDDEN)  # a heap's root: its worst
        above = scores > floor[None, :]
        offered = int(np.count_nonzero(above))
        if offered == 0:
            return
        if offered > above.size // 8:  # the first blocks: every mentor, one transposed copy
            values = np.ascontiguousarray(np.where(above, scores, -np.inf).T)
            self.heap.add_result_subset(np.arange(len(values)), values, mentees)
            return
        row, mentor = np.nonzero(above)
        order = np.argsort(mentor, kind="stable")
        row, mentor = row[order], mentor[order]
        touched, start, counts = np.unique(mentor, return_index=True, return_counts=True)
        slot = np.arange(len(mentor)) - np.repeat(start, counts)
        values = np.full((len(touched), int(counts.max())), -np.inf, dtype=np.float32)
        ids = np.full(values.shape, -1, dtype=np.int64)
        at = np.repeat(np.arange(len(touched)), counts)
        values[at, slot] = scores[row, mentor]
        ids[at, slot] = mentees[row]
        self.heap.add_result_subset(touched, values, ids)

    def rows(self) -> np.ndarray:
        return self.heap.I.ravel() if self.heap is not None else np.zeros(0, dtype=np.int64)

    def columns(self) -> np.ndarray:
        if self.heap is None:
            return np.zeros(0, dtype=np.int64)
        found = self.heap.I >= 0
        return np.where(found, np.arange(len(found))[:, None], -1).ravel()


def _with_exact(index, mentees, graph, exact: np.ndarray, k: int, ended) -> CandidateGraph:
    """The graph with the rows in `exact` replaced by the exact index's answer."""
    keep = ~np.isin(graph.row, exact)
    row, col, score = [graph.row[keep]], [graph.mentor[keep]], [graph.score[keep]]
    parts = {name: [values[keep]] for name, values in graph.parts.items()}
    position = {m: j for j, m in enumerate(index.mentors.tolist())}
    ended_of = Counter(mentee for mentee, _ in ended)
    for i in exact.tolist():
        mentee = int(mentees[i])
        found = index.suggest(mentee, k + ended_of[mentee])
        found = [r for r in found if (mentee, r.mentor) not in ended][:k]
        row.append(np.full(len(found), i, dtype=np.int64))
        col.append(np.array([position[r.mentor] for r in found], dtype=np.int64))
        score.append(np.array([r.score for r in found], dtype=np.float32))
        for name in COMPONENTS:
            parts[name].append(np.array([r.components[name] for r in found], dtype=np.float32))
    rows = np.concatenate(row)
    order = np.argsort(rows, kind="stable")  # rows stay best first within each mentee
    return CandidateGraph(
        row=rows[order],
        mentor=np.concatenate(col)[order],
        score=np.concatenate(score)[order],
        parts={name: np.concatenate(values)[order] for name, values in parts.items()},
    )


class _all_cores:
    """faiss's threads for one batch (the index keeps one thread for single queries), and
    BLAS blocks of 4,096 mentors (1,024 by default: 15% slower on this shape, measured)."""

    def __enter__(self) -> None:
        self.block = faiss.cvar.distance_compute_blas_database_bs
        faiss.cvar.distance_compute_blas_database_bs = 4096
        faiss.omp_set_num_threads(max(1, len(os.sched_getaffinity(0))))

    def __exit__(self, *_: object) -> None:
        faiss.omp_set_num_threads(1)
        faiss.cvar.distance_compute_blas_database_bs = self.block


class _Search:
    """The mentor matrix and the mentees' query rows of the linear form (module doc)."""

    def __init__(self, index: MentorIndex, mentees: np.ndarray) -> None:
        pop, w = index.pop, index.scorer.weights
        self.index, self.mentees = index, mentees
        counts = pop.wanted.counts()[mentees]
        owner = np.repeat(np.arange(len(mentees)), counts)
        phrase = (
            np.concatenate([pop.wanted.of(m) for m in mentees.tolist()])
            if len(mentees)
            else np.zeros(0, dtype=np.int64)
        )
        distinct, uses = np.unique(phrase, return_counts=True)
        columns = np.sort(distinct[np.argsort(-uses, kind="stable")[:MAX_PHRASE_COLUMNS]])
        at = np.searchsorted(columns, phrase)
        inside = (at < len(columns)) & (columns[np.minimum(at, len(columns) - 1)] == phrase)
        self.outside = np.bincount(owner[~inside], minlength=len(mentees)) > 0
        mentors = index.mentors
        self.dims = pop.goals_vectors.shape[1]
        self.base = np.zeros((len(mentors), self.dims + len(columns) + 1), dtype=np.float32)
        self.base[:, : self.dims] = index.profile_role_vectors  # goals . this = profile + role
        # the skills term exactly: the lifts floored as the scorer floors them
        self.lifts = np.zeros((len(columns), len(mentors)), dtype=np.float32)
        for j, p in enumerate(columns.tolist()):
            lift = index.lift(p)
            self.base[:, self.dims + j] = w.skills * lift
            self.lifts[j] = np.where(lift >= index.scorer.floor, lift, 0.0)
        self.column_of = (owner[inside], at[inside], 1.0 / counts[owner[inside]])
        self.bios = np.ascontiguousarray(pop.offer_vectors[mentors], dtype=np.float32)
        self.titles = np.ascontiguousarray(pop.title_vectors[mentors], dtype=np.float32)

    def groups(self) -> list[np.ndarray]:
        """Positions of the mentees searched, grouped by what the group column depends on."""
        pop, rows = self.index.pop, np.flatnonzero(~self.outside)
        people = self.mentees[rows]
        fit = [pop.seniority[people], pop.utc_offset[people], pop.track[people]]
        key = np.column_stack([*fit, pop.languages[people]])
        _, group = np.unique(key, axis=0, return_inverse=True)
        order = np.argsort(group.ravel(), kind="stable")
        cuts = np.flatnonzero(np.diff(group.ravel()[order])) + 1
        return [rows[part] for part in np.split(order, cuts)] if len(rows) else []

    def queries(self, group: np.ndarray) -> np.ndarray:
        """The group's query rows; the mentor matrix's last column set for the group."""
        index, first = self.index, int(self.mentees[group[0]])
        fit = index.fit_row(first)
        allowed = index.checker.eligible(first, index.mentors)
        self.base[:, -1] = fit - FORBIDDEN * ~allowed
        queries = np.zeros((len(group), self.base.shape[1]), dtype=np.float32)
        queries[:, : self.dims] = index.pop.goals_vectors[self.mentees[group]]
        queries[:, -1] = 1.0
        owner, column, weight = self.column_of
        local = np.searchsorted(group, owner)  # group is sorted: positions within it
        hit = (local < len(group)) & (group[np.minimum(local, len(group) - 1)] == owner)
        np.add.at(queries, (local[hit], self.dims + column[hit]), weight[hit])
        return queries

    def both_ways(
        self, queries: np.ndarray, group: np.ndarray, width: int, by_mentor: _Best
    ) -> np.ndarray:
        """Each query's best `width` mentor positions (-1 past the group's allowed); each
        block's scores offered to the mentors' heaps too. One BLAS product per block."""
        found = np.empty((len(queries), width), dtype=np.int64)
        every = np.arange(len(self.base), dtype=np.int64)
        for start in range(0, len(queries), BLOCK):
            scores = queries[start : start + BLOCK] @ self.base.T
            best = faiss.ResultHeap(len(scores), width, keep_max=True)
            best.add_result_subset(np.arange(len(scores)), scores, every)
            best.finalize()
            found[start : start + len(scores)] = np.where(best.D < 1.0 - FORBIDDEN, -1, best.I)
            by_mentor.offer(scores, group[start : start + len(scores)])
        return found

    def parts(self, row: np.ndarray, col: np.ndarray) -> dict[str, np.ndarray]:
        """The exact components of pairs (mentee position, mentor position), row sorted
        or not: profile and role in faiss, skills from the floored lifts."""
        index, w = self.index, self.index.scorer.weights
        order = np.argsort(row, kind="stable")
        row_sorted = row[order]
        users, start, at = np.unique(row_sorted, return_index=True, return_inverse=True)
        goals = np.ascontiguousarray(index.pop.goals_vectors[self.mentees[users]], np.float32)
        profile, role = _pair_products(goals, (self.bios, self.titles), at, start, col[order])
        skills = np.zeros(len(row), dtype=np.float32)
        owner, column, weight = self.column_of
        first, last = (
            np.searchsorted(owner, row_sorted),
            np.searchsorted(owner, row_sorted, "right"),
        )
        for j in range(int((last - first).max(initial=0))):  # a mentee's j-th wanted phrase
            has = first + j < last
            pos = first[has] + j
            skills[has] += weight[pos] * self.lifts[column[pos], col[order][has]]
        fit = index.scorer.fit_pairs(self.mentees[row_sorted], index.mentors[col[order]])
        out = np.empty((5, len(row)), dtype=np.float32)
        out[:, order] = [
            w.skills * skills,
            w.profile * profile,
            w.role * role,
            fit["seniority"],
            fit["timezone"],
        ]
        return dict(zip(COMPONENTS, out, strict=True))


def _pair_products(
    queries: np.ndarray,
    matrices: tuple[np.ndarray, ...],
    at: np.ndarray,
    start: np.ndarray,
    col: np.ndarray,
) -> list[np.ndarray]:
    """For each pair p (sorted by query, `at` its query, `start` each query's first pair):
    queries[at[p]] . matrix[col[p]], for each matrix. Queries are padded to the longest
    list in a bucket of similar lengths: a mentee in thousands of mentors' lists would
    otherwise pad every other mentee's row to that length (gigabytes at 100,000 people)."""
    slot = np.arange(len(at)) - start[at]
    counts = np.diff(np.append(start, len(at)))
    bucket = np.ceil(np.log2(np.maximum(counts, 1))).astype(np.int64)
    out = [np.empty(len(at), dtype=np.float32) for _ in matrices]
    for b in np.unique(bucket).tolist():
        users = np.flatnonzero(bucket == b)
        pick = np.flatnonzero(bucket[at] == b)
        local = np.searchsorted(users, at[pick])
        ids = np.full((len(users), int(counts[users].max())), -1, dtype=np.int64)
        ids[local, slot[pick]] = col[pick]
        block = np.ascontiguousarray(queries[users])
        for values, matrix in zip(out, matrices, strict=True):
            values[pick] = _products(block, matrix, ids)[local, slot[pick]]
    return out


def _products(queries: np.ndarray, vectors: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """queries[i] . vectors[ids[i, j]] for every j, in faiss (no gathered copies)."""
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    out = np.empty(ids.shape, dtype=np.float32)
    faiss.fvec_inner_products_by_idx(  # type: ignore[attr-defined]  # a SWIG export, no stub
        faiss.swig_ptr(out),
        faiss.swig_ptr(queries),
        faiss.swig_ptr(vectors),
        faiss.swig_ptr(ids),
        queries.shape[1],
        len(queries),
        ids.shape[1],
    )
    return out
