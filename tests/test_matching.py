"""Suggestions and the cohort match on the demo organisation (fake encoder, fast)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import companion.matching.cohort as cohort_module
from companion.cli import app
from companion.demo import run_demo
from companion.matching import Matcher, shown_parts, shown_score
from companion.models import Person
from companion.settings import Settings
from companion.workspace import Workspace
from retrieval import COMPONENTS
from tests.conftest import newcomer, write_csv

runner = CliRunner()


@pytest.fixture
def demo(workspace: Workspace) -> Workspace:
    run_demo(workspace, size=300, seed=7)
    return workspace


def test_index_suggestions_are_exactly_the_brute_force_top(demo: Workspace) -> None:
    matcher = Matcher(demo)
    pop, mentors = matcher.population, matcher.population.mentors()
    for mentee in pop.mentees()[::8].tolist():
        parts = matcher.scorer.components(np.array([mentee]), mentors)
        total = sum(parts[n][0] for n in COMPONENTS)
        allowed = matcher.checker.allowed(np.array([mentee]), mentors)[0]
        expected = sorted(
            (-round(float(total[j]), 6), pop.ids[mentors[j]]) for j in np.flatnonzero(allowed)
        )[:10]
        got = matcher.index.suggest(mentee, 10)
        assert [pop.ids[r.mentor] for r in got] == [pid for _, pid in expected]


def test_components_sum_to_the_score_and_reasons_account_for_every_wanted_skill(
    demo: Workspace,
) -> None:
    matcher = Matcher(demo)
    mentee = next(p for p in matcher.people if p.role.mentees and len(p.skills_wanted) >= 3)
    suggestions = matcher.suggest(mentee.id, top=5)
    assert len(suggestions) == 5
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    for s in suggestions:
        assert set(s.components) == set(COMPONENTS)
        assert sum(s.components.values()) == pytest.approx(s.score, abs=1e-3)
        mentor = matcher.by_id[s.mentor_id]
        assert [c.wanted for c in s.reasons.covered] + s.reasons.uncovered != []
        assert sorted([c.wanted for c in s.reasons.covered] + s.reasons.uncovered) == sorted(
            mentee.skills_wanted
        )
        for covered in s.reasons.covered:
            assert covered.offered in mentor.skills_offered
            assert covered.similarity >= Settings().matching.similarity_floor


def reporting_line(people: dict[str, Person], a: str, b: str) -> bool:
    """Independent of retrieval.rules: walk each manager chain."""

    def chain(pid: str) -> set[str]:
        seen, current = set(), people[pid].manager_id
        while current is not None:
            seen.add(current)
            current = people[current].manager_id
        return seen

    return a in chain(b) or b in chain(a)


def rule_violations(people: dict[str, Person], mentee_id: str, mentor_id: str) -> list[str]:
    e, m = people[mentee_id], people[mentor_id]
    broken = []
    if e.id == m.id:
        broken.append("self")
    if not m.role.mentors:
        broken.append("not a mentor")
    if reporting_line(people, e.id, m.id):
        broken.append("reporting line")
    if e.team and (e.department, e.team) == (m.department, m.team):
        broken.append("same team")
    if m.id in e.exclude or e.id in m.exclude:
        broken.append("exclude")
    if (
        e.languages
        and m.languages
        and not {x.casefold() for x in e.languages} & {x.casefold() for x in m.languages}
    ):
        broken.append("language")
    if m.seniority < e.seniority:
        broken.append("seniority")
    if e.track and m.track != e.track:
        broken.append("track")
    return broken


def test_match_out_writes_the_schema_with_zero_rule_violations(
    demo: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "m.json"
    result = runner.invoke(app, ["match", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    people = {p.id: p for p in Workspace(Settings()).store.people()}
    mentees = [p for p in people.values() if p.role.mentees]
    assert {m["mentee_id"] for m in data["mentees"]} == {p.id for p in mentees}
    assert set(data["summary"]) >= {"mentees", "assigned", "unmatched", "total_score"}
    load = Counter()
    for entry in data["mentees"]:
        assert set(entry) >= {"mentee_id", "suggestions", "assigned_mentor_id", "unmatched_reason"}
        for s in entry["suggestions"]:
            assert set(s) >= {"mentor_id", "score", "components", "reasons"}
            assert rule_violations(people, entry["mentee_id"], s["mentor_id"]) == []
            assert sum(s["components"].values()) == pytest.approx(s["score"], abs=1e-3)
        if entry["assigned_mentor_id"] is None:
            assert entry["unmatched_reason"]
        else:
            assert rule_violations(people, entry["mentee_id"], entry["assigned_mentor_id"]) == []
            load[entry["assigned_mentor_id"]] += 1
    for mentor_id, taken in load.items():
        assert taken <= people[mentor_id].capacity
    assert data["summary"]["assigned"] == sum(load.values()) > 100
    assert data["summary"]["total_score"] >= data["summary"]["greedy_total_score"]


def test_cohort_suggestions_agree_with_single_suggestions(demo: Workspace) -> None:
    matcher = Matcher(demo)
    cohort = {m.mentee_id: m for m in matcher.cohort(top_k=5).mentees}
    for mentee_id in list(cohort)[::25]:
        single = matcher.suggest(mentee_id, top=5)
        assert [s.mentor_id for s in single] == [s.mentor_id for s in cohort[mentee_id].suggestions]


def test_match_writes_csv_when_asked(demo: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    assert runner.invoke(app, ["match", "--top-k", "3", "--out", str(out)]).exit_code == 0
    rows = list(csv.DictReader(out.open()))
    assert rows and {"mentee_id", "rank", "mentor_id", "score", "skills", "covered"} <= set(rows[0])
    assert max(int(r["rank"]) for r in rows if r["rank"]) == 3


def test_suggest_cli_text_and_json(demo: Workspace) -> None:
    mentee = next(p for p in Workspace(Settings()).store.people() if p.role.mentees)
    text = runner.invoke(app, ["suggest", mentee.id, "--top", "3"])
    assert text.exit_code == 0 and "1. p" in text.stdout and "wanted skills" in text.stdout
    assert text.stdout.startswith(f"Mentors for {mentee.name} ({mentee.id}), who wants: ")
    data = json.loads(runner.invoke(app, ["suggest", mentee.id, "--json"]).stdout)
    assert len(data) == 5 and data[0]["reasons"]["summary"]
    missing = runner.invoke(app, ["suggest", "nobody"])
    assert missing.exit_code == 1 and "no person with id 'nobody'" in missing.stderr
    assert "did you mean" not in missing.stderr
    first = mentee.name.split()[0].upper()
    for typed in (mentee.id.upper(), mentee.name.lower(), first):  # the id's case, or a name
        near = runner.invoke(app, ["suggest", typed])
        assert near.exit_code == 1 and f"did you mean {mentee.id} ({mentee.name})" in near.stderr
    mentor = next(p for p in Workspace(Settings()).store.people() if p.role.value == "mentor")
    wrong = runner.invoke(app, ["suggest", mentor.id])
    assert wrong.exit_code == 1 and "not a mentee" in wrong.stderr
    shown = runner.invoke(app, ["people", "show", mentee.id.upper()])
    assert shown.exit_code == 1 and f"did you mean {mentee.id} ({mentee.name})" in shown.stderr


def test_match_lists_the_pairs_by_name_and_suggest_says_why_nobody_fits(demo: Workspace) -> None:
    text = runner.invoke(app, ["match"]).stdout
    pairs = [line for line in text.splitlines() if ") -> " in line]
    assert "Pairs (mentee -> mentor, score):" in text and pairs
    people = {p.id: p for p in Workspace(Settings()).store.people()}
    for line in pairs[:10]:  # "  Mentee Name (id) -> Mentor Name (id), 0.512"
        left, right = line.strip().split(" -> ")
        mentee_id, mentor_id = left.split("(")[-1][:-1], right.split("(")[-1].split(")")[0]
        assert left.startswith(people[mentee_id].name) and right.startswith(people[mentor_id].name)
    lone = write_csv(demo.settings.data_dir / "lone.csv", [newcomer(track="astronomy")])
    assert runner.invoke(app, ["import", str(lone)]).exit_code == 0
    said = runner.invoke(app, ["suggest", "n1"]).stdout
    assert (
        "No mentor is allowed for Nia Shah: no valid mentor: every mentor breaks a rule, " in said
    )
    assert "not in the mentee's track" in said


def test_a_cohort_past_the_dense_limit_is_solved_sparse_with_the_same_optimum(
    demo: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    dense = Matcher(demo).cohort(top_k=5)
    monkeypatch.setattr(cohort_module, "MAX_CELLS", 0)  # as if the cohort were 100k people
    sparse = Matcher(demo).cohort(top_k=5)
    assert sparse.summary.total_score == pytest.approx(dense.summary.total_score, abs=1e-3)
    assert sparse.summary.assigned == dense.summary.assigned
    assert sparse.summary.total_score >= sparse.summary.greedy_total_score
    by_id = {m.mentee_id: m for m in dense.mentees}
    for mentee in sparse.mentees:
        shown = [s.mentor_id for s in mentee.suggestions]
        assert shown == [s.mentor_id for s in by_id[mentee.mentee_id].suggestions]
        if mentee.assigned_mentor_id is None:
            assert "capacity exhausted" in (mentee.unmatched_reason or "")


def test_a_mentor_holding_the_role_the_mentee_aims_for_ranks_first(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Same skills, bio and seniority; only the job title differs: the role component
    (goals against the title alone) puts the holder of the wanted role first, and it
    shows as its own component that sums into the score."""
    from companion.imports import import_people
    from tests.conftest import write_csv

    def mentor(pid: str, title: str) -> dict[str, str]:
        return {
            "id": pid,
            "name": f"Mentor {pid}",
            "email": f"{pid}@example.com",
            "role": "mentor",
            "seniority": "4",
            "team": pid,
            "title": title,
            "skills_offered": "budgets;hiring",
            "bio": "Happy to help people grow.",
            "capacity": "1",
        }

    rows = [
        mentor("a1", "Warehouse Supervisor"),
        mentor("b1", "Product Manager"),
        {
            "id": "e1",
            "name": "Mentee",
            "email": "e1@example.com",
            "role": "mentee",
            "seniority": "2",
            "team": "t",
            "title": "Analyst",
            "skills_wanted": "budgets",
            "goals": "I want to become a product manager next year.",
        },
    ]
    import_people(write_csv(tmp_path / "org.csv", rows), workspace.store, workspace.embedder)
    suggestions = Matcher(workspace).suggest("e1", top=2)
    assert [s.mentor_id for s in suggestions] == ["b1", "a1"]
    first, second = suggestions
    assert first.components["role"] > second.components["role"] >= 0
    assert first.components["skills"] == second.components["skills"]
    assert sum(first.components.values()) == pytest.approx(first.score, abs=1e-3)


