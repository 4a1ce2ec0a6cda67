"""Exact top-N suggestions for one mentee, pruned by a bound: faiss finds what to skip.

A mentor's score is skills + profile + role + seniority + timezone. For every mentor at
once we know an upper bound cheaply: the skills component from a faiss range search over
the distinct phrases mentors offer (each hit phrase lifts the mentors who offer it,
through a posting list), seniority and timezone exactly, and the profile and role cosines
from k-means cells of mentors (a cell's widest angle bounds every member). The bounds of
the likeliest mentors are then made tight with their exact profile and role (one product
with 0.4 bio + 0.2 title, the cosines being plain), the best of those are scored, and
their N-th best score is the one to beat: every mentor whose bound reaches it has the
bound made tight the same way, and those still reaching it (a few dozen of tens of
thousands) are scored exactly. The result is the brute-force top N. A mentee who wants
no skill is served from the profile index instead (nearest by goals-vs-bio, widened until
the bound is met).
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
PRESELECT = 1024  # mentors whose bound is made tight before the first exact scores


def _largest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` largest values, in no order (all of them when fewer)."""
    if count >= len(values):
        return np.arange(len(values))
    return np.argpartition(-values, count)[:count]


def _flat_index(vectors: np.ndarray) -> faiss.IndexFlatIP:
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class MentorIndex:
    """faiss indexes over the mentors of a population, for fast exact top-N suggestions."""

    brute_force_below = 2048  # mentors; fewer are scored all at once (p95 at 959 mentors:
    # all 3.7-4.0 ms, pruned 4.4-4.8; at 3,186: all 6.7-8.0, pruned 4.3-4.6)

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

    def bounds(self, mentee: int) -> tuple[np.ndarray, np.ndarray]:
        """An upper bound on every mentor's score for this mentee, rules aside, and the
        part of it that stands for profile plus role (from the cells, loose)."""
        w = self.scorer.weights
        wanted = self.pop.wanted.of(mentee)
        skills = np.zeros(len(self.mentors), dtype=np.float32)
        for phrase in wanted.tolist():
            skills += self.lift(phrase)
        goals = self.pop.goals_vectors[mentee]
        cosines = w.profile * self.cells.bound(goals) + w.role * self.title_cells.bound(goals)
        rest = w.skills * (skills / max(len(wanted), 1) + EPSILON) + self.fit_row(mentee)
        return rest + cosines, cosines

    @cached_property
    def profile_role_vectors(self) -> np.ndarray:
        """Per mentor, 0.4 bio + 0.2 title (the weights): goals . this = profile + role."""
        w = self.scorer.weights
        both = w.profile * self.pop.offer_vectors[self.mentors]
        both += w.role * self.pop.title_vectors[self.mentors]
        return np.ascontiguousarray(both, dtype=np.float32)

    def profile_role(self, mentee: int, rows: np.ndarray) -> np.ndarray:
        """The profile plus role components of the mentors at `rows` (to float rounding)."""
        return self.profile_role_vectors[rows] @ self.pop.goals_vectors[mentee]

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
        bound, cosines = self.bounds(mentee)
        # The likeliest mentors' bounds made tight (exact profile and role) first: the best
        # of those give a higher score to beat, which leaves fewer to check below.
        likely = _largest(bound, PRESELECT)
        tight = bound[likely] - cosines[likely] + self.profile_role(mentee, likely)
        width = max(64, 4 * top)
        while True:  # a first set of likely mentors gives a score to beat
            first = (
                likely[_largest(tight, width)] if width < len(likely) else _largest(bound, width)
            )
            ranked = self.score(mentee, self.mentors[first], top)
            if len(ranked) == top or width >= len(bound):
                break
            width *= 4
        if len(ranked) < top:
            return ranked
        # Everyone whose bound reaches the N-th best (a margin for the 6-decimal tie rule),
        # then the bound tightened with their exact profile and role: a cheap product that
        # leaves a few dozen of thousands to score in full.
        beat = ranked[-1].score - TIE_MARGIN
        rest = np.flatnonzero(bound >= beat)
        tight = bound[rest] - cosines[rest] + self.profile_role(mentee, rest) + EPSILON
        return self.score(mentee, self.mentors[rest[tight >= beat]], top)

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
