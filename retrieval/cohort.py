"""Each mentee's best K allowed mentors, for a whole cohort at once: the candidate graph
of a sparse assignment at 100,000 people.

Mentees go in blocks of similar people (sorted by their nearest cell of mentors), and a
block shares the work. For every (mentee, cell of mentors) an upper bound on any
member's score: skills from the cell's best lift of each wanted phrase, profile from the
cell's widest angle, seniority and timezone from the cell's best member. Members of each
mentee's best cells are scored to find a score to beat (the K-th best allowed); then
every member of every cell whose bound reaches it. The result is each mentee's top K by
score, ties by id, with scores equal to the scorer's up to float rounding (the skills term
comes from faiss's cosines).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from retrieval.bounds import EPSILON
from retrieval.index import TIE_MARGIN, MentorIndex
from retrieval.scoring import COMPONENTS

BLOCK = 256


@dataclass(frozen=True)
class Pairs:
    """Candidate pairs, flat: population rows, score and its weighted components."""

    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    components: dict[str, np.ndarray]


def best_pairs(
    index: MentorIndex,
    mentees: np.ndarray,
    k: int,
    progress: Callable[[int], None] | None = None,
) -> Pairs:
    """Each mentee's best `k` allowed mentors (fewer where fewer are allowed)."""
    mentees = np.asarray(mentees, dtype=np.int64)
    if index.cells.centres is not None and len(mentees):
        nearest = np.argmax(index.pop.goals_vectors[mentees] @ index.cells.centres.T, axis=1)
        mentees = mentees[np.argsort(nearest, kind="stable")]
    found = []
    for start in range(0, len(mentees), BLOCK):
        block = _Block(index, mentees[start : start + BLOCK])
        found.append(block.best(k))
        if progress is not None:
            progress(len(block.mentees))
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        floats = np.zeros(0, dtype=np.float32)
        return Pairs(empty, empty, floats, {name: floats for name in COMPONENTS})
    return Pairs(
        mentee=np.concatenate([f.mentee for f in found]),
        mentor=np.concatenate([f.mentor for f in found]),
        score=np.concatenate([f.score for f in found]),
        components={n: np.concatenate([f.components[n] for f in found]) for n in COMPONENTS},
    )


