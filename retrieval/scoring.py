"""The skill-gap score: how well a mentor covers what a mentee wants to learn, and why.

score = skills + profile + role + seniority + timezone, each component already weighted:

- skills:    weight x coverage, where coverage is the mean over the mentee's wanted
             phrases of the best cosine to any phrase the mentor offers, counting 0 when
             that best is under the similarity floor (the skill is uncovered);
- profile:   weight x cosine(mentee goals, mentor title and bio);
- role:      weight x cosine(mentee goals, mentor job title alone): goals name the role
             a mentee grows toward, and someone holding it has the skills;
- seniority: weight x preference for the seniority gap (one or two levels up is ideal);
- timezone:  weight x shared working hours (09:00-17:00 each side), full at 3 hours or
             more: a pair needs a weekly slot, not the whole day in common.

The cosines are not floored: a bio or title unlike the mentee's goals (a cosine below 0,
about 1 pair in 1,000 for bios and 1 in 70 for titles on the demo) lowers the score a
little. That keeps everything but skills linear in the vectors, which lets the whole
cohort be searched exactly in one batch (retrieval.candidates).

The default weights were chosen by cross-validation on both matching benchmarks
(evals/matching.py: O*NET wording and people's wording) over tuning seeds 101-104, and
are reported on seeds 7-9 (evals/tune_matching.py). Seniority and timezone are kept at
0.05 each although the benchmarks would drop them: they stand for a reachable mentor and
a weekly slot, which the benchmarks' relevance does not see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from retrieval.population import Population

COMPONENTS = ("skills", "profile", "role", "seniority", "timezone")
# Preference by seniority gap (mentor minus mentee), -4..4. Negative gaps only matter
# when reverse mentoring is allowed.
SENIORITY_PREFERENCE = np.array([0.1, 0.15, 0.2, 0.3, 0.4, 1.0, 0.9, 0.6, 0.4], dtype=np.float32)
WORKDAY_HOURS = 8.0
ENOUGH_SHARED_HOURS = 3.0
_CHUNK_CELLS = 4_000_000  # bound on the scratch arrays of one block of pairs


def total_of(parts: dict[str, np.ndarray]) -> np.ndarray:
    """The score: the sum of the weighted components."""
    return np.sum(np.stack([parts[name] for name in COMPONENTS]), axis=0)


class ScoreWeights(BaseModel):
    """How much each component counts. They need not sum to 1, but by default they do."""

    model_config = ConfigDict(extra="forbid")

    skills: float = Field(0.30, ge=0, description="Weight of skill-gap coverage.")
    profile: float = Field(0.40, ge=0, description="Weight of goals-vs-bio similarity.")
    role: float = Field(0.20, ge=0, description="Weight of goals-vs-mentor's-job-title similarity.")
    seniority: float = Field(0.05, ge=0, description="Weight of the seniority-gap preference.")
    timezone: float = Field(0.05, ge=0, description="Weight of working-hours overlap.")


@dataclass(frozen=True)
class SkillReason:
    wanted: str
    offered: str | None  # the mentor's closest phrase
    similarity: float
    covered: bool


def _padded(
    lists_ptr: np.ndarray, lists_ids: np.ndarray, rows: np.ndarray, fill: int
) -> np.ndarray:
    """The phrase lists of `rows` as a dense matrix, short lists padded with `fill`."""
    starts = lists_ptr[rows]
    counts = lists_ptr[rows + 1] - starts
    width = max(1, int(counts.max(initial=0)))
    offsets = np.arange(width)
    present = offsets[None, :] < counts[:, None]
    out = np.full((len(rows), width), fill, dtype=np.int64)
    out[present] = lists_ids[(starts[:, None] + offsets[None, :])[present]]
    return out


class SkillGapScorer:
    """Scores blocks of (mentee, mentor) pairs exactly, and explains single pairs."""

    def __init__(self, population: Population, weights: ScoreWeights, floor: float) -> None:
        self.pop = population
        self.weights = weights
        self.floor = floor
        self.vectors = population.phrase_vectors
        self.zero_row = len(population.phrase_texts)  # padding points at an all-zero vector
        self.padded_vectors = np.vstack(
            [self.vectors, np.zeros((1, self.vectors.shape[1]), dtype=np.float32)]
        )

    def coverage(self, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
        """Mean floored best-phrase similarity, len(mentees) x len(mentors)."""
        pop = self.pop
        offered = _padded(pop.offered.ptr, pop.offered.ids, mentors, self.zero_row)
        if offered.size > 4 * len(self.padded_vectors):  # cheaper to compare with every phrase
            offered_at, column_vectors = offered, self.padded_vectors
        else:
            columns, inverse = np.unique(offered, return_inverse=True)
            offered_at, column_vectors = (
                inverse.reshape(offered.shape),
                self.padded_vectors[columns],
            )
        wanted = _padded(pop.wanted.ptr, pop.wanted.ids, mentees, self.zero_row)
        counts = np.diff(pop.wanted.ptr)[mentees]
        out = np.zeros((len(mentees), len(mentors)), dtype=np.float32)
        per_mentee = wanted.shape[1] * offered.size
        step = max(1, _CHUNK_CELLS // max(1, per_mentee))
        for start in range(0, len(mentees), step):
            block = wanted[start : start + step]
            sims = self.padded_vectors[block.ravel()] @ column_vectors.T  # (E*k) x C
            sims[sims < self.floor] = 0.0
            best = sims[:, offered_at].max(axis=2)  # (E*k) x M
            total = best.reshape(len(block), wanted.shape[1], len(mentors)).sum(axis=1)
            out[start : start + step] = total / np.maximum(counts[start : start + step, None], 1)
        return out

    def components(self, mentees: np.ndarray, mentors: np.ndarray) -> dict[str, np.ndarray]:
        """Each weighted component for every pair, len(mentees) x len(mentors)."""
        pop, w = self.pop, self.weights
        goals = pop.goals_vectors[mentees]
        profile = goals @ pop.offer_vectors[mentors].T
        role = goals @ pop.title_vectors[mentors].T
        return {
            "skills": w.skills * self.coverage(np.asarray(mentees), np.asarray(mentors)),
            "profile": w.profile * profile.astype(np.float32),
            "role": w.role * role.astype(np.float32),
            **self.fit(mentees, mentors),
        }

    def fit(self, mentees: np.ndarray, mentors: np.ndarray) -> dict[str, np.ndarray]:
        """The seniority and timezone components: cheap, no vectors."""
        return self.fit_pairs(np.asarray(mentees)[:, None], np.asarray(mentors)[None, :])

    def fit_pairs(self, e: np.ndarray, m: np.ndarray) -> dict[str, np.ndarray]:
        """Seniority and timezone for mentee rows e and mentor rows m, broadcast together."""
        pop, w = self.pop, self.weights
        gap = np.clip(pop.seniority[m] - pop.seniority[e], -4, 4) + 4
        hours = np.abs(pop.utc_offset[m] - pop.utc_offset[e]) % 24
        hours = np.minimum(hours, 24 - hours)
        overlap = np.clip(WORKDAY_HOURS - hours, 0, ENOUGH_SHARED_HOURS) / ENOUGH_SHARED_HOURS
        return {
            "seniority": w.seniority * SENIORITY_PREFERENCE[gap],
            "timezone": w.timezone * overlap.astype(np.float32),
        }

    def max_without_skills(self, profile_similarity: float, role_similarity: float = 1.0) -> float:
        """The best score a mentor covering no wanted skill could reach at this profile
        cosine (and at most this role cosine)."""
        w = self.weights
        return (
            w.profile * max(profile_similarity, 0.0)
            + w.role * max(role_similarity, 0.0)
            + w.seniority * 1.0
            + w.timezone * 1.0
        )

    def reasons(self, mentee: int, mentor: int) -> list[SkillReason]:
        """For each wanted skill: the mentor's closest phrase, its similarity, covered or not."""
        pop = self.pop
        wanted, offered = pop.wanted.of(mentee), pop.offered.of(mentor)
        reasons = []
        for phrase in wanted.tolist():
            if len(offered) == 0:
                reasons.append(SkillReason(pop.phrase_texts[phrase], None, 0.0, False))
                continue
            sims = self.vectors[offered] @ self.vectors[phrase]
            best = int(np.argmax(sims))
            similarity = float(sims[best])
            reasons.append(
                SkillReason(
                    wanted=pop.phrase_texts[phrase],
                    offered=pop.phrase_texts[int(offered[best])],
                    similarity=similarity,
                    covered=similarity >= self.floor,
                )
            )
        return reasons
