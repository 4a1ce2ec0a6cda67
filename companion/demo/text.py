"""Names, places and the sentences demo people write about themselves."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = [
    "Aisha",
    "Alejandro",
    "Amara",
    "Ananya",
    "Andrei",
    "Aroha",
    "Astrid",
    "Ayodele",
    "Bao",
    "Beatriz",
    "Camille",
    "Carlos",
    "Chen",
    "Chiara",
    "Dalia",
    "Daniel",
    "Dara",
    "Deepika",
    "Diego",
    "Elena",
    "Emeka",
    "Emma",
    "Farah",
    "Fatima",
    "Felix",
    "Freya",
    "Gabriel",
    "Hana",
    "Hassan",
    "Ingrid",
    "Isabel",
    "Ivan",
    "Jamal",
    "Jana",
    "Javier",
    "Jin",
    "Joao",
    "Kai",
    "Kamala",
    "Kenji",
    "Kofi",
    "Laila",
    "Lars",
    "Leila",
    "Liam",
    "Lucia",
    "Mai",
    "Malik",
    "Mateo",
    "Maya",
    "Mei",
    "Mina",
    "Mohammed",
    "Nadia",
    "Naledi",
    "Nia",
    "Nikhil",
    "Noah",
    "Olga",
    "Omar",
    "Oskar",
    "Priya",
    "Rafael",
    "Rania",
    "Ravi",
    "Rosa",
    "Sakura",
    "Samir",
    "Sara",
    "Sofia",
    "Tariq",
    "Tomas",
    "Uma",
    "Valentina",
    "Wei",
    "Yara",
    "Yusuf",
    "Zainab",
    "Zoe",
]
LAST_NAMES = [
    "Abara",
    "Adeyemi",
    "Ahmed",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Becker",
    "Bianchi",
    "Chatterjee",
    "Chen",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fernandes",
    "Fischer",
    "Garcia",
    "Gupta",
    "Haddad",
    "Hansen",
    "Hoffmann",
    "Ibrahim",
    "Ito",
    "Jensen",
    "Kaur",
    "Khan",
    "Kim",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Li",
    "Lopez",
    "Martin",
    "Mensah",
    "Moreau",
    "Mueller",
    "Murphy",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Okoye",
    "Olsen",
    "Park",
    "Patel",
    "Pereira",
    "Petrov",
    "Quinn",
    "Rahman",
    "Reddy",
    "Rossi",
    "Sato",
    "Schmidt",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Sokolov",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Tran",
    "Varga",
    "Wang",
    "Weber",
    "Wilson",
    "Wong",
    "Yamamoto",
    "Yilmaz",
    "Zhang",
]


@dataclass(frozen=True)
class Office:
    city: str
    timezone: str
    languages: tuple[str, ...]  # the office's working languages, English first where spoken


OFFICES = (
    Office("London", "Europe/London", ("English", "French")),
    Office("New York", "America/New_York", ("English", "Spanish")),
    Office("Berlin", "Europe/Berlin", ("German", "English")),
    Office("Bangalore", "Asia/Kolkata", ("English", "Hindi")),
    Office("Toronto", "America/Toronto", ("English", "French")),
    Office("Singapore", "Asia/Singapore", ("English", "Mandarin")),
)


def languages_for(office: Office, rng: random.Random) -> list[str]:
    """Mostly the office's languages; a few people speak only the local one."""
    first, second = office.languages
    if first != "English" and rng.random() < 0.15:
        return [first]
    spoken = ["English"] if first == "English" else [first, "English"]
    if second != "English" and rng.random() < 0.5:
        spoken.append(second)
    return spoken


GOAL_TEMPLATES = (
    "I'm a {title} and want to grow toward a {target} role in the next {months} months. "
    "I'd like to get better at {w1} and {w2}.",
    "Over the next year I want to move from {title} into {target} work, so I need to build "
    "{w1}, {w2} and {w3}.",
    "I want to take on more {w1} and become a credible {target}; {w2} is my weakest area.",
    "My goal is to step up to {target} within {months} months. Right now {w1} and {w2} hold me "
    "back.",
    "I'd like a mentor who can help me with {w1} and {w2} as I work toward becoming a {target}.",
)

BIO_TEMPLATES = (
    "{years} years as {title}. Day to day I {task1}, and I {task2}. Happy to help with {o1} "
    "and {o2}.",
    "I've worked as {title} for {years} years: I {task1}. Mentoring others on {o1} is what I "
    "enjoy most.",
    "{title} with {years} years of experience. I {task1}; before that I learned to {task2}. "
    "Ask me about {o1}, {o2} or {o3}.",
)


def sentence_from_task(task: str) -> str:
    """An O*NET task ("Direct or coordinate ...") as a clause ("direct or coordinate ...")."""
    task = task.rstrip(". ")
    return task[:1].lower() + task[1:]


def write_goals(rng: random.Random, title: str, target: str, wanted: list[str]) -> str:
    padded = [*wanted, *wanted, *wanted][:3] if wanted else ["new skills"] * 3
    return rng.choice(GOAL_TEMPLATES).format(
        title=title,
        target=target,
        months=rng.choice((6, 9, 12, 18)),
        w1=padded[0],
        w2=padded[1],
        w3=padded[2],
    )


def write_bio(
    rng: random.Random, title: str, seniority: int, tasks: list[str], offered: list[str]
) -> str:
    picked = rng.sample(tasks, k=min(2, len(tasks))) if tasks else []
    clauses = [sentence_from_task(t) for t in picked] or ["lead projects end to end"]
    padded = [*offered, *offered, *offered][:3] if offered else ["my field"] * 3
    return rng.choice(BIO_TEMPLATES).format(
        years=rng.randint(2 + 3 * (seniority - 1), 5 + 4 * seniority),
        title=title,
        task1=clauses[0],
        task2=clauses[-1],
        o1=padded[0],
        o2=padded[1],
        o3=padded[2],
    )
