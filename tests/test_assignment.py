"""The cohort assignment is optimal: checked against brute force on small cases."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from retrieval import assign_greedily, assign_with_capacity
from retrieval.assignment import AssignmentTooLarge, total_score


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
