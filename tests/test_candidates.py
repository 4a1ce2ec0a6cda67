"""The whole cohort's candidates, found in one batch, are each mentee's exact best k."""

from __future__ import annotations

import numpy as np
import pytest

from companion.matching.cohort import plan_cohort
from retrieval import (
    MatchRules,
    MentorIndex,
    RuleChecker,
    ScoreWeights,
    SkillGapScorer,
    total_of,
)
from retrieval import candidates as candidates_module
from retrieval.candidates import best_candidates
from tests.test_index_exact import random_population


def index_for(seed: int, floor: float = 0.4, **rules: bool) -> MentorIndex:
    pop = random_population(seed)
    weights = ScoreWeights(skills=0.4, profile=0.3, role=0.1, seniority=0.1, timezone=0.1)
    return MentorIndex(
        pop, SkillGapScorer(pop, weights, floor), RuleChecker(pop, MatchRules(**rules))
    )


def check_equal(index: MentorIndex, mentees: np.ndarray, k: int, ended=frozenset()) -> None:
    graph = best_candidates(index, mentees, k, set(ended))
    assert np.all(np.diff(graph.row) >= 0)
    for i, mentee in enumerate(mentees.tolist()):
        skip = sum(1 for a, _ in ended if a == mentee)
        expected = [r for r in index.suggest(mentee, k + skip) if (mentee, r.mentor) not in ended]
        got = np.flatnonzero(graph.row == i)
        assert index.mentors[graph.mentor[got]].tolist() == [r.mentor for r in expected[:k]]
        assert graph.score[got].tolist() == pytest.approx([r.score for r in expected[:k]], abs=1e-5)
        for name in ("skills", "profile", "role", "seniority", "timezone"):
            assert graph.parts[name][got].tolist() == pytest.approx(
                [r.components[name] for r in expected[:k]], abs=1e-5
            )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("floor", [0.2, 0.4, 0.6])
def test_batched_candidates_equal_each_mentees_exact_best(seed: int, floor: float) -> None:
    index = index_for(seed, floor, reverse_mentoring=seed % 2 == 0)
    check_equal(index, index.pop.mentees(), k=10)


def test_ended_pairs_are_left_out_and_replaced() -> None:
    index = index_for(3)
    mentees = index.pop.mentees()
    ended = set()
    for mentee in mentees[:40].tolist():
        ended |= {(mentee, r.mentor) for r in index.suggest(mentee, 2)}
    check_equal(index, mentees, k=5, ended=frozenset(ended))


def test_phrases_past_the_searched_columns_fall_back_to_the_exact_index(monkeypatch) -> None:
    monkeypatch.setattr(candidates_module, "MAX_PHRASE_COLUMNS", 4)
    index = index_for(5)
    check_equal(index, index.pop.mentees(), k=8)


def test_mentees_left_short_by_the_rules_are_searched_again(monkeypatch) -> None:
    monkeypatch.setattr(candidates_module, "MARGIN", 1)  # no room for what the rules remove
    index = index_for(6)
    check_equal(index, index.pop.mentees(), k=25)


def test_progress_counts_every_mentee_once() -> None:
    index = index_for(2)
    mentees = index.pop.mentees()
    done = []
    best_candidates(index, mentees, 5, progress=done.append)
    assert sum(done) == len(mentees)


def test_each_mentor_brings_its_best_mentees() -> None:
    index = index_for(4, same_team=False, reporting_line=False, exclude_lists=False)
    mentees, mentors = index.pop.mentees(), index.mentors
    graph = best_candidates(index, mentees, 3, per_mentor=6)
    scores = total_of(index.scorer.components(mentees, mentors))
    scores[~index.checker.allowed(mentees, mentors)] = -np.inf
    checked = 0
    for j in range(len(mentors)):
        column = np.sort(scores[:, j])[::-1]
        sixth = column[min(5, len(column) - 1)]
        must = set(np.flatnonzero(scores[:, j] > sixth + 1e-5).tolist())  # ties aside
        has = set(graph.row[graph.mentor == j].tolist())
        assert must <= has
        checked += len(must)
    assert checked > 3 * len(mentors)  # most mentors' best five were really checked


@pytest.mark.parametrize("seed", range(4))
def test_the_sparse_cohort_reaches_the_dense_optimum(seed: int) -> None:
    index = index_for(seed)
    mentees = index.pop.mentees()
    capacity = index.pop.remaining[index.mentors]
    dense = plan_cohort(index, mentees, capacity, set(), 5, sparse=False)
    sparse = plan_cohort(index, mentees, capacity, set(), 5, sparse=True)
    assert sparse.total == pytest.approx(dense.total, abs=1e-4)
    assert sum(map(bool, sparse.assigned)) == sum(map(bool, dense.assigned))
    for a, b in zip(sparse.ranked, dense.ranked, strict=True):  # the same suggestions
        assert [mentor for mentor, _ in a] == [mentor for mentor, _ in b]