@pytest.mark.parametrize("digits", [2, 3])
def test_shown_parts_add_up_to_the_shown_score(digits: int) -> None:
    rng = np.random.default_rng(digits)
    for _ in range(200):
        weights = [0.3, 0.4, 0.2, 0.05, 0.05]
        parts = dict(zip(COMPONENTS, (rng.random(5) * weights).tolist(), strict=True))
        score, rest = shown_parts(sum(parts.values()), parts, digits)
        assert shown_score(sum(parts.values()), parts, digits) == f"{score} ({rest})"
        numbers = [float(p.split()[1]) for p in rest.split(", ")]
        assert round(sum(numbers), digits) == float(score)
        near = zip(numbers, parts.values(), strict=True)
        assert all(abs(n - v) < 10**-digits + 1e-9 for n, v in near)


def test_an_assigned_mentor_outside_the_suggestions_is_shown_in_full(
    demo: Workspace, tmp_path: Path
) -> None:
    result = Matcher(demo).cohort(top_k=1)  # one suggestion: the assignment often differs
    outside = [
        m
        for m in result.mentees
        if m.assigned and m.assigned_mentor_id not in {s.mentor_id for s in m.suggestions}
    ]
    assert outside
    for mentee in result.mentees:
        if mentee.assigned_mentor_id:
            assert mentee.assigned and mentee.assigned.mentor_id == mentee.assigned_mentor_id
            assert mentee.assigned.mentor_name and mentee.assigned.reasons.summary
            assert mentee.assigned.score == pytest.approx(mentee.assigned_score, abs=1e-4)
        else:
            assert mentee.assigned is None
    path = tmp_path / "pairs.csv"
    assert runner.invoke(app, ["match", "--top-k", "1", "--out", str(path)]).exit_code == 0
    rows = list(csv.DictReader(path.open()))
    first = outside[0]
    extra = [r for r in rows if r["mentee_id"] == first.mentee_id and r["rank"] == ""]
    assert len(extra) == 1 and extra[0]["assigned"] == "true"
    assert extra[0]["mentor_name"] == first.assigned.mentor_name == extra[0]["assigned_mentor_name"]
    plain = runner.invoke(app, ["match"])
    assert "add --out pairs.csv" in plain.stdout
