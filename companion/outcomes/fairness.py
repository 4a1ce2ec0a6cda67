"""Is matching fair? Per group of mentees (by a profile field or a coordinator-held
attribute): how many want a mentor, the share matched, the mean match score, the median
days from sign-up to match and the early-closure rate, each with its gap to everyone else
and a 95% bootstrap interval, flagged when the interval excludes zero.

Small groups are never shown: a group of fewer than MIN_GROUP mentees is folded into
"other", and "other" itself, if still that small, is reported as "<5" without figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from companion.models import Profile, Viewer
from companion.outcomes.attributes import Attributes
from companion.outcomes.errors import UnknownGrouping
from companion.outcomes.metrics import first_match_days
from companion.outcomes.snapshot import Snapshot, ended_early, take_snapshot
from companion.outcomes.stats import (
    MEAN_DIFFERENCE,
    MEDIAN_DIFFERENCE,
    excludes_zero,
    interval,
    rate_interval,
)

if TYPE_CHECKING:
    from companion.workspace import Workspace

PROFILE_GROUPS = ("department", "location", "seniority", "track")
MIN_GROUP = 5
OTHER = "other (groups under 5)"
SMALL = f"<{MIN_GROUP}"
NOT_GIVEN = "(not given)"
HIDDEN = "hidden (protects a small group)"


@dataclass
class MenteeFacts:
    """One mentee's figures (None where they do not apply)."""

    matched: float
    score: float | None
    wait_days: float | None
    early: list[float]  # one 0/1 per accepted pair


RATES = ("matched_rate", "early_closure_rate")  # 0/1 per person or pair
MEASURES: dict[str, tuple[Callable[[MenteeFacts], list[float]], Any]] = {
    "matched_rate": (lambda f: [f.matched], MEAN_DIFFERENCE),
    "mean_score": (lambda f: [] if f.score is None else [f.score], MEAN_DIFFERENCE),
    "median_days_to_match": (
        lambda f: [] if f.wait_days is None else [f.wait_days],
        MEDIAN_DIFFERENCE,
    ),  # fmt: skip
    "early_closure_rate": (lambda f: f.early, MEAN_DIFFERENCE),
}


def facts(s: Snapshot) -> dict[str, MenteeFacts]:
    first = first_match_days(s)
    found = {}
    for mentee in s.mentees():
        pairs = s.pairs_of(mentee.id)
        signed = s.signed_up.get(mentee.id)
        wait = (first[mentee.id] - signed).days if signed and mentee.id in first else None
        found[mentee.id] = MenteeFacts(
            matched=1.0 if pairs else 0.0,
            score=pairs[0].score if pairs and pairs[0].score is not None else None,
            wait_days=None if wait is None else float(max(wait, 0)),
            early=[1.0 if ended_early(p) else 0.0 for p in pairs],
        )
    return found


def grouping(workspace: Workspace, s: Snapshot, by: str, viewer: Viewer) -> dict[str, str]:
    """Mentee id -> their group under `by`."""
    if by in PROFILE_GROUPS:
        return {p.id: str(getattr(p, by) or "") or NOT_GIVEN for p in s.mentees()}
    attributes = Attributes(workspace.settings.store_dir)
    try:
        values = attributes.column(viewer, by)
    except KeyError as err:
        raise UnknownGrouping(
            f"--by: {err.args[0]}; or one of the profile's {', '.join(PROFILE_GROUPS)}"
        ) from None
    return {p.id: values.get(p.id) or NOT_GIVEN for p in s.mentees()}


def fold_small(groups: dict[str, str]) -> dict[str, str]:
    """Groups under MIN_GROUP mentees become one group, OTHER; while OTHER is itself under
    MIN_GROUP (but not empty), the next smallest group joins it. Otherwise its size, and so
    its figures, would follow by subtraction from the total and the groups shown."""
    sizes: dict[str, int] = defaultdict(int)
    for group in groups.values():
        sizes[group] += 1
    order = sorted(sizes, key=lambda g: (sizes[g], g))
    folded = {g for g in order if sizes[g] < MIN_GROUP}
    for group in order:
        pooled = sum(sizes[g] for g in folded)
        if pooled == 0 or pooled >= MIN_GROUP:
            break
        folded.add(group)
    return {pid: OTHER if g in folded else g for pid, g in groups.items()}


