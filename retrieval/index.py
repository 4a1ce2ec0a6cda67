"""Exact top-N suggestions for one mentee, pruned by a bound: faiss finds what to skip.

A mentor's score is skills + profile + role + seniority + timezone. For every mentor at
once we know an upper bound cheaply: the skills component from a faiss range search over
the distinct phrases mentors offer (each hit phrase lifts the mentors who offer it,
through a posting list), seniority and timezone exactly, and the profile and role cosines
from k-means cells of mentors (a cell's widest angle bounds every member). Mentors
are scored exactly, best bound first, until the N-th best exact score is above every
remaining bound: the result is the brute-force top N, while typically a few hundred of
tens of thousands of mentors are scored. A mentee who wants no skill is served from the
profile index instead (nearest by goals-vs-bio, widened until the bound is met).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import faiss
import numpy as np
from threadpoolctl import ThreadpoolController

from retrieval.bounds import EPSILON, Cells, LiftCache
from retrieval.population import Population
from retrieval.rules import RuleChecker
from retrieval.scoring import COMPONENTS, SkillGapScorer, total_of


@dataclass(frozen=True)
class Ranked:
    """One mentor for one mentee: the score and its weighted components."""

    mentor: int
    score: float
    components: dict[str, float]


TIE_MARGIN = 1e-5  # scores are ranked at 6 decimals: a bound this close may still tie
LIFT_CACHE_BYTES = 256 * 2**20


def _flat_index(vectors: np.ndarray) -> faiss.IndexFlatIP:
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class MentorIndex:
    """faiss indexes over the mentors of a population, for fast exact top-N suggestions."""

    brute_force_below = 4096  # mentors; fewer are scored all at once (measured: bench_matching)

    def __init__(
        self, population: Population, scorer: SkillGapScorer, checker: RuleChecker
    ) -> None:
        # One query at a time: faiss's OpenMP threads only add start-up time and contend
        # with numpy for the same cores.
        faiss.omp_set_num_threads(1)
        self._threads = ThreadpoolController()  # finding the thread pools is slow: do it once
        self.pop = population
        self.scorer = scorer
        self.checker = checker
        self.mentors = population.mentors()
        self._lifts = LiftCache(max_bytes=LIFT_CACHE_BYTES)
        self._fits: dict[tuple[int, float], np.ndarray] = {}

    # The structures below serve the pruned path only: built on its first use, so that a
    # small organisation (scored all at once) or a dense cohort never pays for them.

    @cached_property
    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct offered phrases, and which mentors offer each (CSR over the phrase
        rows; owners are positions in self.mentors)."""
        counts = self.pop.offered.counts()[self.mentors]
        owner = np.repeat(np.arange(len(self.mentors)), counts)
        phrase = (
            np.concatenate([self.pop.offered.of(m) for m in self.mentors])
            if len(self.mentors)
            else np.zeros(0, dtype=np.int64)
        )
        phrases, row = np.unique(phrase, return_inverse=True)
        order = np.argsort(row, kind="stable")
        return phrases, owner[order], np.searchsorted(row[order], np.arange(len(phrases) + 1))

    @cached_property
    def phrase_index(self) -> faiss.IndexFlatIP:
        return _flat_index(self.pop.phrase_vectors[self._postings[0]])

    @cached_property
    def profile_index(self) -> faiss.IndexFlatIP:
        return _flat_index(self.pop.offer_vectors[self.mentors])

    @cached_property
    def cells(self) -> Cells:
        return Cells(self.pop.offer_vectors[self.mentors])

    @cached_property
    def title_cells(self) -> Cells:
        return Cells(self.pop.title_vectors[self.mentors])

    def lift(self, wanted_phrase: int) -> np.ndarray:
        """For each mentor: the best similarity of an offered phrase to this wanted phrase,
        0 under the floor (the skills component's term for it, from faiss: within EPSILON
        of the exact one, and possibly a little under the floor)."""
        cached = self._lifts.get(wanted_phrase)
        if cached is not None:
            return cached
        out = np.zeros(len(self.mentors), dtype=np.float32)
        phrases, owned_by, owner_ptr = self._postings
        if len(phrases):
            _, sims, rows = self.phrase_index.range_search(
                self.pop.phrase_vectors[wanted_phrase : wanted_phrase + 1],
                self.scorer.floor - EPSILON,
            )
            starts, ends = owner_ptr[rows], owner_ptr[rows + 1]
            if len(rows):
                owners = np.concatenate([owned_by[a:b] for a, b in zip(starts, ends, strict=True)])
                np.maximum.at(out, owners, np.repeat(sims, ends - starts))
        self._lifts.put(wanted_phrase, out)
        return out

    def fit_row(self, mentee: int) -> np.ndarray:
        """The seniority plus timezone components for every mentor: they depend only on the
        mentee's seniority and UTC offset, so they are shared and cached."""
        key = (int(self.pop.seniority[mentee]), float(self.pop.utc_offset[mentee]))
        if key not in self._fits:
            fit = self.scorer.fit(np.array([mentee]), self.mentors)
            self._fits[key] = (fit["seniority"][0] + fit["timezone"][0]).astype(np.float32)
        return self._fits[key]

    def bounds(self, mentee: int) -> np.ndarray:
        """An upper bound on every mentor's score for this mentee, rules aside."""
        w = self.scorer.weights
        wanted = self.pop.wanted.of(mentee)
        skills = np.zeros(len(self.mentors), dtype=np.float32)
        for phrase in wanted.tolist():
            skills += self.lift(phrase)
        return (
            w.skills * (skills / max(len(wanted), 1) + EPSILON)
            + w.profile * self.cells.bound(self.pop.goals_vectors[mentee])
            + w.role * self.title_cells.bound(self.pop.goals_vectors[mentee])
            + self.fit_row(mentee)
        )

    def profile_candidates(self, mentee: int, k: int) -> tuple[np.ndarray, float]:
        """The k mentors nearest by profile, and the cosine of the k-th (the bound for the rest)."""
        k = min(k, len(self.mentors))
        sims, rows = self.profile_index.search(self.pop.goals_vectors[mentee : mentee + 1], k)
        found = rows[0][rows[0] >= 0]
        last = float(sims[0][len(found) - 1]) if len(found) == k < len(self.mentors) else -1.0
        return self.mentors[found], last

    def suggest(self, mentee: int, top: int) -> list[Ranked]:
        """The best `top` mentors who break no rule, best first, exactly."""
        # Small products on one thread: waking BLAS's pool costs more than it saves, and
        # after faiss has run it can stall ~25 ms (p95 23 ms -> 0.6 ms at 1,000 people).
        with self._threads.limit(limits=1):
            if len(self.mentors) < self.brute_force_below:  # bounds cost more than they save
                return self.score(mentee, self.mentors, top)
            if len(self.pop.wanted.of(mentee)) == 0:
                return self._by_profile(mentee, top)
            return self._by_bound(mentee, top)

    def _by_bound(self, mentee: int, top: int) -> list[Ranked]:
        bound = self.bounds(mentee)
        width = max(64, 4 * top)
        while True:  # a first set of likely mentors gives a score to beat
            first = (
                np.argpartition(-bound, width)[:width]
                if width < len(bound)
                else np.arange(len(bound))
            )
            ranked = self.score(mentee, self.mentors[first], top)
            if len(ranked) == top or width >= len(bound):
                break
            width *= 4
        if len(ranked) < top:
            return ranked
        # Everyone whose bound reaches the N-th best (a margin for the 6-decimal tie rule).
        rest = np.flatnonzero(bound >= ranked[-1].score - TIE_MARGIN)
        return self.score(mentee, self.mentors[rest], top)

    def _by_profile(self, mentee: int, top: int) -> list[Ranked]:
        width = max(64, 4 * top)
        goals = self.pop.goals_vectors[mentee : mentee + 1]
        role = float(self.title_cells.per_cell(goals).max(initial=0.0))
        while True:
            near, bound_cosine = self.profile_candidates(mentee, width)
            ranked = self.score(mentee, near, top)
            complete = bound_cosine < -0.5  # every mentor was a candidate
            if complete or (
                len(ranked) == top
                and ranked[-1].score
                > self.scorer.max_without_skills(bound_cosine, role) + TIE_MARGIN
            ):
                return ranked
            width *= 4

    def score(self, mentee: int, candidates: np.ndarray, top: int) -> list[Ranked]:
        """Exact scores of the allowed candidates, best `top` first (ties by id: rows are in
        id order)."""
        if len(candidates) == 0:
            return []
        allowed = self.checker.allowed(np.array([mentee]), candidates)[0]
        candidates = candidates[allowed]
        if len(candidates) == 0:
            return []
        parts = self.scorer.components(np.array([mentee]), candidates)
        total = total_of(parts)[0]
        order = np.lexsort((candidates, -np.round(total, 6)))[:top]  # rows are in id order
        return [
            Ranked(
                mentor=int(candidates[i]),
                score=float(total[i]),
                components={name: float(parts[name][0][i]) for name in COMPONENTS},
            )
            for i in order.tolist()
        ]
