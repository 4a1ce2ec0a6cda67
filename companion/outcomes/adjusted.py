"""Participants against non-participants, adjusted for who they are: the difference in a
metric within each stratum (seniority x department), averaged with the participants'
weights (the effect on those who took part). Strata without anyone from one of the two
groups cannot be compared and are left out (and counted).

The interval is a bootstrap (scipy) that resamples each group on its own; the p-value
comes from permuting participation within strata, so that it asks "no difference among
comparable people", not "no difference at all"."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

RESAMPLES = 2000
PERMUTATIONS = 2000


@dataclass
class Groups:
    """Values and stratum codes of participants (p) and non-participants (n)."""

    p_values: np.ndarray
    p_strata: np.ndarray
    n_values: np.ndarray
    n_strata: np.ndarray

    @property
    def strata(self) -> int:
        return int(max(self.p_strata.max(initial=-1), self.n_strata.max(initial=-1))) + 1

    def comparable(self) -> np.ndarray:
        """Per stratum: both groups present."""
        k = self.strata
        return (np.bincount(self.p_strata, minlength=k) > 0) & (
            np.bincount(self.n_strata, minlength=k) > 0
        )


def _weighted(groups: Groups, p_index: np.ndarray, n_index: np.ndarray) -> np.ndarray:
    """The adjusted difference for each row of indices (rows: resamples; 1-D: one)."""
    p_index, n_index = np.atleast_2d(p_index), np.atleast_2d(n_index)
    k, rows = groups.strata, p_index.shape[0]
    ok = groups.comparable()

    def sums(values: np.ndarray, strata: np.ndarray, index: np.ndarray) -> tuple:
        cell = (np.arange(rows)[:, None] * k + strata[index]).ravel()
        total = np.bincount(cell, values[index].ravel(), rows * k).reshape(rows, k)
        count = np.bincount(cell, minlength=rows * k).reshape(rows, k)
        return total, count

    p_total, p_count = sums(groups.p_values, groups.p_strata, p_index)
    n_total, n_count = sums(groups.n_values, groups.n_strata, n_index)
    usable = ok[None, :] & (p_count > 0) & (n_count > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(usable, p_total / p_count - n_total / n_count, 0.0)
    weight = np.where(usable, p_count, 0)
    return (gap * weight).sum(axis=1) / np.maximum(weight.sum(axis=1), 1)


def adjusted_difference(groups: Groups) -> float:
    return float(
        _weighted(groups, np.arange(len(groups.p_values)), np.arange(len(groups.n_values)))[0]
    )


def adjusted_interval(
    groups: Groups, confidence: float = 0.95, seed: int = 0, resamples: int = RESAMPLES
) -> tuple[float, float] | None:
    if len(groups.p_values) < 2 or len(groups.n_values) < 2:
        return None

    def statistic(p_index: np.ndarray, n_index: np.ndarray, axis: int = -1) -> np.ndarray:
        shape = p_index.shape[:-1]
        found = _weighted(
            groups,
            p_index.reshape(-1, p_index.shape[-1]).astype(np.int64),
            n_index.reshape(-1, n_index.shape[-1]).astype(np.int64),
        )
        return found.reshape(shape)

    found = stats.bootstrap(
        (np.arange(len(groups.p_values)), np.arange(len(groups.n_values))),
        statistic,
        n_resamples=resamples,
        confidence_level=confidence,
        method="percentile",
        vectorized=True,
        random_state=np.random.default_rng(seed),
    ).confidence_interval
    return float(found.low), float(found.high)


def stratified_permutation_p(
    groups: Groups, seed: int = 0, permutations: int = PERMUTATIONS
) -> float | None:
    """Two-sided: how often participation shuffled within strata gives a difference at
    least as far from zero as the one observed ((hits + 1) / (permutations + 1)). All
    shuffles at once: random keys sorted within strata keep each stratum's count."""
    if len(groups.p_values) < 2 or len(groups.n_values) < 2:
        return None
    rng = np.random.default_rng(seed)
    values = np.concatenate([groups.p_values, groups.n_values]).astype(float)
    strata = np.concatenate([groups.p_strata, groups.n_strata])
    is_p = np.arange(len(values)) < len(groups.p_values)
    labels = is_p[np.argsort(strata, kind="stable")]  # by stratum, as the keys sort
    keys = strata[None, :] + rng.random((permutations, len(values)))
    shuffled = np.zeros((permutations, len(values)), dtype=bool)
    np.put_along_axis(shuffled, np.argsort(keys, axis=1), labels[None, :], axis=1)
    onehot = np.eye(groups.strata)[strata]  # people x strata
    p_count = shuffled @ onehot
    p_total = shuffled @ (onehot * values[:, None])
    n_count = onehot.sum(axis=0) - p_count
    n_total = (onehot * values[:, None]).sum(axis=0) - p_total
    usable = groups.comparable()[None, :] & (p_count > 0) & (n_count > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(usable, p_total / p_count - n_total / n_count, 0.0)
    weight = np.where(usable, p_count, 0)
    trials = (gap * weight).sum(axis=1) / np.maximum(weight.sum(axis=1), 1)
    hits = int(np.sum(np.abs(trials) >= abs(adjusted_difference(groups)) - 1e-12))
    return (hits + 1) / (permutations + 1)
