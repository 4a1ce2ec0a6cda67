"""Copy the O*NET subset mentorkit ships from ../shared/data/onet into companion/data/onet.

Keeps office occupations (SOC major groups below) that have skill ratings, hot
technologies only, up to 10 alternate titles and 6 core tasks per occupation.
Run from the project root: python scripts/extract_onet.py [SOURCE_DIR]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

MAJOR_GROUPS = ("11", "13", "15", "17", "23", "27", "41", "43")
SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/onet")
TARGET = Path("companion/data/onet")


def read(name: str) -> list[dict[str, str]]:
    with open(SOURCE / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(TARGET / name, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    rated = {r["soc_code"] for r in read("skills.csv")}
    keep = {
        r["soc_code"]
        for r in read("occupations.csv")
        if r["soc_code"][:2] in MAJOR_GROUPS and r["soc_code"] in rated
    }
    write(
        "occupations.csv",
        ["soc_code", "title", "description"],
        [r for r in read("occupations.csv") if r["soc_code"] in keep],
    )
    for name in ("skills.csv", "knowledge.csv"):
        write(
            name,
            ["soc_code", "element", "importance", "level"],
            [r for r in read(name) if r["soc_code"] in keep],
        )
    write(
        "job_zones.csv",
        ["soc_code", "job_zone"],
        [r for r in read("job_zones.csv") if r["soc_code"] in keep],
    )
    write(
        "technology_skills.csv",
        ["soc_code", "technology"],
        [r for r in read("technology_skills.csv") if r["soc_code"] in keep and r["hot"] == "Y"],
    )
    titles: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read("alternate_titles.csv"):
        if r["soc_code"] in keep:
            titles[r["soc_code"]].append(r)
    write(
        "alternate_titles.csv",
        ["soc_code", "alternate_title"],
        [
            r
            for soc in sorted(titles)
            for r in sorted(
                titles[soc], key=lambda r: (len(r["alternate_title"]), r["alternate_title"])
            )[:10]
        ],
    )
    tasks: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read("tasks.csv"):
        if r["soc_code"] in keep and r["task_type"] == "Core" and len(tasks[r["soc_code"]]) < 6:
            tasks[r["soc_code"]].append(r)
    write("tasks.csv", ["soc_code", "task"], [r for soc in sorted(tasks) for r in tasks[soc]])


if __name__ == "__main__":
    main()