def _order(by: str, members: dict[str, list[str]]) -> list[str]:
    """Seniority by level; other groupings largest first; OTHER last."""

    def key(group: str) -> tuple:
        level = int(group) if by == "seniority" and group.isdigit() else 0
        return (group == OTHER, group == NOT_GIVEN, level, -len(members[group]), group)

    return sorted(members, key=key)


def _measure(members: list[MenteeFacts], rest: list[MenteeFacts], name: str, seed: int) -> dict:
    """The group's value and its gap to everyone else, each only when computed over at
    least MIN_GROUP people or pairs (fewer would give their figures away, and say little)."""
    pick, statistic = MEASURES[name]
    a = [v for f in members for v in pick(f)]
    b = [v for f in rest for v in pick(f)]
    value = gap = found = None
    if len(a) >= MIN_GROUP:
        value = float(np.median(a) if statistic is MEDIAN_DIFFERENCE else np.mean(a))
    if len(a) >= MIN_GROUP and len(b) >= MIN_GROUP:
        gap = float(statistic(np.array(a), np.array(b)))
        found = rate_interval(a, b) if name in RATES else interval(a, b, statistic, seed=seed)
    return {
        "value": None if value is None else round(value, 4),
        "n": len(a) if len(a) >= MIN_GROUP else SMALL,
        "gap": None if gap is None else round(gap, 4),
        "interval": None if found is None else [round(found[0], 4), round(found[1], 4)],
        "flagged": excludes_zero(found),
    }


def _protect(rows: list[dict[str, Any]], name: str, sizes: dict[str, int]) -> None:
    """Where a group's figure is hidden (under MIN_GROUP behind it), no gap of that measure
    is shown (each gap gives everyone else's figure), and more groups' figures are hidden
    until the hidden ones stand for MIN_GROUP or more together, in at least two groups: a
    total shown elsewhere minus the figures shown then never singles out a small group."""
    hidden = [r["group"] for r in rows if 0 < sizes[r["group"]] < MIN_GROUP]
    if not hidden:
        return
    for row in rows:
        row[name].update(gap=None, interval=None, flagged=False)
    spare = sorted((r["group"] for r in rows if r["group"] not in hidden and sizes[r["group"]]),
                   key=lambda g: (sizes[g], g))  # fmt: skip
    while spare and (len(hidden) < 2 or sum(sizes[g] for g in hidden) < MIN_GROUP):
        hidden.append(spare.pop(0))
    for row in rows:
        if row["group"] in hidden:
            row[name].update(value=None, n=SMALL if sizes[row["group"]] < MIN_GROUP else HIDDEN)


def audit(
    workspace: Workspace, by: str = "department", seed: int = 0, snapshot: Snapshot | None = None
) -> dict[str, Any]:
    """The fairness table: one row per group shown, largest first, "other" last."""
    viewer = Viewer(role=Profile.COORDINATOR)
    by = by.strip().lower() if by.strip().lower() in PROFILE_GROUPS else by.strip()
    s = snapshot or take_snapshot(workspace)
    every = facts(s)
    groups = fold_small(grouping(workspace, s, by, viewer))
    members: dict[str, list[str]] = defaultdict(list)
    for pid, group in groups.items():
        members[group].append(pid)
    rows: list[dict[str, Any]] = []
    counts: dict[str, dict[str, int]] = {}  # measure -> group -> people or pairs behind it
    for group in _order(by, members):
        ids = members[group]
        if len(ids) < MIN_GROUP:
            rows.append({"group": group, "wanting": SMALL, "suppressed": True})
            continue
        inside = [every[pid] for pid in ids]
        outside = [every[pid] for pid, g in groups.items() if g != group]
        row: dict[str, Any] = {"group": group, "wanting": len(ids), "suppressed": False}
        for name, (pick, _) in MEASURES.items():
            row[name] = _measure(inside, outside, name, seed)
            row[name]["flagged"] &= group != NOT_GIVEN  # missing data, not a group to judge
            counts.setdefault(name, {})[group] = sum(len(pick(f)) for f in inside)
        rows.append(row)
    for name, sizes in counts.items():
        _protect([r for r in rows if not r["suppressed"]], name, sizes)
    return {
        "by": by,
        "mentees": len(groups) if len(groups) >= MIN_GROUP else SMALL,
        "min_group": MIN_GROUP,
        "groups": rows,
        "flagged": [
            r["group"]
            for r in rows
            if not r["suppressed"] and any(r[m]["flagged"] for m in MEASURES)
        ],
    }
