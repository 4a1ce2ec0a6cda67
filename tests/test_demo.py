from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from companion.demo import generate_organisation, run_demo
from companion.demo.organisation import MANAGER_TRACK
from companion.imports.formats import write_people_csv
from companion.models import Role
from companion.settings import Settings
from companion.workspace import Workspace


def test_same_seed_same_csv_and_another_seed_another(tmp_path: Path) -> None:
    paths = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        path = tmp_path / f"{name}.csv"
        write_people_csv(generate_organisation(300, seed).people, path)
        paths.append(path.read_bytes())
    assert paths[0] == paths[1]
    assert paths[0] != paths[2]


@pytest.fixture(scope="module")
def organisation():
    return generate_organisation(300, 7)


def test_the_demo_organisation_is_a_plausible_company(organisation) -> None:
    people = {p.id: p for p in organisation.people}
    assert len(people) == 300
    assert len({p.email for p in people.values()}) == 300
    roles = Counter(p.role for p in people.values())
    assert roles[Role.MENTEE] > 100 and roles[Role.MENTOR] > 30 and roles[Role.BOTH] > 20
    assert len({p.department for p in people.values()}) >= 9
    assert len({(p.department, p.team) for p in people.values()}) >= 20
    for person in people.values():  # every chain of managers ends at the CEO
        seen, current = set(), person
        while current.manager_id is not None:
            assert current.id not in seen
            seen.add(current.id)
            current = people[current.manager_id]
        assert current.id == "p0001"
    for person in people.values():
        if person.role.mentors:
            assert person.skills_offered and person.bio and person.capacity >= 1
        if person.role.mentees:
            assert person.skills_wanted and person.goals
            assert organisation.target[person.id] != organisation.occupation[person.id]


def test_track_mentees_have_track_mentors(organisation) -> None:
    in_track = [p for p in organisation.people if p.track == MANAGER_TRACK]
    assert any(p.role.mentees for p in in_track) and any(p.role.mentors for p in in_track)


def test_wanted_skills_come_from_the_gap_to_the_target(organisation) -> None:
    from companion.demo.onet import load_onet

    onet = load_onet()
    # The phrasings of the elements where the target occupation outranks the current one.
    gaps_met = 0
    mentees = [p for p in organisation.people if p.role.mentees]
    for person in mentees:
        mine = onet.ratings[organisation.occupation[person.id]]
        theirs = onet.ratings[organisation.target[person.id]]
        grown = {onet.element(k) for k in theirs if k in mine and theirs[k].level > mine[k].level}
        phrasings = {ph.casefold() for e in grown for ph in [e, *onet.phrasings.get(e, [])]}
        gaps_met += any(w.casefold() in phrasings for w in person.skills_wanted)
    assert gaps_met == len(mentees)


def test_demo_loads_through_the_importer_and_rerunning_it_upserts(workspace: Workspace) -> None:
    first = run_demo(workspace, size=120, seed=3)
    assert len(first.report.inserted) == 120 and workspace.store.count() == 120
    assert first.csv_path.exists()
    again = run_demo(Workspace(Settings()), size=120, seed=3)
    assert len(again.report.unchanged) == 120 and again.report.inserted == []
    assert again.report.updated == []
    assert again.embedded == 0  # nothing changed: nothing embedded or written
    assert Workspace(Settings()).store.count() == 120
