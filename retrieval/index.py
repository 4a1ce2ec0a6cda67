"""Candidate retrieval with faiss, then exact scoring: suggestions for one mentee.

Two indexes over the mentors: one over every distinct phrase mentors offer (a range
search at the similarity floor finds every mentor who covers any wanted skill), one over
mentors' profile vectors (the nearest by goals-vs-bio). Candidates from both are scored
exactly. A mentor outside both sets covers no wanted skill and has a profile cosine no
higher than the last profile hit, which bounds its score; while the N-th best candidate
is under that bound, the profile search widens. So the top N is exact, not approximate.
"""

from __future__ import annotations

from dataclasses import dataclass

import faiss
import numpy as np
from threadpoolctl import ThreadpoolController

from retrieval.population import Population
from retrieval.rules import RuleChecker
from retrieval.scoring import COMPONENTS, SkillGapScorer, total_of


@dataclass(frozen=True)
class Ranked:
    """One mentor for one mentee: the score and its weighted components."""

    mentor: int
    score: float
    components: dict[str, float]


def _flat_index(vectors: np.ndarray) -> faiss.IndexFlatIP:
    index = faiss.IndexFlatIP(vectors.shape[1])
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class MentorIndex:
    """faiss indexes over the mentors of a population, for fast exact top-N suggestions."""

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
        # Distinct offered phrases, and which mentors offer each (CSR over the phrase rows).
        owner = np.repeat(self.mentors, population.offered.counts()[self.mentors])
        phrase = (
            np.concatenate([population.offered.of(m) for m in self.mentors])
            if len(self.mentors)
            else np.zeros(0, dtype=np.int64)
        )
        self.phrases, row = np.unique(phrase, return_inverse=True)
        order = np.argsort(row, kind="stable")
        self.owners = owner[order]
        self.owner_ptr = np.searchsorted(row[order], np.arange(len(self.phrases) + 1))
        self.phrase_index = _flat_index(population.phrase_vectors[self.phrases])
        self.profile_index = _flat_index(population.offer_vectors[self.mentors])

    def skill_candidates(self, mentee: int) -> np.ndarray:
        """Every mentor offering a phrase within the floor of any phrase the mentee wants."""
        wanted = self.pop.wanted.of(mentee)
        if len(wanted) == 0 or len(self.phrases) == 0:
            return np.zeros(0, dtype=np.int64)
        _, _, hits = self.phrase_index.range_search(
            self.pop.phrase_vectors[wanted], self.scorer.floor - 1e-6
        )
        rows = np.unique(hits)
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64)
        chosen = np.zeros(len(self.pop), dtype=bool)  # a mask beats np.unique on many owners
        for r in rows.tolist():
            chosen[self.owners[self.owner_ptr[r] : self.owner_ptr[r + 1]]] = True
        return np.flatnonzero(chosen)

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
            return self._suggest(mentee, top)

    def _suggest(self, mentee: int, top: int) -> list[Ranked]:
        width = max(64, 4 * top)
        skilled = self.skill_candidates(mentee)
        while True:
            near, bound_cosine = self.profile_candidates(mentee, width)
            chosen = np.zeros(len(self.pop), dtype=bool)
            chosen[skilled] = True
            chosen[near] = True
            candidates = np.flatnonzero(chosen)
            ranked = self.score(mentee, candidates, top)
            complete = bound_cosine < -0.5  # every mentor was a candidate
            if complete or (
                len(ranked) == top
                and ranked[-1].score >= self.scorer.max_without_skills(bound_cosine)
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
