"""The README's examples run, so the README cannot rot."""

from __future__ import annotations

import json
import re
from pathlib import Path

from companion.imports import import_people
from companion.settings import Settings
from companion.workspace import Workspace

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_readme_gives_the_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick_start, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_readme_import_examples_import(tmp_path: Path, workspace: Workspace) -> None:
    csv_block = re.search(r"```csv\n(.*?)```", README, re.S).group(1)
    path = tmp_path / "people.csv"
    path.write_text(csv_block)
    report = import_people(path, workspace.store, workspace.embedder)
    assert sorted(report.inserted) == ["e1", "m1"]
    jsonl = re.search(r"The same people in JSONL: `(.*?)`\.", README, re.S).group(1)
    line = json.loads(jsonl.replace("\n", " "))
    path = tmp_path / "people.jsonl"
    path.write_text(json.dumps(line) + "\n")
    assert import_people(path, workspace.store, workspace.embedder).updated == ["e1"]


def test_readme_documents_every_setting() -> None:
    settings = Settings()
    names = ["MENTORKIT_DATA_DIR", "MENTORKIT_PROGRESS", "MENTORKIT_TODAY"]
    for section in ("embedding", "imports", "demo", "lifecycle"):
        names += [
            f"MENTORKIT_{section.upper()}__{field.upper()}"
            for field in type(getattr(settings, section)).model_fields
        ]
    names += [
        f"MENTORKIT_SMTP__{'FROM' if field == 'sender' else field.upper()}"
        for field in type(settings.smtp).model_fields
    ]
    missing = [name for name in names if f"`{name}`" not in README]
    assert missing == []


def test_readme_match_schema_is_the_real_one() -> None:
    from companion.matching.export import CSV_COLUMNS
    from companion.matching.service import CohortResult

    block = re.search(r"```json\n(.*?)```", README, re.S).group(1)
    example = CohortResult.model_validate_json(block)
    assert example.mentees[0].suggestions[0].reasons.uncovered == ["IBM DB2"]
    documented = README.split("one row per suggestion:", 1)[1].split(".", 1)[0]
    assert [c.strip(" `\n") for c in documented.split(",")] == CSV_COLUMNS
