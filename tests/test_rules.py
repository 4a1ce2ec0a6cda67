"""Every hard rule, on a small hand-built organisation; each can be switched off."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.imports import import_people
from companion.matching import Matcher, MatchReview
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import write_csv


def person(pid: str, role: str = "mentor", **fields: str) -> dict[str, str]:
    row = {
        "id": pid,
        "name": f"Person {pid}",
        "email": f"{pid}@example.com",
        "role": role,
        "seniority": "4",
        "department": "Eng",
        "team": f"team-{pid}",
        "languages": "English",
        "skills_offered": "python;public speaking",
        "capacity": "2",
    }
    row.update(fields)
    return row


ORGANISATION = [
    person("g1", seniority="5"),  # grand-manager of e1
    person("m1", manager_id="g1"),  # e1's manager
    person(
        "e1",
        role="mentee",
        seniority="2",
        manager_id="m1",
        team="team-core",
        skills_wanted="python",
        exclude="x1",
        skills_offered="",
    ),
    person("r1", manager_id="e1", seniority="3"),  # reports to e1
    person("t1", team="team-core", manager_id="g1"),  # same team as e1
    person("x1"),  # on e1's exclude list
    person("x2", exclude="e1"),  # excludes e1
    person("l1", languages="German"),  # no shared language
    person("l2", languages=""),  # lists no language: fine
    person("s1", seniority="1"),  # junior to e1
    person("k1", track="new-managers"),  # in a track
    person(
        "e2",
        role="mentee",
        seniority="2",
        track="new-managers",
        skills_wanted="python",
        skills_offered="",
    ),
    person("c1", capacity="1"),  # gets filled below
    person("e3", role="mentee", seniority="2", skills_wanted="python", skills_offered=""),
    person("ok", seniority="5"),
]
SWITCH = {  # mentor -> (rule it breaks, the setting that turns the rule off)
    "g1": ("reporting_line", "REPORTING_LINE"),
    "m1": ("reporting_line", "REPORTING_LINE"),
    "r1": ("reporting_line", "REPORTING_LINE"),
    "t1": ("same_team", "SAME_TEAM"),
    "x1": ("excluded", "EXCLUDE_LISTS"),
    "x2": ("excluded", "EXCLUDE_LISTS"),
    "l1": ("language", "SHARED_LANGUAGE"),
    "s1": ("seniority", "REVERSE_MENTORING"),
    "c1": ("capacity", "CAPACITY"),
}


@pytest.fixture
def organisation(workspace: Workspace, tmp_path: Path) -> Workspace:
    import_people(
        write_csv(tmp_path / "org.csv", ORGANISATION), workspace.store, workspace.embedder
    )
    review = MatchReview(Matcher(workspace))
    review.override("e3", "c1", by="Cora", reason="fills c1's only place")
    return workspace


def suggested(mentee: str) -> set[str]:
    return {s.mentor_id for s in Matcher(Workspace(Settings())).suggest(mentee, top=50)}


@pytest.mark.parametrize(
    ("mentor", "rule", "setting"),
    [pytest.param(m, r, s, id=f"{m}-{r}") for m, (r, s) in SWITCH.items()],
)
def test_a_rule_keeps_a_mentor_out_and_switching_it_off_lets_them_in(
    organisation: Workspace, monkeypatch: pytest.MonkeyPatch, mentor: str, rule: str, setting: str
) -> None:
    matcher = Matcher(organisation)
    pop = matcher.population
    assert rule in matcher.checker.broken(pop.row_of["e1"], pop.row_of[mentor])
    assert mentor not in suggested("e1")
    value = "true" if setting == "REVERSE_MENTORING" else "false"
    monkeypatch.setenv(f"MENTORKIT_MATCHING__RULES__{setting}", value)
    assert mentor in suggested("e1")


def test_allowed_mentors_are_suggested(organisation: Workspace) -> None:
    assert suggested("e1") == {"l2", "k1", "ok"}


def test_a_mentee_in_a_track_only_gets_mentors_of_that_track(
    organisation: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert suggested("e2") == {"k1"}
    monkeypatch.setenv("MENTORKIT_MATCHING__RULES__SAME_TRACK", "false")
    assert "ok" in suggested("e2")


def test_nobody_is_suggested_to_themselves(organisation: Workspace) -> None:
    matcher = Matcher(organisation)
    row = matcher.population.row_of["e1"]
    assert matcher.checker.broken(row, row)[0] == "self"
    for mentee in ("e1", "e2", "e3"):
        assert mentee not in suggested(mentee)
