"""The statistics behind fairness gaps and the control-group comparison, on scipy.stats:
bootstrap intervals of a difference between two groups, and permutation p-values.

Every function is deterministic in its seed, and returns None where the data cannot carry
an answer (fewer than two values on a side, or no variation at all)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

RESAMPLES = 2000
Statistic = Callable[..., np.ndarray]
Values = Sequence[float] | np.ndarray


def _difference(of: Callable[..., np.ndarray]) -> Statistic:
    def statistic(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
        return of(a, axis=axis) - of(b, axis=axis)

    return statistic


MEAN_DIFFERENCE = _difference(np.mean)
MEDIAN_DIFFERENCE = _difference(np.median)


def interval(
    a: Values,
    b: Values,
    statistic: Statistic = MEAN_DIFFERENCE,
    confidence: float = 0.95,
    seed: int = 0,
    resamples: int = RESAMPLES,
) -> tuple[float, float] | None:
    """A bootstrap interval (BCa; percentile where BCa cannot be computed) of
    statistic(a, b), each group resampled on its own."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) < 2 or len(y) < 2:
        return None
    if np.ptp(np.concatenate([x, y])) == 0:
        return (0.0, 0.0)
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a degenerate BCa warns, then we fall back
            found = stats.bootstrap(
                (x, y),
                statistic,
                n_resamples=resamples,
                confidence_level=confidence,
                method=method,
                vectorized=True,
                random_state=np.random.default_rng(seed),
            ).confidence_interval
        if np.isfinite(found.low) and np.isfinite(found.high):
            return float(found.low), float(found.high)
    return None


def rate_interval(a: Values, b: Values, confidence: float = 0.95) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval of rate(a) - rate(b) for 0/1 values, from each
    rate's Wilson interval (scipy): unlike a bootstrap it stays honest when a small group
    is all 0s or all 1s."""
    if len(a) < 1 or len(b) < 1:
        return None
    ones = (int(round(sum(a))), int(round(sum(b))))
    p1, p2 = ones[0] / len(a), ones[1] / len(b)
    (l1, u1), (l2, u2) = (
        stats.binomtest(k, n).proportion_ci(confidence, method="wilson")
        for k, n in zip(ones, (len(a), len(b)), strict=True)
    )
    d = p1 - p2
    return (
        float(d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)),
        float(d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)),
    )


def permutation_p(
    a: Values,
    b: Values,
    statistic: Statistic = MEAN_DIFFERENCE,
    seed: int = 0,
    resamples: int = 4999,
) -> float | None:
    """Two-sided permutation-test p-value for statistic(a, b) under "no difference"."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if len(x) < 2 or len(y) < 2:
        return None
    if np.ptp(np.concatenate([x, y])) == 0:
        return 1.0
    result = stats.permutation_test(
        (x, y),
        statistic,
        permutation_type="independent",
        n_resamples=resamples,
        alternative="two-sided",
        vectorized=True,
        random_state=np.random.default_rng(seed),
    )
    return float(result.pvalue)


def excludes_zero(found: tuple[float, float] | None) -> bool:
    return found is not None and (found[0] > 0 or found[1] < 0)
