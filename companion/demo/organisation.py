"""A realistic, seeded demo organisation built from O*NET occupations.

Each person holds an O*NET occupation. What they offer comes from that occupation's
highest-rated skills, knowledge and technologies; what they want comes from the gap to
a target occupation they are growing toward. Same size and seed, same organisation.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from companion.demo.onet import Onet, load_onet
from companion.demo.text import (
    FIRST_NAMES,
    LAST_NAMES,
    OFFICES,
    languages_for,
    write_bio,
    write_goals,
)
from companion.models import Person, Programme, Role

CEO_OCCUPATION = "11-1011.00"
MANAGER_TRACK = "new-managers"
PEOPLE_PER_TEAM = 15
MEMBER_SENIORITY = {1: 0.25, 2: 0.35, 3: 0.28, 4: 0.12}
DEMO_PROGRAMME = Programme(
    name="Grow Together 2027",
    start_date=dt.date(2027, 1, 11),
    end_date=dt.date(2027, 6, 25),
    min_meetings=4,
)


@dataclass(frozen=True)
class Department:
    name: str
    head: str  # the head's occupation
    pool: tuple[str, ...]  # occupations of the people in its teams
    teams: tuple[str, ...]
    weight: float  # share of the organisation


DEPARTMENTS = (
    Department(
        "Engineering",
        "11-3021.00",
        (
            "15-1211.00",
            "15-1212.00",
            "15-1241.00",
            "15-1242.00",
            "15-1243.00",
            "15-1244.00",
            "15-1251.00",
            "15-1253.00",
            "15-1254.00",
            "15-1299.08",
            "15-1299.09",
            "15-1232.00",
        ),
        ("Platform", "Product Engineering", "Security", "Quality"),
        0.22,
    ),
    Department(
        "Data & Analytics",
        "15-1221.00",
        (
            "15-2031.00",
            "15-2041.00",
            "15-2051.01",
            "15-1243.01",
            "15-2011.00",
            "15-2021.00",
            "43-9111.00",
        ),
        ("Analytics", "Data Science"),
        0.10,
    ),
    Department(
        "Finance",
        "11-3031.00",
        (
            "13-2011.00",
            "13-2031.00",
            "13-2041.00",
            "13-2099.01",
            "13-2099.04",
            "43-3031.00",
            "43-3051.00",
            "11-3031.01",
            "13-1051.00",
        ),
        ("Accounting", "Financial Planning", "Risk & Audit"),
        0.12,
    ),
    Department(
        "People",
        "11-3121.00",
        (
            "13-1071.00",
            "13-1075.00",
            "13-1141.00",
            "13-1151.00",
            "43-4161.00",
            "11-3131.00",
            "11-3111.00",
        ),
        ("Talent", "Learning & Development"),
        0.08,
    ),
    Department(
        "Operations",
        "11-1021.00",
        (
            "13-1081.00",
            "13-1081.02",
            "13-1111.00",
            "13-1023.00",
            "11-3061.00",
            "11-3071.04",
            "43-5061.00",
            "43-6014.00",
            "13-1199.04",
            "43-1011.00",
            "11-3012.00",
        ),
        ("Supply Chain", "Business Operations", "Procurement"),
        0.14,
    ),
    Department(
        "Sales",
        "11-2022.00",
        ("41-4011.00", "41-3011.00", "41-9031.00", "41-1012.00", "43-4051.00", "41-4012.00"),
        ("Enterprise Sales", "Customer Success"),
        0.13,
    ),
    Department(
        "Marketing",
        "11-2021.00",
        (
            "13-1161.00",
            "13-1161.01",
            "27-3031.00",
            "27-3041.00",
            "27-3042.00",
            "27-3043.00",
            "11-2011.00",
            "13-1121.00",
        ),
        ("Brand & Communications", "Growth"),
        0.10,
    ),
    Department(
        "Legal & Compliance",
        "11-9199.02",
        ("23-1011.00", "23-2011.00", "13-1041.00", "13-1041.07", "11-9199.01", "43-6012.00"),
        ("Legal", "Compliance"),
        0.05,
    ),
    Department(
        "Design",
        "27-1011.00",
        ("27-1021.00", "27-1024.00", "17-2112.01", "15-1255.01", "43-9031.00", "15-1254.00"),
        ("Product Design",),
        0.06,
    ),
)


@dataclass
class DemoOrganisation:
    """The people, plus what the generator knows about them (for benchmarks)."""

    people: list[Person]
    programme: Programme
    occupation: dict[str, str] = field(default_factory=dict)  # id -> O*NET code
    target: dict[str, str] = field(default_factory=dict)  # mentee id -> target O*NET code


@dataclass(frozen=True)
class _Slot:
    department: Department | None
    team: str
    position: str  # ceo | head | lead | member
    manager: int | None  # index of the manager's slot
    office: int


def _slots(size: int, rng: random.Random) -> list[_Slot]:
    """Who sits where: a CEO, department heads, team leads, then members by department weight."""
    slots = [_Slot(None, "Executive", "ceo", None, 0)]
    teams: list[tuple[Department, int, int]] = []  # department, lead slot, office
    for department in DEPARTMENTS:
        head = len(slots)
        slots.append(_Slot(department, "Leadership", "head", 0, rng.randrange(len(OFFICES))))
        count = max(1, round(size * department.weight / PEOPLE_PER_TEAM))
        for number in range(count):
            base = department.teams[number % len(department.teams)]
            name = (
                base
                if number < len(department.teams)
                else f"{base} {number // len(department.teams) + 1}"
            )
            office = rng.randrange(len(OFFICES))
            teams.append((department, len(slots), office))
            slots.append(_Slot(department, name, "lead", head, office))
    weights = [
        department.weight / sum(1 for t in teams if t[0] is department)
        for department, _, _ in teams
    ]
    while len(slots) < size:
        department, lead, office = rng.choices(teams, weights=weights)[0]
        if rng.random() > 0.75:
            office = rng.randrange(len(OFFICES))
        slots.append(_Slot(department, slots[lead].team, "member", lead, office))
    return slots[:size]


class _Builder:
    def __init__(self, onet: Onet, rng: random.Random) -> None:
        self.onet = onet
        self.rng = rng
        self.emails: set[str] = set()

    def seniority(self, position: str) -> int:
        if position in ("ceo", "head"):
            return 5
        if position == "lead":
            return 4
        return self.rng.choices(list(MEMBER_SENIORITY), weights=list(MEMBER_SENIORITY.values()))[0]

    def occupation(self, slot: _Slot, seniority: int) -> str:
        if slot.department is None:
            return CEO_OCCUPATION
        if slot.position == "head":
            return slot.department.head
        pool = slot.department.pool
        weights = [1 / (1 + abs(self.onet.job_zone.get(soc, 3) - (seniority + 1))) for soc in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def role(self, seniority: int) -> Role:
        roll = self.rng.random()
        if seniority == 5:
            return Role.MENTOR
        if seniority == 4:
            return Role.MENTOR if roll < 0.7 else Role.BOTH
        if seniority == 3:
            return Role.MENTEE if roll < 0.45 else Role.BOTH if roll < 0.85 else Role.MENTOR
        return Role.MENTEE

    def title(self, slot: _Slot, soc: str) -> str:
        if slot.position == "ceo":
            return "Chief Executive Officer"
        if slot.position == "head" and slot.department is not None:
            return f"Head of {slot.department.name}"
        options = self.onet.alternate_titles.get(soc, [])[:6] or [self.onet.titles[soc]]
        title = self.rng.choice(options)
        return f"Lead {title}" if slot.position == "lead" else title

    def phrase(self, key: str, canonical_share: float) -> str:
        element = self.onet.element(key)
        options = self.onet.phrasings.get(element, [])
        if not options or self.rng.random() < canonical_share:
            return element.lower()
        return self.rng.choice(options)

    def offered(self, soc: str) -> list[str]:
        phrases = [
            self.phrase(k, canonical_share=0.4) for k in standout_keys(self.onet, soc, self.rng)
        ]
        technologies = self.onet.technologies.get(soc, [])
        if technologies:
            phrases += self.rng.sample(
                technologies[:12], k=min(len(technologies), self.rng.randint(1, 2))
            )
        return list(dict.fromkeys(phrases))

    def target(self, slot: _Slot, soc: str, seniority: int) -> str:
        assert slot.department is not None
        zone = self.onet.job_zone.get(soc, 3)
        candidates = (
            [*slot.department.pool, slot.department.head]
            if seniority >= 3
            else list(slot.department.pool)
        )
        upward = [c for c in candidates if c != soc and self.onet.job_zone.get(c, 3) >= zone]
        return self.rng.choice(upward or [c for c in candidates if c != soc])

    def wanted(self, soc: str, target: str) -> list[str]:
        picked = gap_keys(self.onet, soc, target, self.rng)
        phrases = [self.phrase(k, canonical_share=0.15) for k in picked]
        new_tech = [
            t
            for t in self.onet.technologies.get(target, [])[:10]
            if t not in self.onet.technologies.get(soc, [])
        ]
        if new_tech and self.rng.random() < 0.35:
            phrases.append(self.rng.choice(new_tech))
        return list(dict.fromkeys(phrases))

    def email(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower()
        candidate, number = base, 1
        while candidate in self.emails:
            number += 1
            candidate = f"{base}{number}"
        self.emails.add(candidate)
        return f"{candidate}@example.com"


def standout_keys(onet: Onet, soc: str, rng: random.Random) -> list[str]:
    """Three skills and two knowledge areas where the occupation stands out: what people
    say they can teach, not what every job needs."""
    ratings, ordinary = onet.ratings[soc], onet.mean_level
    ranked = sorted(ratings, key=lambda k: (-(ratings[k].level - ordinary[k]), k))
    skills = [k for k in ranked if k.startswith("skill:")][:5]
    knowledge = [k for k in ranked if k.startswith("knowledge:")][:4]
    return rng.sample(skills, 3) + rng.sample(knowledge, 2)


def gap_keys(onet: Onet, soc: str, target: str, rng: random.Random) -> list[str]:
    """Three or four elements with the widest importance-weighted gap to the target."""
    mine, theirs = onet.ratings[soc], onet.ratings[target]
    gaps = {
        key: (rating.level - mine[key].level) * rating.importance / 5
        for key, rating in theirs.items()
        if key in mine
    }
    ranked = [k for k in sorted(gaps, key=lambda k: (-gaps[k], k)) if gaps[k] > 0.1]
    return ranked[: rng.randint(3, 4)] or sorted(theirs, key=lambda k: -theirs[k].level)[:3]


def generate_organisation(size: int, seed: int, onet: Onet | None = None) -> DemoOrganisation:
    """`size` people in departments, teams and a manager tree; deterministic in `seed`."""
    onet = onet or load_onet()
    rng = random.Random(seed)
    builder = _Builder(onet, rng)
    slots = _slots(size, rng)
    width = max(4, len(str(size)))
    ids = [f"p{index + 1:0{width}d}" for index in range(len(slots))]
    organisation = DemoOrganisation(people=[], programme=DEMO_PROGRAMME)
    for index, slot in enumerate(slots):
        seniority = builder.seniority(slot.position)
        soc = builder.occupation(slot, seniority)
        role = builder.role(seniority)
        title = builder.title(slot, soc)
        offered = builder.offered(soc)
        office = OFFICES[slot.office]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        person = dict(
            id=ids[index],
            name=f"{first} {last}",
            email=builder.email(first, last),
            role=role,
            title=title,
            department=slot.department.name if slot.department else "Executive",
            team=slot.team,
            manager_id=None if slot.manager is None else ids[slot.manager],
            seniority=seniority,
            location=office.city,
            timezone=office.timezone,
            languages=languages_for(office, rng),
            skills_offered=offered if role.mentors else [],
            capacity=0,
        )
        if role.mentors:
            person["bio"] = write_bio(rng, title, seniority, onet.tasks.get(soc, []), offered)
            person["capacity"] = rng.randint(1, 2) if seniority != 4 else rng.randint(2, 3)
            if slot.position in ("head", "lead") and rng.random() < 0.35:
                person["track"] = MANAGER_TRACK
        if role.mentees:
            target = builder.target(slot, soc, seniority)
            wanted = builder.wanted(soc, target)
            target_title = rng.choice(onet.alternate_titles.get(target, [onet.titles[target]])[:5])
            person["skills_wanted"] = wanted
            person["goals"] = write_goals(rng, title, target_title, wanted)
            organisation.target[ids[index]] = target
            if seniority == 3 and target.startswith("11-") and rng.random() < 0.6:
                person["track"] = MANAGER_TRACK
        organisation.occupation[ids[index]] = soc
        organisation.people.append(Person.model_validate(person))
    _add_exclusions(organisation.people, rng)
    return organisation


def _add_exclusions(people: list[Person], rng: random.Random) -> None:
    """About one person in fifty asks never to be paired with one colleague."""
    for index in rng.sample(range(len(people)), k=max(1, len(people) // 50)):
        other = rng.randrange(len(people))
        if other != index:
            people[index] = people[index].model_copy(update={"exclude": [people[other].id]})
