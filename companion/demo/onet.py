"""The O*NET extract shipped in companion/data/onet (CC BY 4.0, see its README)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

ONET_DIR = Path(__file__).resolve().parent.parent / "data" / "onet"
PHRASINGS = Path(__file__).resolve().parent.parent / "data" / "skill_phrasings.csv"


@dataclass(frozen=True)
class Rating:
    importance: float
    level: float


@dataclass
class Onet:
    """Occupations with their rated skills and knowledge, titles, technologies and tasks."""

    titles: dict[str, str]
    alternate_titles: dict[str, list[str]]
    job_zone: dict[str, int]
    ratings: dict[str, dict[str, Rating]]  # soc -> "skill:Writing" / "knowledge:Law..." -> rating
    technologies: dict[str, list[str]]
    tasks: dict[str, list[str]]
    phrasings: dict[str, list[str]]  # element name -> natural phrasings

    def element(self, key: str) -> str:
        return key.split(":", 1)[1]

    @cached_property
    def mean_level(self) -> dict[str, float]:
        """Each element's mean level across occupations: what counts as ordinary."""
        totals: dict[str, list[float]] = defaultdict(list)
        for ratings in self.ratings.values():
            for key, rating in ratings.items():
                totals[key].append(rating.level)
        return {key: sum(levels) / len(levels) for key, levels in totals.items()}


def _rows(name: str, folder: Path) -> list[dict[str, str]]:
    with open(folder / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@lru_cache(maxsize=2)
def load_onet(folder: Path = ONET_DIR) -> Onet:
    titles = {r["soc_code"]: r["title"] for r in _rows("occupations.csv", folder)}
    alternates: dict[str, list[str]] = defaultdict(list)
    for r in _rows("alternate_titles.csv", folder):
        alternates[r["soc_code"]].append(r["alternate_title"])
    ratings: dict[str, dict[str, Rating]] = defaultdict(dict)
    for kind in ("skill", "knowledge"):
        name = "skills.csv" if kind == "skill" else "knowledge.csv"
        for r in _rows(name, folder):
            ratings[r["soc_code"]][f"{kind}:{r['element']}"] = Rating(
                float(r["importance"]), float(r["level"])
            )
    technologies: dict[str, list[str]] = defaultdict(list)
    for r in _rows("technology_skills.csv", folder):
        technologies[r["soc_code"]].append(r["technology"])
    tasks: dict[str, list[str]] = defaultdict(list)
    for r in _rows("tasks.csv", folder):
        tasks[r["soc_code"]].append(r["task"])
    phrasings: dict[str, list[str]] = defaultdict(list)
    with open(PHRASINGS, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            phrasings[r["element"]].extend(r["phrasings"].split("|"))
    return Onet(
        titles=titles,
        alternate_titles=dict(alternates),
        job_zone={r["soc_code"]: int(r["job_zone"]) for r in _rows("job_zones.csv", folder)},
        ratings=dict(ratings),
        technologies=dict(technologies),
        tasks=dict(tasks),
        phrasings=dict(phrasings),
    )
