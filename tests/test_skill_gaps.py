from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.imports import import_people
from companion.matching import Matcher
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import write_csv


def people(wants: dict[str, str]) -> list[dict[str, str]]:
    rows = [
        {
            "id": "m1",
            "name": "Mia",
            "email": "m1@example.com",
            "role": "mentor",
            "seniority": "5",
            "skills_offered": "python programming;sql databases",
        }
    ]
    for pid, wanted in wants.items():
        rows.append(
            {
                "id": pid,
                "name": pid,
                "email": f"{pid}@example.com",
                "role": "mentee",
                "seniority": "2",
                "skills_wanted": wanted,
            }
        )
    return rows


def test_uncovered_skills_are_grouped_and_counted(workspace: Workspace, tmp_path: Path) -> None:
    rows = people(
        {
            "a": "public speaking;python programming",
            "b": "public speaking skills",
            "c": "public speaking",
            "d": "tax law",
        }
    )
    import_people(write_csv(tmp_path / "p.csv", rows), workspace.store, workspace.embedder)
    groups = Matcher(workspace).skill_gaps()
    assert [(g.label, sorted(g.phrases), g.mentees) for g in groups] == [
        ("public speaking", ["public speaking", "public speaking skills"], 3),
        ("tax law", ["tax law"], 1),
    ]
    out = CliRunner().invoke(app, ["skills", "gaps"]).stdout
    assert "3 mentees want 'public speaking' (also: public speaking skills)" in out
    assert "1 mentee wants 'tax law'" in out


@pytest.mark.slow
def test_near_duplicates_group_by_meaning_with_the_real_encoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "minilm")
    workspace = Workspace(Settings())
    rows = people(
        {
            "a": "public speaking",
            "b": "presenting to executives",
            "c": "public speaking",
            "d": "contract negotiation",
        }
    )
    import_people(write_csv(tmp_path / "p.csv", rows), workspace.store, workspace.embedder)
    groups = Matcher(workspace).skill_gaps()
    assert groups[0].label == "public speaking" and groups[0].mentees == 3
    assert sorted(groups[0].phrases) == ["presenting to executives", "public speaking"]
    assert [g.label for g in groups[1:]] == ["contract negotiation"]
