"""Hard constraints on who may mentor whom. A pair that breaks one is never suggested.

Every rule can be switched off in settings. `RuleChecker.allowed` answers for whole
blocks of pairs at once (vectorised), `allowed_pairs` for a list of pairs, `eligible` for
the rules shared by every mentee of the same seniority, track and languages;
`RuleChecker.broken` names the rules one pair breaks.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from retrieval.population import Population

RULE_NAMES = {
    "self": "a person cannot mentor themselves",
    "reporting_line": "in the same reporting line",
    "same_team": "in the same team",
    "excluded": "on an exclude list",
    "language": "no shared language",
    "seniority": "mentor is junior to the mentee",
    "track": "not in the mentee's track",
    "capacity": "mentor has no free place",
    "not_mentor": "not a mentor",
}


class MatchRules(BaseModel):
    """Which hard constraints apply."""

    model_config = ConfigDict(extra="forbid")

    reporting_line: bool = Field(True, description="Never pair within a reporting line.")
    same_team: bool = Field(True, description="Never pair two people of the same team.")
    exclude_lists: bool = Field(True, description="Respect each person's exclude list.")
    shared_language: bool = Field(
        True, description="Require a shared language when both list languages."
    )
    reverse_mentoring: bool = Field(
        False, description="Allow a mentor junior to the mentee (otherwise seniority must be >=)."
    )
    same_track: bool = Field(True, description="A mentee in a track gets a mentor in that track.")
    capacity: bool = Field(True, description="A mentor takes no more mentees than their capacity.")


def _euler_tour(manager: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entry and exit times of a walk over the manager forest: b reports (at any depth) to a
    exactly when tin[a] < tin[b] <= tout[a]. Cycles are refused at import, so none here."""
    n = len(manager)
    children: dict[int, list[int]] = defaultdict(list)
    for person, boss in enumerate(manager.tolist()):
        children[boss].append(person)
    tin = np.zeros(n, dtype=np.int64)
    tout = np.zeros(n, dtype=np.int64)
    clock = 0
    stack = [(root, False) for root in reversed(children[-1])]
    while stack:
        node, done = stack.pop()
        if done:
            tout[node] = clock
            continue
        clock += 1
        tin[node] = clock
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children[node]))
    return tin, tout


class RuleChecker:
    """Evaluates the rules over a Population."""

    def __init__(self, population: Population, rules: MatchRules) -> None:
        self.pop = population
        self.rules = rules
        self.tin, self.tout = _euler_tour(population.manager)
        self.has_language: np.ndarray = np.asarray(population.languages.any(axis=1))
        self.excluded: dict[int, set[int]] = defaultdict(set)
        for a, b in population.exclusions:
            self.excluded[a].add(b)
            self.excluded[b].add(a)
        n = len(population)
        self.banned = np.array(  # the same pairs as one number each, for allowed_pairs
            sorted(a * n + b for a, others in self.excluded.items() for b in others),
            dtype=np.int64,
        )

    def allowed(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        """Boolean matrix (len(mentees) x len(mentors)): may mentor j mentor mentee i?"""
        p = self.pop
        e, m = np.asarray(mentees)[:, None], np.asarray(mentors)[None, :]
        ok = self._personal(e, m) & self._shared(e, m)
        if self.rules.shared_language:
            shared = (
                p.languages[mentees].astype(np.float32) @ p.languages[mentors].T.astype(np.float32)
            ) > 0
            ok &= shared | ~self.has_language[e] | ~self.has_language[m]
        if self.rules.exclude_lists and self.excluded:
            order = np.argsort(mentors, kind="stable")
            ranked = np.asarray(mentors)[order]
            for i, mentee in enumerate(np.asarray(mentees).tolist()):
                others = np.fromiter(self.excluded.get(mentee, ()), dtype=np.int64)
                at = np.searchsorted(ranked, others)
                found = at < len(ranked)
                found[found] &= ranked[at[found]] == others[found]
                ok[i, order[at[found]]] = False
        return ok

    def allowed_pairs(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        """allowed() for pairs: element i answers for mentees[i] with mentors[i]."""
        p = self.pop
        e, m = np.asarray(mentees), np.asarray(mentors)
        ok = self._personal(e, m) & self._shared(e, m)
        if self.rules.shared_language:
            shared = (p.languages[e] & p.languages[m]).any(axis=1)
            ok &= shared | ~self.has_language[e] | ~self.has_language[m]
        if self.rules.exclude_lists and self.excluded:
            ok &= ~np.isin(e * len(p) + m, self.banned)
        return ok

    def eligible(self, mentee: int, mentors: np.ndarray) -> np.ndarray:
        """The rules that see the mentee only through seniority, track and languages: the
        same answer for every mentee who shares those (the rest: see allowed)."""
        e, m = np.array([mentee]), np.asarray(mentors)
        ok = self._shared(e, m)
        if self.rules.shared_language and self.has_language[mentee]:
            p = self.pop
            ok &= (p.languages[m] & p.languages[mentee]).any(axis=1) | ~self.has_language[m]
        return ok

    def _shared(self, e: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Mentor state, seniority and track (e and m broadcast against each other)."""
        p, r = self.pop, self.rules
        ok = p.is_mentor[m] & (p.capacity[m] > 0) & np.ones(np.broadcast(e, m).shape, bool)
        if not r.reverse_mentoring:
            ok &= p.seniority[m] >= p.seniority[e]
        if r.same_track:
            ok &= (p.track[e] < 0) | (p.track[m] == p.track[e])
        if r.capacity:  # free places of these mentors only, not the whole population's
            ok &= (p.capacity[m] - p.load[m]) > 0
        return ok

    def _personal(self, e: np.ndarray, m: np.ndarray) -> np.ndarray:
        """Self, reporting line and team (e and m broadcast against each other)."""
        p, r = self.pop, self.rules
        ok = e != m
        if r.reporting_line:
            below = (self.tin[m] < self.tin[e]) & (self.tin[e] <= self.tout[m])
            above = (self.tin[e] < self.tin[m]) & (self.tin[m] <= self.tout[e])
            ok &= ~(below | above)
        if r.same_team:
            ok &= (p.team[e] != p.team[m]) | (p.team[e] < 0)
        return ok

    def broken(self, mentee: int, mentor: int, check_capacity: bool = True) -> list[str]:
        """Names of the rules (keys of RULE_NAMES) that pairing mentor with mentee breaks."""
        p, r = self.pop, self.rules
        broken = []
        if mentee == mentor:
            broken.append("self")
        if not p.is_mentor[mentor] or p.capacity[mentor] <= 0:
            broken.append("not_mentor")
        if r.reporting_line and (
            self.tin[mentor] < self.tin[mentee] <= self.tout[mentor]
            or self.tin[mentee] < self.tin[mentor] <= self.tout[mentee]
        ):
            broken.append("reporting_line")
        if r.same_team and p.team[mentee] >= 0 and p.team[mentee] == p.team[mentor]:
            broken.append("same_team")
        if r.exclude_lists and mentor in self.excluded.get(mentee, ()):
            broken.append("excluded")
        if (
            r.shared_language
            and self.has_language[mentee]
            and self.has_language[mentor]
            and not (p.languages[mentee] & p.languages[mentor]).any()
        ):
            broken.append("language")
        if not r.reverse_mentoring and p.seniority[mentor] < p.seniority[mentee]:
            broken.append("seniority")
        if r.same_track and p.track[mentee] >= 0 and p.track[mentor] != p.track[mentee]:
            broken.append("track")
        if check_capacity and r.capacity and p.remaining[mentor] <= 0:
            broken.append("capacity")
        return broken
