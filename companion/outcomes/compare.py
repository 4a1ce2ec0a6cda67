"""The comparison per metric: participants against non-participants, raw and adjusted
(companion.outcomes.adjusted), with a bootstrap interval, a permutation p-value, the group
sizes and a plain-language caution where the groups are small or unlike each other."""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any

import numpy as np

from companion.outcomes.adjusted import (
    Groups,
    adjusted_difference,
    adjusted_interval,
    stratified_permutation_p,
)
from companion.outcomes.control import IMBALANCE, METHOD, SMALL_GROUP, OutcomeRow, OutcomeStore
from companion.outcomes.errors import UnknownMetric

if TYPE_CHECKING:
    from companion.workspace import Workspace


def participants(workspace: Workspace) -> set[str]:
    """Mentees who have been in an accepted pair."""
    return {m.mentee_id for m in workspace.ledger.matches().values() if m.accepted_on}


def mentors_only(workspace: Workspace) -> set[str]:
    """People who took part only as mentors: in neither group of the comparison (they did
    take part, but the programme is for mentees)."""
    pairs = [m for m in workspace.ledger.matches().values() if m.accepted_on]
    return {m.mentor_id for m in pairs} - {m.mentee_id for m in pairs}


def _share_gap(a: list[Any], b: list[Any]) -> float:
    """The largest difference in the share of any value between two lists."""
    ca, cb = Counter(a), Counter(b)
    return max((abs(ca[k] / len(a) - cb[k] / len(b)) for k in set(ca) | set(cb)), default=0.0)


def _cautions(p: list[OutcomeRow], n: list[OutcomeRow], dropped: int, adjusted: bool) -> list[str]:
    found = []
    if min(len(p), len(n)) < SMALL_GROUP:
        found.append(
            f"Small groups ({len(p)} participants, {len(n)} non-participants): the interval is "
            "wide and may move a lot with a few more people."
        )
    for field in ("seniority", "department"):
        gap = _share_gap([getattr(r, field) for r in p], [getattr(r, field) for r in n])
        if gap > IMBALANCE:
            found.append(
                f"The groups differ in {field} (shares apart by up to {100 * gap:.0f} points)"
                + (": the adjusted figure matters more than the raw one." if adjusted else ".")
            )
    if dropped:
        found.append(
            f"{dropped} participants have no non-participant of the same seniority and "
            "department, so the adjusted figure leaves them out."
            if adjusted
            else "No participant has a non-participant of the same seniority and department: "
            "nothing to adjust with, so only the raw difference is given."
        )
    found.append("This is an observational comparison: people chose to take part, and what "
                 "made them choose may also move the metric.")  # fmt: skip
    return found


def compare_metric(
    metric: str,
    rows: list[OutcomeRow],
    taking_part: set[str],
    seed: int = 0,
    left_out: AbstractSet[str] = frozenset(),
) -> dict:
    p = [r for r in rows if r.person_id in taking_part]
    n = [r for r in rows if r.person_id not in taking_part and r.person_id not in left_out]
    values = np.array([r.value for r in rows])
    binary = bool(np.isin(values, (0.0, 1.0)).all())
    keys = [(r.seniority or 0, r.department or "") for r in p + n]
    codes = {key: i for i, key in enumerate(sorted(set(keys)))}
    strata = np.array([codes[key] for key in keys], dtype=np.int64)
    groups = Groups(
        np.array([r.value for r in p], float), strata[: len(p)],
        np.array([r.value for r in n], float), strata[len(p):],
    )  # fmt: skip
    result: dict[str, Any] = {
        "metric": metric, "kind": "binary" if binary else "numeric",
        "participants": len(p), "non_participants": len(n), "method": METHOD,
    }  # fmt: skip
    if not p or not n:
        result["caution"] = ["Needs outcomes of both participants and non-participants."]
        return result
    comparable = groups.comparable()
    dropped = int((~comparable[groups.p_strata]).sum())
    found = adjusted_interval(groups, seed=seed)
    result |= {
        "participants_mean": round(float(groups.p_values.mean()), 4),
        "non_participants_mean": round(float(groups.n_values.mean()), 4),
        "raw_difference": round(float(groups.p_values.mean() - groups.n_values.mean()), 4),
        "adjusted_difference": round(adjusted_difference(groups), 4) if comparable.any() else None,
        "interval": None
        if found is None or not comparable.any()
        else [round(found[0], 4), round(found[1], 4)],
        "p_value": stratified_permutation_p(groups, seed=seed) if comparable.any() else None,
        "participants_compared": len(p) - dropped,
        "caution": _cautions(p, n, dropped, bool(comparable.any())),
    }
    return result


def compare(workspace: Workspace, metric: str | None = None, seed: int = 0) -> list[dict]:
    rows = OutcomeStore(workspace.settings.store_dir).rows()
    metrics = sorted({r.metric for r in rows})
    if metric is not None:
        if metric not in metrics:
            have = ", ".join(metrics) or "none imported yet: mentorkit outcomes import FILE"
            raise UnknownMetric(f"--metric: no outcomes for {metric!r} (metrics: {have})")
        metrics = [metric]
    taking_part, left_out = participants(workspace), mentors_only(workspace)
    return [
        compare_metric(m, [r for r in rows if r.metric == m], taking_part, seed, left_out)
        for m in metrics
    ]


def _p(value: float | None) -> str:
    if value is None:
        return "no p-value"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def in_words(c: dict) -> str:
    """One sentence a coordinator can repeat, with the group sizes."""
    scale, unit = (100, " points") if c["kind"] == "binary" else (1, "")
    sizes = f"{c['participants']} participants, {c['non_participants']} non-participants"
    if c.get("adjusted_difference") is None:
        raw = c.get("raw_difference")
        said = f"; raw difference {raw * scale:+.1f}{unit}, not adjusted" if raw is not None else ""
        return f"{c['metric']} ({sizes}): no adjusted comparison possible{said}."
    d = c["adjusted_difference"] * scale
    low, high = (v * scale for v in c["interval"]) if c["interval"] else (None, None)
    direction = "higher" if d > 0 else "lower"
    span = (
        f" (95% interval {low:+.1f} to {high:+.1f}{unit}; {_p(c['p_value'])})"
        if low is not None
        else ""
    )
    return (
        f"{c['metric']} ({sizes}): participants {abs(d):.1f}{unit} {direction} than "
        f"comparable non-participants{span}; raw difference "
        f"{c['raw_difference'] * scale:+.1f}{unit}."
    )
