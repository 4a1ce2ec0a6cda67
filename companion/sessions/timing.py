"""Minutes for agenda items, computed by code so they always sum to the session length."""

from __future__ import annotations

import math
from collections.abc import Sequence

MIN_ITEM_MINUTES = 3


def allocate_minutes(
    weights: Sequence[float], total: int, minimum: int = MIN_ITEM_MINUTES
) -> list[int]:
    """Whole minutes in proportion to `weights`, each at least `minimum`, summing to `total`
    exactly (largest-remainder rounding; ties go to the earlier item)."""
    if not weights:
        raise ValueError("no items to time")
    if any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    if total < minimum * len(weights):
        raise ValueError(
            f"{total} minutes is too short for {len(weights)} items of at least {minimum} minutes"
        )
    spare = total - minimum * len(weights)
    shares = [spare * w / sum(weights) for w in weights]
    minutes = [minimum + math.floor(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
    for i in order[: total - sum(minutes)]:
        minutes[i] += 1
    return minutes
