"""Skill supply and demand: how many mentors cover each wanted skill, and the wanted skills
no mentor covers, near-duplicates grouped. A mentor covers a wanted phrase when one of their
phrases reaches the matching floor: the scorer's own test."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.population import Population


@dataclass(frozen=True)
class GapGroup:
    """Wanted phrases that mean about the same thing, none covered by any mentor."""

    label: str  # the most wanted phrase of the group
    phrases: list[str]
    mentees: int  # distinct mentees wanting any phrase of the group
    closest_offered: str | None  # the nearest phrase any mentor offers
    closest_similarity: float


@dataclass(frozen=True)
class SkillSupply:
    skill: str  # a wanted phrase
    mentees: int  # mentees wanting it
    mentors: int  # mentors (with places) offering a phrase within the floor of it
    free_places: int  # places still free among those mentors


def skill_supply(population: Population, floor: float) -> list[SkillSupply]:
    """Every wanted phrase with its demand and its semantic supply, most wanted first."""
    pop = population
    wanters = _wanters(pop)
    if not wanters:
        return []
    wanted = np.array(sorted(wanters), dtype=np.int64)
    mentors = pop.mentors()
    covers = np.zeros((len(wanted), len(mentors)), dtype=bool)
    for j, mentor in enumerate(mentors.tolist()):
        offered = pop.offered.of(mentor)
        if len(offered):
            best = (pop.phrase_vectors[wanted] @ pop.phrase_vectors[offered].T).max(axis=1)
            covers[:, j] = best >= floor
    free = pop.remaining[mentors]
    rows = [
        SkillSupply(
            skill=pop.phrase_texts[int(p)],
            mentees=len(wanters[int(p)]),
            mentors=int(covers[i].sum()),
            free_places=int(free[covers[i]].sum()),
        )
        for i, p in enumerate(wanted.tolist())
    ]
    return sorted(rows, key=lambda r: (-r.mentees, r.skill))


def _wanters(pop: Population) -> dict[int, set[int]]:
    """Each wanted phrase -> the mentees wanting it."""
    wanters: dict[int, set[int]] = {}
    for mentee in pop.mentees().tolist():
        for phrase in pop.wanted.of(mentee).tolist():
            wanters.setdefault(phrase, set()).add(mentee)
    return wanters


def uncovered_skills(
    population: Population, floor: float, group_similarity: float
) -> list[GapGroup]:
    """Groups of wanted phrases whose best match among mentors' phrases is under `floor`.

    Phrases join a group when their cosine to the group's label reaches `group_similarity`;
    labels are taken in order of demand, so the most wanted phrasing names each group.
    """
    pop = population
    mentors = pop.mentors()
    offered = (
        np.unique(np.concatenate([pop.offered.of(m) for m in mentors]))
        if len(mentors)
        else np.zeros(0, dtype=np.int64)
    )
    wanters = _wanters(pop)
    if not wanters:
        return []
    wanted = np.array(sorted(wanters), dtype=np.int64)
    if len(offered):
        sims = pop.phrase_vectors[wanted] @ pop.phrase_vectors[offered].T
        best_col = sims.argmax(axis=1)
        best = sims[np.arange(len(wanted)), best_col]
    else:
        best_col, best = np.zeros(len(wanted), dtype=np.int64), np.zeros(len(wanted))
    gaps = [i for i in range(len(wanted)) if best[i] < floor]
    gaps.sort(key=lambda i: (-len(wanters[int(wanted[i])]), pop.phrase_texts[int(wanted[i])]))
    groups = _group_by_leader(pop.phrase_vectors[wanted], gaps, group_similarity)
    result = []
    for group in groups:
        mentees = set().union(*(wanters[int(wanted[i])] for i in group))
        top = max(group, key=lambda i: best[i])
        result.append(
            GapGroup(
                label=pop.phrase_texts[int(wanted[group[0]])],
                phrases=[pop.phrase_texts[int(wanted[i])] for i in group],
                mentees=len(mentees),
                closest_offered=pop.phrase_texts[int(offered[best_col[top]])]
                if len(offered)
                else None,
                closest_similarity=float(best[top]),
            )
        )
    result.sort(key=lambda g: (-g.mentees, g.label))
    return result


def _group_by_leader(vectors: np.ndarray, order: list[int], similarity: float) -> list[list[int]]:
    """Each item joins the first group whose leader (first item) is similar enough.

    Comparing with the leader only, not any member, keeps groups from chaining apart."""
    groups: list[list[int]] = []
    for i in order:
        home = next((g for g in groups if float(vectors[g[0]] @ vectors[i]) >= similarity), None)
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return groups
