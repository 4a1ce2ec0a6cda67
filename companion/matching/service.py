"""Matching use cases: suggestions for one mentee, the whole cohort, skill gaps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cached_property

import numpy as np
from pydantic import BaseModel, Field
from tqdm import tqdm

from companion.lookup import did_you_mean
from companion.matching.cohort import SPARSE_CANDIDATES, SPARSE_PER_MENTOR, plan_cohort
from companion.matching.ledger import MatchError, Status
from companion.matching.population import build_population
from companion.models import Person, Profile
from companion.vectors import mentor_titles
from companion.workspace import Workspace
from retrieval import (
    COMPONENTS,
    RULE_NAMES,
    MentorIndex,
    RuleChecker,
    SkillGapScorer,
    uncovered_skills,
)


class CoveredSkill(BaseModel):
    wanted: str = Field(description="A skill the mentee wants.")
    offered: str = Field(description="The mentor's phrase that covers it best.")
    similarity: float = Field(description="Cosine between the two phrases.")


class Reasons(BaseModel):
    covered: list[CoveredSkill] = Field(description="Wanted skills this mentor covers.")
    uncovered: list[str] = Field(description="Wanted skills left uncovered.")
    summary: str = Field(description="The reasons in one sentence.")


class Suggestion(BaseModel):
    mentor_id: str
    mentor_name: str
    mentor_title: str
    score: float = Field(description="The sum of the components.")
    components: dict[str, float] = Field(
        description="skills, profile, role, seniority, timezone: weighted, they sum to score."
    )
    reasons: Reasons


class MenteeResult(BaseModel):
    mentee_id: str
    mentee_name: str = ""
    suggestions: list[Suggestion]
    assigned_mentor_id: str | None
    assigned_score: float | None = None
    assigned: Suggestion | None = Field(
        None, description="The assigned mentor in full, whether or not among the suggestions."
    )
    unmatched_reason: str | None = None


class CohortSummary(BaseModel):
    mentees: int
    assigned: int
    unmatched: int
    already_matched: int
    total_score: float
    greedy_total_score: float
    method: str = Field(
        "exact",
        description="'exact' over every allowed pair, or (sparse) "
        "'best 30 mentors per mentee and 100 mentees per mentor'.",
    )


class CohortResult(BaseModel):
    generated_at: dt.datetime
    summary: CohortSummary
    mentees: list[MenteeResult]


class UnknownPerson(MatchError):
    pass


def _rounded(components: dict[str, float]) -> tuple[float, dict[str, float]]:
    parts = {name: round(float(components[name]), 4) for name in COMPONENTS}
    return round(sum(parts.values()), 4), parts


def shown_parts(score: float, components: dict[str, float], digits: int = 2) -> tuple[str, str]:
    """("0.59", "skills 0.13, profile 0.25, ..."): parts rounded so they add up to the score
    as shown (largest remainders round up), since people add them up."""
    scale = 10**digits
    target = round(score * scale)
    floors = {k: int(np.floor(v * scale + 1e-9)) for k, v in components.items()}
    short = target - sum(floors.values())
    by_remainder = sorted(components, key=lambda k: -(components[k] * scale - floors[k]))
    for k in by_remainder[: max(short, 0)]:
        floors[k] += 1
    parts = ", ".join(f"{k} {floors[k] / scale:.{digits}f}" for k in components)
    return f"{target / scale:.{digits}f}", parts


def shown_score(score: float, components: dict[str, float], digits: int = 2) -> str:
    """ "0.59 (skills 0.13, profile 0.25, ...)", as shown in the chat."""
    total, parts = shown_parts(score, components, digits)
    return f"{total} ({parts})"


def _summary_sentence(covered: list[CoveredSkill], uncovered: list[str]) -> str:
    total = len(covered) + len(uncovered)
    if total == 0:
        return "No wanted skills listed; ranked on goals, seniority and time zone."
    parts = [f"{c.wanted} (via '{c.offered}', {c.similarity:.2f})" for c in covered]
    text = f"Covers {len(covered)} of {total} wanted skills"
    text += f": {', '.join(parts)}" if parts else ""
    return text + (f"; not covered: {', '.join(uncovered)}." if uncovered else ".")


class Matcher:
    """Matching over the people in one workspace, with current loads from the ledger."""

    def __init__(self, workspace: Workspace) -> None:
        self.settings = workspace.settings.matching
        self.now = workspace.settings.current_time
        self.progress = workspace.settings.progress
        self.ledger = workspace.ledger
        self.people: list[Person] = workspace.store.people()
        self.by_id = {p.id: p for p in self.people}
        self.matches = self.ledger.matches()
        programme = workspace.store.programme()
        titles = mentor_titles(self.people)
        title_vectors = workspace.embedder.embed(titles, desc="job titles")
        self.population = build_population(
            self.people,
            workspace.store.vectors(),
            self.ledger.loads(self.matches),
            on=programme.start_date if programme else None,
            titles=dict(zip(titles, title_vectors, strict=True)),
        )
        self.scorer = SkillGapScorer(
            self.population, self.settings.weights, self.settings.similarity_floor
        )
        self.checker = RuleChecker(self.population, self.settings.rules)

    @cached_property
    def index(self) -> MentorIndex:
        return MentorIndex(self.population, self.scorer, self.checker)

    def row(self, person_id: str, role: Profile) -> int:
        person = self.by_id.get(person_id)
        if person is None:
            hint = did_you_mean(person_id, self.by_id.values())
            raise UnknownPerson(f"no person with id {person_id!r}{hint}")
        if role == Profile.MENTEE and not person.role.mentees:
            raise MatchError(f"{person_id} is a {person.role.value}, not a mentee")
        if role == Profile.MENTOR and not person.role.mentors:
            raise MatchError(f"{person_id} is a {person.role.value}, not a mentor")
        return self.population.row_of[person_id]

    def suggestion(self, mentee: int, mentor: int, components: dict[str, float]) -> Suggestion:
        reasons = self.scorer.reasons(mentee, mentor)
        covered = [
            CoveredSkill(
                wanted=r.wanted, offered=r.offered or "", similarity=round(r.similarity, 4)
            )
            for r in reasons
            if r.covered
        ]
        uncovered = [r.wanted for r in reasons if not r.covered]
        score, parts = _rounded(components)
        person = self.by_id[self.population.ids[mentor]]
        return Suggestion(
            mentor_id=person.id,
            mentor_name=person.name,
            mentor_title=person.title,
            score=score,
            components=parts,
            reasons=Reasons(
                covered=covered, uncovered=uncovered, summary=_summary_sentence(covered, uncovered)
            ),
        )

    def explain(self, mentee_id: str, mentor_id: str) -> Suggestion:
        """Score, components and reasons for one pair, whatever the rules say of it."""
        mentee, mentor = self.row(mentee_id, Profile.MENTEE), self.row(mentor_id, Profile.MENTOR)
        parts = self.scorer.components(np.array([mentee]), np.array([mentor]))
        return self.suggestion(mentee, mentor, {k: float(v[0][0]) for k, v in parts.items()})

    def suggest(self, mentee_id: str, top: int | None = None) -> list[Suggestion]:
        """The best mentors for one mentee who break no rule, with components and reasons."""
        mentee = self.row(mentee_id, Profile.MENTEE)
        top = top or self.settings.top
        # never the mentor of a pair that ended, nor of one still running
        before = self.previous_mentors(mentee_id) | self.current_mentors(mentee_id)
        ranked = self.index.suggest(mentee, top + len(before))
        again = [r for r in ranked if self.population.ids[r.mentor] not in before][:top]
        return [self.suggestion(mentee, r.mentor, r.components) for r in again]

    def _mentors_of(self, mentee_id: str, status: Status) -> set[str]:
        return {
            m.mentor_id
            for m in self.matches.values()
            if m.mentee_id == mentee_id and m.status == status
        }

    def current_mentors(self, mentee_id: str) -> set[str]:
        """Mentors of this mentee's accepted pairs."""
        return self._mentors_of(mentee_id, Status.ACCEPTED)

    def why_no_mentor(self, mentee_id: str) -> str:
        """Why no mentor is allowed for this mentee: the rules most often broken."""
        return self.unmatched_reason(self.row(mentee_id, Profile.MENTEE), 0, 0)

    def previous_mentors(self, mentee_id: str) -> set[str]:
        """Mentors of this mentee's ended pairs: a relationship that ended is not suggested
        again (re-matching after an early end finds someone new)."""
        return self._mentors_of(mentee_id, Status.ENDED)

    def cohort(self, top_k: int | None = None) -> CohortResult:
        """Top-k suggestions for every unmatched mentee and one optimal assignment."""
        top_k = top_k or self.settings.top
        pop = self.population
        matched = {m.mentee_id for m in self.matches.values() if m.status == Status.ACCEPTED}
        mentees = np.array(
            [r for r in pop.mentees().tolist() if pop.ids[r] not in matched], dtype=np.int64
        )
        mentors = self.index.mentors
        ended = {  # never the same pair again
            (pop.row_of[m.mentee_id], pop.row_of[m.mentor_id])
            for m in self.matches.values()
            if m.status == Status.ENDED and m.mentee_id in pop.row_of and m.mentor_id in pop.row_of
        }
        capacity = pop.remaining[mentors] if self.settings.rules.capacity else pop.capacity[mentors]
        with tqdm(
            total=len(mentees),
            desc="matching",
            unit="mentee",
            disable=not self.progress or len(mentees) < 500,
        ) as bar:
            plan = plan_cohort(self.index, mentees, capacity, ended, top_k, bar.update)
        results = []
        for i, mentee in enumerate(mentees.tolist()):
            assigned = plan.assigned[i]
            shown = [self.suggestion(mentee, j, parts) for j, parts in plan.ranked[i]]
            results.append(
                MenteeResult(
                    mentee_id=pop.ids[mentee],
                    mentee_name=self.by_id[pop.ids[mentee]].name,
                    suggestions=shown,
                    assigned_mentor_id=pop.ids[assigned[0]] if assigned else None,
                    assigned_score=_rounded(assigned[1])[0] if assigned else None,
                    assigned=self._assigned(mentee, assigned, shown),
                    unmatched_reason=None
                    if assigned
                    else self.unmatched_reason(mentee, plan.allowed[i], len(plan.ranked[i])),
                )
            )
        done = sum(1 for a in plan.assigned if a)
        return CohortResult(
            generated_at=dt.datetime.now(dt.UTC),
            summary=CohortSummary(
                mentees=len(mentees),
                assigned=done,
                unmatched=len(mentees) - done,
                already_matched=len(matched),
                total_score=round(plan.total, 4),
                greedy_total_score=round(plan.greedy_total, 4),
                method=(
                    f"best {SPARSE_CANDIDATES} mentors per mentee and "
                    f"{SPARSE_PER_MENTOR} mentees per mentor"
                    if plan.sparse
                    else "exact"
                ),
            ),
            mentees=results,
        )

    def _assigned(
        self, mentee: int, assigned: tuple[int, dict[str, float]] | None, shown: list[Suggestion]
    ) -> Suggestion | None:
        """The assigned mentor in full: among the suggestions already, or built for it."""
        if assigned is None:
            return None
        mentor_id = self.population.ids[assigned[0]]
        return next((s for s in shown if s.mentor_id == mentor_id), None) or self.suggestion(
            mentee, *assigned
        )

    def unmatched_reason(self, mentee: int, valid_now: int | None, candidates: int) -> str:
        if valid_now is None and candidates:  # a sparse cohort looked at the best only
            return (
                f"capacity exhausted: the places of their {candidates} best allowed mentors "
                "went to pairs that scored higher overall"
            )
        if valid_now:
            return (
                f"capacity exhausted: the places of all {valid_now} mentors allowed for them "
                "went to pairs that scored higher overall"
            )
        broken: Counter[str] = Counter()
        full = 0
        for mentor in self.population.mentors().tolist():
            rules = self.checker.broken(mentee, mentor)
            if rules == ["capacity"]:
                full += 1
            broken.update(rules)
        if full:
            return f"capacity exhausted: all {full} mentors allowed for them are full"
        common = ", ".join(f"{RULE_NAMES[r]} ({n})" for r, n in broken.most_common(3))
        return f"no valid mentor: every mentor breaks a rule, most often: {common}"

    def skill_gaps(self) -> list:
        return uncovered_skills(
            self.population, self.settings.similarity_floor, self.settings.gap_group_similarity
        )
