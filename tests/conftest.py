from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from companion.settings import Settings
from companion.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir; nothing touches the home folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("MENTORKIT_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "fake")
    monkeypatch.setenv("MENTORKIT_PROGRESS", "false")
    return data


@pytest.fixture
def workspace(isolated_data: Path) -> Workspace:
    """A workspace on the deterministic fake encoder (fast unit tests)."""
    return Workspace(Settings())


BASE_ROWS = [
    {
        "id": "m1",
        "name": "Ada Okafor",
        "email": "ada@example.com",
        "role": "mentor",
        "seniority": "5",
        "timezone": "Europe/London",
        "skills_offered": "public speaking;python",
        "bio": "Led the platform team for eight years.",
        "capacity": "2",
    },
    {
        "id": "e1",
        "name": "Ben Tran",
        "email": "ben@example.com",
        "role": "mentee",
        "seniority": "2",
        "manager_id": "m1",
        "timezone": "Europe/London",
        "skills_wanted": "presenting to executives",
        "goals": "Present our roadmap to the board.",
    },
    {
        "id": "e2",
        "name": "Cleo Park",
        "email": "cleo@example.com",
        "role": "both",
        "seniority": "3",
        "manager_id": "m1",
        "timezone": "Asia/Singapore",
        "skills_offered": "sql",
        "skills_wanted": "negotiation;budgeting",
    },
]


def newcomer(**fields: str) -> dict[str, str]:
    """A valid mentee row that BASE_ROWS does not hold."""
    return {
        "id": "n1",
        "name": "Nia Shah",
        "email": "nia@example.com",
        "role": "mentee",
        "seniority": "1",
        **fields,
    }


def csv_text(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    columns = columns or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    path.write_text(csv_text(rows, columns), encoding="utf-8")
    return path


@pytest.fixture
def pair(workspace: Workspace, tmp_path: Path) -> str:
    """An accepted pair, Ben (mentee) and Ada (mentor), and an outsider, Cy."""
    from companion.imports import import_people
    from companion.matching import Matcher, MatchReview

    rows = [
        {
            "id": "ada",
            "name": "Ada Okafor",
            "email": "ada@example.com",
            "role": "mentor",
            "seniority": "5",
            "skills_offered": "public speaking",
            "team": "board",
        },
        {
            "id": "ben",
            "name": "Ben Tran",
            "email": "ben@example.com",
            "role": "mentee",
            "seniority": "2",
            "skills_wanted": "presenting",
            "team": "analytics",
        },
        {
            "id": "cy",
            "name": "Cy Li",
            "email": "cy@example.com",
            "role": "mentee",
            "seniority": "2",
            "team": "ops",
        },
    ]
    import_people(write_csv(tmp_path / "p.csv", rows), workspace.store, workspace.embedder)
    return MatchReview(Matcher(workspace)).override("ben", "ada", by="Cora", reason="pilot").id


PROGRAMME_START = dt.date(2027, 1, 11)
PROGRAMME_END = dt.date(2027, 6, 25)


@pytest.fixture
def on_programme_start(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The clock on the programme's first day (asked for before `workspace`, so that the
    pair is accepted that day)."""
    monkeypatch.setenv("MENTORKIT_TODAY", PROGRAMME_START.isoformat())
    return PROGRAMME_START


@pytest.fixture
def programme(on_programme_start: dt.date, workspace: Workspace, pair: str) -> str:
    """Ben and Ada (`pair`) accepted on the first day of a programme asking 4 meetings."""
    from companion.models import Programme

    workspace.store.set_programme(
        Programme(
            name="Spring", start_date=PROGRAMME_START, end_date=PROGRAMME_END, min_meetings=4
        )  # fmt: skip
    )
    return pair
