"""Outcomes import and the participants/non-participants comparison, on numbers small
enough to adjust by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.imports import ImportFailed, import_people
from companion.matching import Matcher, MatchReview
from companion.outcomes.adjusted import Groups, adjusted_difference, stratified_permutation_p
from companion.outcomes.compare import compare
from companion.outcomes.control import OutcomeStore
from companion.workspace import Workspace
from tests.conftest import write_csv

TODAY = dt.date(2027, 6, 30)


def person(pid: str, seniority: int, department: str, role: str = "mentee") -> dict[str, str]:
    return {"id": pid, "name": f"Person {pid}", "email": f"{pid}@example.com", "role": role,
            "seniority": str(seniority), "department": department, "capacity": "5",
            "skills_wanted": "budgeting", "skills_offered": "budgeting"}  # fmt: skip


@pytest.fixture
def programme(isolated_data: Path, workspace: Workspace) -> Workspace:
    """Mentees a, b (seniority 2, Sales) and c (4, Ops) took part; d (2, Sales) signed up
    but was never matched."""
    rows = [person("mo", 5, "Ops", "mentor"), person("a", 2, "Sales"), person("b", 2, "Sales"),
            person("c", 4, "Ops"), person("d", 2, "Sales")]  # fmt: skip
    import_people(write_csv(isolated_data / "p.csv", rows), workspace.store, workspace.embedder)
    for pid in ("a", "b", "c"):
        MatchReview(Matcher(workspace)).override(pid, "mo", by="Cora", reason="test")
    return workspace


def outcome(pid: str, value: str, metric: str = "engagement", **who: str) -> dict[str, str]:
    return {"person_id": pid, "metric": metric, "value": value, "date": "2027-06-01", **who}


def test_the_adjusted_difference_is_the_participant_weighted_stratum_gap(
    programme: Workspace, isolated_data: Path
) -> None:
    rows = [
        outcome("a", "70"), outcome("b", "80"), outcome("c", "90"), outcome("d", "60"),
        outcome("x1", "64", seniority="2", department="Sales"),
        outcome("x2", "50", seniority="4", department="Ops"),
        outcome("x3", "40", seniority="4", department="Ops"),
        outcome("x4", "99", seniority="1", department="Legal"),  # no participant like them
    ]  # fmt: skip
    path = write_csv(isolated_data / "o.csv", rows)
    OutcomeStore(programme.settings.store_dir).import_file(path, programme.store.people(), TODAY)
    [c] = compare(programme, "engagement")
    assert (c["participants"], c["non_participants"], c["kind"]) == (3, 5, "numeric")
    assert c["raw_difference"] == pytest.approx(80 - (60 + 64 + 50 + 40 + 99) / 5, abs=1e-4)
    # Sales: 75 - 62 = 13 for 2 participants; Ops: 90 - 45 = 45 for 1: (2*13 + 45) / 3
    assert c["adjusted_difference"] == pytest.approx((2 * 13 + 45) / 3, abs=1e-4)
    low, high = c["interval"]
    assert low <= c["adjusted_difference"] <= high and 0 < c["p_value"] <= 1
    assert any("Small groups" in caution for caution in c["caution"])


def test_binary_metrics_take_yes_and_no(programme: Workspace, isolated_data: Path) -> None:
    rows = [
        outcome(p, v, "retained") for p, v in (("a", "yes"), ("b", "no"), ("c", "1"), ("d", "no"))
    ]
    rows.append(outcome("x1", "false", "retained", seniority="4", department="Ops"))
    OutcomeStore(programme.settings.store_dir).import_file(
        write_csv(isolated_data / "o.csv", rows), programme.store.people(), TODAY
    )
    [c] = compare(programme)
    assert c["kind"] == "binary" and c["participants_mean"] == pytest.approx(2 / 3, abs=1e-4)
    # Sales: 0.5 - 0 (d), Ops: 1 - 0 (x1): (2 * 0.5 + 1) / 3
    assert c["adjusted_difference"] == pytest.approx(2 / 3, abs=1e-4)
    text = CliRunner().invoke(app, ["outcomes", "compare", "--today", TODAY.isoformat()]).output
    assert "retained (3 participants, 2 non-participants): participants 66.7 points higher" in text
    assert "observational comparison" in text


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (outcome("x9", "5"), "seniority", "needed for someone outside the programme"),
        (outcome("x9", "5", seniority="2"), "department", "needed"),
        (outcome("a", "lots"), "value", "not a number"),
        (outcome("a", "nan"), "value", "finite"),
        (outcome("a", "5") | {"date": "31/12/2027"}, "date", "not a date"),
        (outcome("a", "5") | {"date": "2027-07-01"}, "date", "in the future"),
        (outcome("a", "5", "Engagement Score"), "metric", "lower-case"),
        (outcome("a\x1b[2J", "5", seniority="2", department="S"), "person_id", "control"),
        (outcome("A", "5"), "person_id", "did you mean a (Person a)?"),
        (outcome("x9", "5", seniority="2", department="Saless"), "department", "'Sales'?"),
        (outcome("a", "5") | {"date": "1900-01-01"}, "date", "a typo?"),
        (outcome("a", "yes"), "value", "yes/no in 'engagement', which holds numbers"),
        (outcome("c", "8", "engagment"), "metric", "did you mean 'engagement'"),
    ],
)
def test_a_bad_outcome_row_names_its_line_and_field_and_nothing_is_written(
    programme: Workspace, isolated_data: Path, row: dict, field: str, message: str
) -> None:
    store = OutcomeStore(programme.settings.store_dir)
    first = [
        outcome("a", "7"),
        outcome("c", "9"),
        outcome("x1", "3", seniority="2", department="Sales"),
    ]
    store.import_file(write_csv(isolated_data / "ok.csv", first), programme.store.people(), TODAY)
    with pytest.raises(ImportFailed) as caught:
        store.import_file(
            write_csv(isolated_data / "bad.csv", [outcome("b", "8"), row]),
            programme.store.people(),
            TODAY,
        )
    assert any(
        p.line == 3 and p.field == field and message in p.message for p in caught.value.problems
    )
    assert sorted((r.person_id, r.value) for r in store.rows()) == [
        ("a", 7.0),
        ("c", 9.0),
        ("x1", 3.0),
    ]


def test_the_same_metric_twice_for_one_person_is_refused(
    programme: Workspace, isolated_data: Path
) -> None:
    path = write_csv(isolated_data / "o.csv", [outcome("a", "1"), outcome("a", "2")])
    runner = CliRunner()
    result = runner.invoke(app, ["outcomes", "import", str(path), "--today", TODAY.isoformat()])
    assert result.exit_code == 1 and "line 3, field 'metric'" in result.output
    assert "also on line 2" in result.output and "nothing was written" in result.output
    missing = runner.invoke(app, ["outcomes", "compare", "--metric", "promoted", "--json"])
    assert missing.exit_code == 1 and "no outcomes for 'promoted'" in missing.output


def test_the_permutation_keeps_strata_and_finds_no_effect_where_there_is_none() -> None:
    rng = np.random.default_rng(5)
    strata = rng.integers(0, 4, 400)
    took = rng.random(400) < 0.1 + 0.2 * strata  # who joins depends on the stratum
    values = 10.0 * strata + rng.normal(0, 1, 400)  # and so does the outcome: no effect
    groups = Groups(values[took], strata[took], values[~took], strata[~took])
    assert abs(np.mean(values[took]) - np.mean(values[~took])) > 5  # raw: confounded
    assert abs(adjusted_difference(groups)) < 0.5
    assert (stratified_permutation_p(groups, seed=1) or 0) > 0.05


def test_compare_json_lists_every_metric(programme: Workspace, isolated_data: Path) -> None:
    rows = [outcome("a", "1", "retained"), outcome("d", "0", "retained"), outcome("a", "50")]
    rows.append(outcome("d", "40"))
    OutcomeStore(programme.settings.store_dir).import_file(
        write_csv(isolated_data / "o.csv", rows), programme.store.people(), TODAY
    )
    found = json.loads(CliRunner().invoke(app, ["outcomes", "compare", "--json"]).output)
    assert [c["metric"] for c in found] == ["engagement", "retained"]
    assert found[0]["interval"] is None  # one person on each side: no interval


def test_yes_no_and_numbers_do_not_mix_in_one_metric_and_json_keys_are_checked(
    programme: Workspace, isolated_data: Path
) -> None:
    store = OutcomeStore(programme.settings.store_dir)
    rows = [
        outcome("a", "yes", "promoted"),
        outcome("b", "0.5", "promoted"),
        outcome("c", "no", "promoted"),
    ]
    with pytest.raises(ImportFailed, match="0.5 in 'promoted', a yes/no metric"):
        store.import_file(write_csv(isolated_data / "o.csv", rows), programme.store.people(), TODAY)
    path = isolated_data / "o.json"
    path.write_text(json.dumps([outcome("a", "1", "promoted") | {"extra": "x"}]))
    with pytest.raises(ImportFailed, match="unknown field"):
        store.import_file(path, programme.store.people(), TODAY)
    assert store.rows() == []


def test_people_who_only_mentored_are_in_neither_group(
    programme: Workspace, isolated_data: Path
) -> None:
    rows = [outcome("a", "10"), outcome("b", "20"), outcome("d", "5"), outcome("mo", "99")]
    OutcomeStore(programme.settings.store_dir).import_file(
        write_csv(isolated_data / "o.csv", rows), programme.store.people(), TODAY
    )
    [c] = compare(programme)
    assert (c["participants"], c["non_participants"]) == (2, 1)  # Mo mentored: left out
