"""The second matching benchmark: the same organisations, skills written as people write them.

The structure (people, occupations, targets, rules) comes from the demo generator; what
each person offers and wants is drawn again from their O*NET occupation and target, then
written from a vocabulary that a separate writer produced (evals/data/people_skills):
casual names and abbreviations, an ability described in a sentence, a sub-activity, a
product named for its category and the category for a product, mixed case and small
typos. Bios and goals are rewritten to match. The relevance stays hidden from every system:
the O*NET level gaps of the mentee's occupation and target, closed by the mentor's
occupation, and, for a wanted technology, whether the mentor's occupation uses a tool of
the same O*NET category.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from companion.demo import DemoOrganisation
from companion.demo.onet import Onet
from companion.demo.organisation import gap_keys, standout_keys

VOCABULARY = Path(__file__).resolve().parent / "data" / "people_skills"
TECH_SHARE = 0.2  # of the relevance, when the mentee wants a technology


@dataclass(frozen=True)
class Vocabulary:
    elements: dict[str, list[str]]
    technologies: dict[str, list[str]]
    categories: dict[str, list[str]]
    category_of: dict[str, set[str]]


@lru_cache(maxsize=1)
def load_vocabulary(folder: Path = VOCABULARY) -> Vocabulary:
    def table(name: str, key: str) -> dict[str, list[str]]:
        with open(folder / name, newline="", encoding="utf-8") as f:
            return {r[key]: r["phrasings"].split("|") for r in csv.DictReader(f)}

    category_of: dict[str, set[str]] = defaultdict(set)
    with open(folder / "technology_categories.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            category_of[r["technology"]].add(r["category"])
    return Vocabulary(
        elements=table("elements.csv", "element"),
        technologies=table("technologies.csv", "technology"),
        categories=table("categories.csv", "category"),
        category_of=dict(category_of),
    )


@dataclass
class HiddenKeys:
    """What the generator knows and the systems do not: wanted technologies by category."""

    wanted_categories: dict[str, set[str]] = field(default_factory=dict)  # mentee id -> cats


def rewrite(
    organisation: DemoOrganisation, onet: Onet, seed: int
) -> tuple[DemoOrganisation, HiddenKeys]:
    """The organisation with every person's skills, bio and goals written people-style."""
    vocabulary, rng, hidden = load_vocabulary(), random.Random(seed * 7919 + 1), HiddenKeys()
    writer = _Writer(onet, vocabulary, rng)
    people = []
    for person in organisation.people:
        soc = organisation.occupation[person.id]
        update: dict[str, object] = {}
        if person.role.mentors:
            offered = writer.offered(soc)
            update["skills_offered"] = offered
            update["bio"] = writer.bio(person.title, person.seniority, soc, offered)
        if person.role.mentees:
            target = organisation.target[person.id]
            wanted, categories = writer.wanted(soc, target)
            update["skills_wanted"] = wanted
            update["goals"] = writer.goals(onet, target, wanted)
            hidden.wanted_categories[person.id] = categories
        people.append(person.model_copy(update=update))
    rewritten = DemoOrganisation(
        people=people,
        programme=organisation.programme,
        occupation=organisation.occupation,
        target=organisation.target,
    )
    return rewritten, hidden


def tool_coverage(onet: Onet, wanted: set[str], mentor_soc: str) -> float:
    """Share of the wanted tool categories that the mentor's occupation works with."""
    if not wanted:
        return 0.0
    category_of = load_vocabulary().category_of
    theirs = {c for t in onet.technologies.get(mentor_soc, [])[:12] for c in category_of.get(t, ())}
    return len(wanted & theirs) / len(wanted)


