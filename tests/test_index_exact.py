"""Pruned suggestions are exactly the brute-force top N, on random populations."""

from __future__ import annotations

import numpy as np
import pytest

import retrieval.index as index_module
from embeddings import l2_normalise
from retrieval import (
    MatchRules,
    MentorIndex,
    PhraseLists,
    Population,
    RuleChecker,
    ScoreWeights,
    SkillGapScorer,
    total_of,
)


def random_population(
    seed: int, people: int = 400, vocabulary: int = 60, noise: float = 0.2
) -> Population:
    """Clustered phrase and profile vectors (a noise of about 0.9 and `noise` x 5.7 times
    a centre's length: many phrases sit near the floor), random rules data."""
    rng = np.random.default_rng(seed)
    centres = l2_normalise(rng.normal(size=(6, 32)).astype(np.float32))
    topic = rng.integers(0, 6, size=vocabulary)
    phrases = l2_normalise(
        centres[topic] + 0.16 * rng.normal(size=(vocabulary, 32)).astype(np.float32)
    )
    home = rng.integers(0, 6, size=people)

    def lists(low: int, high: int) -> PhraseLists:
        out = []
        for p in range(people):
            near = np.flatnonzero(topic == home[p])
            pool = near if rng.random() < 0.8 and len(near) else np.arange(vocabulary)
            size = min(int(rng.integers(low, high + 1)), len(pool))
            out.append(sorted(rng.choice(pool, size=size, replace=False).tolist()))
        return PhraseLists.from_lists(out)

    def profiles() -> np.ndarray:
        return l2_normalise(
            centres[home] + noise * rng.normal(size=(people, 32)).astype(np.float32)
        )

    manager = np.where(rng.random(people) < 0.8, rng.integers(0, people, size=people), -1)
    manager[manager >= np.arange(people)] = -1  # a tree: managers come first
    is_mentor = rng.random(people) < 0.5
    return Population(
        ids=[f"p{i:04d}" for i in range(people)],
        seniority=rng.integers(1, 6, size=people),
        team=rng.integers(-1, 20, size=people),
        track=np.where(rng.random(people) < 0.2, rng.integers(0, 2, size=people), -1),
        manager=manager,
        languages=rng.random((people, 3)) < 0.6,
        utc_offset=rng.choice([-5.0, 0.0, 1.0, 5.5, 8.0], size=people),
        is_mentor=is_mentor,
        is_mentee=rng.random(people) < 0.7,
        capacity=np.where(is_mentor, rng.integers(0, 4, size=people), 0),
        load=rng.integers(0, 2, size=people),
        exclusions=[(int(a), int(b)) for a, b in rng.integers(0, people, size=(8, 2))],
        offer_vectors=profiles(),
        goals_vectors=profiles(),
        title_vectors=np.where(rng.random((people, 1)) < 0.9, profiles(), 0).astype(np.float32),
        phrase_texts=[f"phrase {i}" for i in range(vocabulary)],
        phrase_vectors=phrases,
        offered=lists(1, 6),
        wanted=lists(0, 5),  # some mentees want nothing: served from the profile index
    )


def brute_force(
    pop: Population, scorer: SkillGapScorer, checker: RuleChecker, mentee: int, top: int
):
    mentors = pop.mentors()
    parts = scorer.components(np.array([mentee]), mentors)
    total = total_of(parts)[0]
    valid = np.flatnonzero(checker.allowed(np.array([mentee]), mentors)[0])
    best = valid[np.lexsort((valid, -np.round(total[valid], 6)))][:top]
    return mentors[best].tolist(), total[best]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("floor", [0.2, 0.4, 0.6])
def test_pruned_suggestions_equal_brute_force(
    seed: int, floor: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Odd seeds: only a few mentors' bounds are made tight before the first scores.
    monkeypatch.setattr(index_module, "PRESELECT", 16 if seed % 2 else 1024)
    pop = random_population(seed)
    weights = ScoreWeights(skills=0.4, profile=0.3, role=0.1, seniority=0.1, timezone=0.1)
    scorer = SkillGapScorer(pop, weights, floor)
    checker = RuleChecker(pop, MatchRules(reverse_mentoring=seed % 2 == 0))
    index = MentorIndex(pop, scorer, checker)
    index.brute_force_below = 0  # the pruned path, even this small
    for mentee in pop.mentees().tolist():
        for top in (1, 10):
            expected, scores = brute_force(pop, scorer, checker, mentee, top)
            got = index.suggest(mentee, top)
            assert [r.mentor for r in got] == expected
            assert [r.score for r in got] == pytest.approx(scores.tolist(), abs=1e-6)


def test_the_index_scores_far_fewer_mentors_than_it_has() -> None:
    pop = random_population(1, people=4000, vocabulary=300, noise=0.1)
    scorer = SkillGapScorer(pop, ScoreWeights(), 0.4)
    index = MentorIndex(pop, scorer, RuleChecker(pop, MatchRules()))
    index.brute_force_below = 0
    scored = []
    original = index.score

    def counting(mentee: int, candidates: np.ndarray, top: int):
        scored.append(len(candidates))
        return original(mentee, candidates, top)

    index.score = counting  # type: ignore[method-assign]
    for mentee in pop.mentees()[:50].tolist():
        if len(pop.wanted.of(mentee)):
            index.suggest(mentee, 10)
    assert np.mean(scored) < 0.3 * len(pop.mentors())
