"""The cohort assignment is optimal: checked against brute force on small cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from retrieval import assign_greedily, assign_with_capacity
from retrieval.assignment import AssignmentTooLarge, assign_sparse, total_score


def brute_force(scores: np.ndarray, allowed: np.ndarray, capacity: np.ndarray) -> float:
    """The best total over every way of giving each mentee one mentor or none."""
    mentees, mentors = scores.shape
    best = 0.0
    for choice in itertools.product(range(-1, mentors), repeat=mentees):
        used = np.bincount([c for c in choice if c >= 0], minlength=mentors)
        if (used > capacity).any():
            continue
        if any(c >= 0 and not allowed[i, c] for i, c in enumerate(choice)):
            continue
        best = max(best, sum(scores[i, c] for i, c in enumerate(choice) if c >= 0))
    return best


def check(assignment: np.ndarray, allowed: np.ndarray, capacity: np.ndarray) -> None:
    for mentee, mentor in enumerate(assignment.tolist()):
        assert mentor == -1 or allowed[mentee, mentor]
    used = np.bincount(assignment[assignment >= 0], minlength=len(capacity))
    assert (used <= capacity).all()


@pytest.mark.parametrize("seed", range(40))
def test_assignment_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mentees, mentors = rng.integers(1, 6), rng.integers(1, 4)
    scores = rng.random((mentees, mentors)).round(3)
    allowed = rng.random((mentees, mentors)) < 0.7
    capacity = rng.integers(0, 3, size=mentors)
    assignment = assign_with_capacity(scores, allowed, capacity)
    check(assignment, allowed, capacity)
    assert total_score(scores, assignment) == pytest.approx(brute_force(scores, allowed, capacity))
    greedy = assign_greedily(scores, allowed, capacity)
    check(greedy, allowed, capacity)
    assert total_score(scores, greedy) <= total_score(scores, assignment) + 1e-9


def test_a_forbidden_pair_is_never_used_even_to_fill_a_place() -> None:
    # Forcing every place to be used would pick A-Y (0.1) + B-X (0.1); best is A-X alone.
    scores = np.array([[0.9, 0.1], [0.1, 0.8]])
    allowed = np.array([[True, True], [True, False]])
    assignment = assign_with_capacity(scores, allowed, np.array([1, 1]))
    assert assignment.tolist() in ([0, -1], [1, 0])
    assert total_score(scores, assignment) == pytest.approx(0.9)


def test_greedy_can_be_worse_than_optimal() -> None:
    scores = np.array([[0.9, 0.8], [0.85, 0.1]])
    allowed = np.ones_like(scores, dtype=bool)
    capacity = np.array([1, 1])
    assert total_score(scores, assign_with_capacity(scores, allowed, capacity)) == pytest.approx(
        1.65
    )
    assert total_score(scores, assign_greedily(scores, allowed, capacity)) == pytest.approx(1.0)


def test_an_oversized_cohort_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from retrieval import assignment

    monkeypatch.setattr(assignment, "MAX_CELLS", 10)
    with pytest.raises(AssignmentTooLarge, match="4 mentees x 3 mentor places"):
        assign_with_capacity(np.ones((4, 3)), np.ones((4, 3), bool), np.array([1, 1, 1]))


@pytest.mark.parametrize("seed", range(30))
def test_sparse_assignment_equals_the_dense_optimum_on_the_same_pairs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    mentees, mentors = int(rng.integers(1, 40)), int(rng.integers(1, 15))
    scores = rng.random((mentees, mentors)).round(2)  # ties on purpose
    allowed = rng.random((mentees, mentors)) < 0.5
    capacity = rng.integers(0, 4, size=mentors)
    rows, cols = np.nonzero(allowed)
    sparse = assign_sparse(rows, cols, scores[rows, cols], capacity, mentees)
    check(sparse, allowed, capacity)
    dense = assign_with_capacity(scores, allowed, capacity)
    assert total_score(scores, sparse) == pytest.approx(total_score(scores, dense))


def test_sparse_assignment_on_each_mentees_best_k_keeps_the_optimum() -> None:
    """Everyone wants the same few mentors (a low-rank taste) and places are scarce: each
    mentee's best 32 allowed mentors still hold the dense optimum (8 would not)."""
    rng = np.random.default_rng(5)
    mentees, mentors = 300, 120
    taste = rng.normal(size=(mentees, 8)) @ rng.normal(size=(8, mentors))
    scores = 1 / (1 + np.exp(-taste / 4))
    allowed = rng.random((mentees, mentors)) < 0.8
    capacity = rng.integers(1, 4, size=mentors)
    ranked = np.argsort(-np.where(allowed, scores, -1), axis=1)[:, :32]
    rows = np.repeat(np.arange(mentees), 32)
    cols = ranked.ravel()
    keep = allowed[rows, cols]
    sparse = assign_sparse(rows[keep], cols[keep], scores[rows, cols][keep], capacity, mentees)
    check(sparse, allowed, capacity)
    dense = assign_with_capacity(scores, allowed, capacity)
    assert total_score(scores, sparse) == pytest.approx(total_score(scores, dense), rel=1e-9)


def test_sparse_assignment_of_nothing_is_empty() -> None:
    empty = np.zeros(0, dtype=np.int64)
    assert assign_sparse(empty, empty, np.zeros(0), np.array([2]), 3).tolist() == [-1, -1, -1]