class _Writer:
    def __init__(self, onet: Onet, vocabulary: Vocabulary, rng: random.Random) -> None:
        self.onet, self.words, self.rng = onet, vocabulary, rng

    def offered(self, soc: str) -> list[str]:
        phrases = [self.element(k) for k in standout_keys(self.onet, soc, self.rng)]
        tools = self.onet.technologies.get(soc, [])[:12]
        if tools:
            chosen = self.rng.sample(tools, k=min(len(tools), self.rng.randint(1, 2)))
            phrases += [self.tool(t) for t in chosen]
        return list(dict.fromkeys(phrases))

    def wanted(self, soc: str, target: str) -> tuple[list[str], set[str]]:
        phrases = [self.element(k) for k in gap_keys(self.onet, soc, target, self.rng)]
        categories: set[str] = set()
        mine_tools = self.onet.technologies.get(soc, [])
        new = [t for t in self.onet.technologies.get(target, [])[:10] if t not in mine_tools]
        if new and self.rng.random() < 0.35:
            tool = self.rng.choice(new)
            phrases.append(self.tool(tool))
            categories = set(self.words.category_of.get(tool, ()))
        return list(dict.fromkeys(phrases)), categories

    def element(self, key: str) -> str:
        name = self.onet.element(key)
        return self.noisy(self.rng.choice(self.words.elements.get(name, [name.lower()])))

    def tool(self, technology: str) -> str:
        """A product by its name as people type it, or by the kind of tool it is."""
        categories = sorted(self.words.category_of.get(technology, ()))
        if categories and self.rng.random() < 0.5:
            category = self.rng.choice(categories)
            return self.noisy(self.rng.choice(self.words.categories[category]))
        return self.noisy(self.rng.choice(self.words.technologies.get(technology, [technology])))

    def noisy(self, phrase: str) -> str:
        roll = self.rng.random()
        if roll < 0.25:
            phrase = phrase.lower()
        elif roll < 0.33:
            phrase = phrase.title()
        elif roll < 0.36:
            phrase = phrase.upper()
        if self.rng.random() < 0.08:
            phrase = self.typo(phrase)
        return phrase

    def typo(self, phrase: str) -> str:
        words = phrase.split()
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long:
            return phrase
        i = self.rng.choice(long)
        w, at = words[i], self.rng.randrange(1, len(words[i]) - 2)
        if self.rng.random() < 0.5:
            words[i] = w[:at] + w[at + 1] + w[at] + w[at + 2 :]  # two letters swapped
        else:
            words[i] = w[:at] + w[at + 1 :]  # a letter dropped
        return " ".join(words)

    def bio(self, title: str, seniority: int, soc: str, offered: list[str]) -> str:
        tasks = self.onet.tasks.get(soc, [])
        task = self.rng.choice(tasks).rstrip(". ") if tasks else "run projects"
        task = task[:1].lower() + task[1:]
        years = self.rng.randint(2 + 3 * (seniority - 1), 5 + 4 * seniority)
        first, second = (offered * 2)[:2] if offered else ("my area", "my area")
        return self.rng.choice(BIOS).format(
            title=title, years=years, task=task, o1=first, o2=second
        )

    def goals(self, onet: Onet, target: str, wanted: list[str]) -> str:
        titles = onet.alternate_titles.get(target, [onet.titles[target]])[:5]
        first, second = (wanted * 2)[:2] if wanted else ("new things", "new things")
        return self.rng.choice(GOALS).format(
            target=self.rng.choice(titles).lower(), w1=first, w2=second
        )


BIOS = (
    "{title}, {years} yrs. Most days I {task}. Happy to help with {o1} or {o2}.",
    "been doing this {years} years ({title}). ask me about {o1} / {o2}",
    "I {task} - {years} years in. Can mentor on {o1}, also {o2}.",
    "{title} here. {o1} and {o2} are my thing, {years} years and counting.",
)
GOALS = (
    "trying to move towards {target} in the next year or so. need {w1} and {w2}",
    "Want to step up - aiming for a {target} role. {w1} is my weak spot, {w2} too.",
    "looking for someone to help me with {w1}, and {w2} if poss. long term: {target}",
    "Goal: {target} within 18 months. Gaps: {w1}, {w2}.",
)