class _Block:
    """One block of mentees: their wanted phrases' lifts and their cell bounds."""

    def __init__(self, index: MentorIndex, mentees: np.ndarray) -> None:
        self.index, self.mentees = index, mentees
        pop, cells, w = index.pop, index.cells, index.scorer.weights
        wanted = [pop.wanted.of(e) for e in mentees.tolist()]
        self.counts = np.array([max(len(x), 1) for x in wanted], dtype=np.float32)
        distinct = np.unique(np.concatenate([*wanted, np.zeros(0, dtype=np.int64)])).tolist()
        slot = {p: i for i, p in enumerate(distinct)}
        self.slots = np.full((len(mentees), max(map(len, wanted), default=1) or 1), len(distinct))
        for i, x in enumerate(wanted):
            self.slots[i, : len(x)] = [slot[p] for p in x.tolist()]
        self.lifts = np.vstack(
            [*(index.lift(p) for p in distinct), np.zeros(len(index.mentors), np.float32)]
        )
        by_cell = np.vstack(
            [*(index.lift_by_cell(p) for p in distinct), np.zeros(cells.count, np.float32)]
        )
        skills = by_cell[self.slots].sum(axis=1) / self.counts[:, None] + EPSILON
        keys = [(int(pop.seniority[e]), float(pop.utc_offset[e])) for e in mentees.tolist()]
        kinds = {key: i for i, key in enumerate(dict.fromkeys(keys))}
        self.kind = np.array([kinds[key] for key in keys], dtype=np.int64)
        first = [mentees[keys.index(key)] for key in kinds]
        self.fits = np.stack([index.fit_row(e) for e in first])  # kinds x 2 x mentors
        fit_cells = np.vstack([index.fit_by_cell(e) for e in first])[self.kind]
        profile = cells.per_cell(pop.goals_vectors[mentees])
        self.bound = w.skills * skills + w.profile * profile + fit_cells

    def best(self, k: int) -> Pairs:
        """Score each mentee's best cells for a score to beat, then every cell that can
        beat it; keep the top k."""
        cells = self.index.cells
        rows = np.arange(len(self.mentees))
        first = max(1, min(cells.count, int(np.ceil(2 * k / cells.size.mean())) + 1))
        if first < cells.count:
            tried = np.argpartition(-self.bound, first - 1, axis=1)[:, :first]
        else:
            tried = np.broadcast_to(np.arange(cells.count), (len(rows), cells.count))
        seen = self._pairs(np.repeat(rows, tried.shape[1]), tried.ravel())
        beat = _kth(seen, len(rows), k)
        reach = self.bound >= beat[:, None] - TIE_MARGIN
        reach[rows[:, None], tried] = False
        more = self._pairs(*np.nonzero(reach))
        both = _join(seen, more)
        order = np.lexsort((both.mentor, -np.round(both.score, 6), both.mentee))
        both = _take(both, order)
        rank = np.arange(len(order)) - np.searchsorted(both.mentee, both.mentee)
        kept = _take(both, np.flatnonzero(rank < k))
        return Pairs(self.mentees[kept.mentee], kept.mentor, kept.score, kept.components)

    def _pairs(self, local: np.ndarray, cell: np.ndarray) -> Pairs:
        """Every allowed (mentee, member) pair of the given (mentee, cell) pairs, scored;
        mentee as the block-local row, mentor as a population row."""
        cells, index = self.index.cells, self.index
        sizes = cells.size[cell]
        local = np.repeat(local, sizes)
        offsets = np.arange(len(local)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        position = cells.order[np.repeat(cells.ptr[cell], sizes) + offsets]
        mentors = index.mentors[position]
        allowed = index.checker.allowed_pairs(self.mentees[local], mentors)
        local, position, mentors = local[allowed], position[allowed], mentors[allowed]
        parts = self._score(local, position, mentors)
        total = np.sum(np.stack([parts[n] for n in COMPONENTS]), axis=0)
        return Pairs(local, mentors, total, parts)

    def _score(self, local: np.ndarray, position: np.ndarray, mentors: np.ndarray) -> dict:
        index, pop, w = self.index, self.index.pop, self.index.scorer.weights
        lifted = self.lifts[self.slots[local], position[:, None]]
        lifted[lifted < index.scorer.floor] = 0.0
        used, at = np.unique(mentors, return_inverse=True)
        near = pop.goals_vectors[self.mentees] @ pop.offer_vectors[used].T
        fits = self.fits[self.kind[local], :, position]
        return {
            "skills": (w.skills * lifted.sum(axis=1) / self.counts[local]).astype(np.float32),
            "profile": (w.profile * np.maximum(near[local, at], 0.0)).astype(np.float32),
            "seniority": fits[:, 0],
            "timezone": fits[:, 1],
        }


def _kth(pairs: Pairs, mentees: int, k: int) -> np.ndarray:
    """Per block-local mentee, the k-th best score among the pairs (-inf if fewer)."""
    order = np.lexsort((-pairs.score, pairs.mentee))
    ranked_mentee, ranked_score = pairs.mentee[order], pairs.score[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked_mentee, ranked_mentee)
    out = np.full(mentees, -np.inf, dtype=np.float64)
    at = rank == k - 1
    out[ranked_mentee[at]] = ranked_score[at]
    return out


def _join(a: Pairs, b: Pairs) -> Pairs:
    return Pairs(
        np.concatenate([a.mentee, b.mentee]),
        np.concatenate([a.mentor, b.mentor]),
        np.concatenate([a.score, b.score]),
        {n: np.concatenate([a.components[n], b.components[n]]) for n in COMPONENTS},
    )


def _take(p: Pairs, at: np.ndarray) -> Pairs:
    return Pairs(
        p.mentee[at], p.mentor[at], p.score[at], {n: v[at] for n, v in p.components.items()}
    )
