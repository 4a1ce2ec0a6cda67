"""Misspelt words in skill phrases are corrected for the encoder; jargon is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.imports import import_people
from companion.language.spelling import corrected
from companion.matching import Matcher
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import write_csv


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("negotation", "negotiation"),
        ("negotiaton skills", "negotiation skills"),
        ("presentaton skills", "presentation skills"),
        ("public speeking", "public speaking"),
        ("Budgetting & forcasting", "budgeting & forecasting"),
        ("PowerBI dashbaords", "PowerBI dashboards"),
    ],
)
def test_a_misspelt_word_is_corrected(written: str, read: str) -> None:
    assert corrected(written) == read


@pytest.mark.parametrize(
    "phrase",
    [
        "sql",  # short: often an abbreviation
        "stakeholder mgmt",
        "devops",  # not English, but one edit from 'devons', which O*NET never says
        "kanban",
        "golang",
        "pytorch",
        "kubernetes",
        "organisation design",  # British spelling is not a typo
        "analysing data",
        "managed services",  # an English word, though one edit from 'manager'
        "being heard in meetings",
    ],
)
def test_jargon_abbreviations_and_british_spelling_are_left_alone(phrase: str) -> None:
    assert corrected(phrase) == phrase


def test_a_typo_is_covered_by_the_right_phrase_and_reasons_keep_the_words_written(
    isolated_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "minilm")  # the real encoder
    workspace = Workspace(Settings())
    rows = [
        {
            "id": "m1",
            "name": "Ada Okafor",
            "email": "ada@example.com",
            "role": "mentor",
            "seniority": "5",
            "skills_offered": "negotiation;public speaking",
            "capacity": "2",
        },
        {
            "id": "m2",
            "name": "Bo Lind",
            "email": "bo@example.com",
            "role": "mentor",
            "seniority": "5",
            "skills_offered": "hiring;career planning",
            "capacity": "2",
        },
        {
            "id": "e1",
            "name": "Cy Berg",
            "email": "cy@example.com",
            "role": "mentee",
            "seniority": "2",
            "skills_wanted": "negotation;public speeking",
        },
    ]
    import_people(write_csv(isolated_data / "p.csv", rows), workspace.store, workspace.embedder)
    best = Matcher(workspace).suggest("e1", 2)[0]
    assert best.mentor_id == "m1"
    covered = {c.wanted: c.offered for c in best.reasons.covered}
    assert covered == {"negotation": "negotiation", "public speeking": "public speaking"}
