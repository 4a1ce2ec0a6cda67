from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from companion.cli import app
from tests.conftest import BASE_ROWS, newcomer, write_csv

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_one_bad_row_among_good_ones_is_refused_and_the_store_is_unchanged(tmp_path: Path) -> None:
    assert run("import", str(write_csv(tmp_path / "good.csv", BASE_ROWS))).exit_code == 0
    before = run("people", "list").stdout
    rows = [dict(r) for r in BASE_ROWS] + [
        newcomer(),
        {
            "id": "n2",
            "name": "Omar Khan",
            "email": "omar(at)example.com",
            "role": "mentee",
            "seniority": "2",
        },
        {
            "id": "n3",
            "name": "Priya Rao",
            "email": "priya@example.com",
            "role": "mentee",
            "seniority": "2",
        },
    ]
    result = run("import", str(write_csv(tmp_path / "mixed.csv", rows)))
    assert result.exit_code == 1
    assert "mixed.csv, line 6, field 'email'" in result.stderr
    assert "nothing was written" in result.stderr
    after = run("people", "list")
    assert after.stdout == before
    assert "3 people" in after.stdout and "n1" not in after.stdout


def test_skip_invalid_imports_the_rest_and_exits_2(tmp_path: Path) -> None:
    rows = [dict(r) for r in BASE_ROWS]
    rows[1]["role"] = "intern"
    result = run("import", "--skip-invalid", str(write_csv(tmp_path / "p.csv", rows)))
    assert result.exit_code == 2
    assert "Imported 2 of 3 rows" in result.stdout
    assert "p.csv, line 3, field 'role'" in result.stderr


def test_people_show_and_json(tmp_path: Path) -> None:
    run("import", str(write_csv(tmp_path / "p.csv", BASE_ROWS)))
    shown = run("people", "show", "e2")
    assert shown.exit_code == 0 and "negotiation; budgeting" in shown.stdout
    data = json.loads(run("people", "show", "e2", "--json").stdout)
    assert data["skills_wanted"] == ["negotiation", "budgeting"] and data["manager_id"] == "m1"
    listed = json.loads(run("people", "list", "--role", "mentor", "--json").stdout)
    assert [p["id"] for p in listed] == ["m1"]
    missing = run("people", "show", "nobody")
    assert missing.exit_code == 1 and "No person with id 'nobody'" in missing.stderr


def test_data_dir_option_selects_the_store(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    run("import", "--data-dir", str(other), str(write_csv(tmp_path / "p.csv", BASE_ROWS)))
    assert "3 people" in run("people", "list", "--data-dir", str(other)).stdout
    assert "No people in the store" in run("people", "list").stdout


def test_programme_set_and_show() -> None:
    bad = run("programme", "set", "--name", "Pilot", "--start", "2027-03-01", "--end", "2027-01-01")
    assert bad.exit_code == 1 and "end_date must be after start_date" in bad.stderr
    ok = run(
        "programme",
        "set",
        "--name",
        "Pilot",
        "--start",
        "2027-01-04",
        "--end",
        "2027-03-26",
        "--min-meetings",
        "4",
    )
    assert ok.exit_code == 0
    assert "Pilot: 2027-01-04 to 2027-03-26, at least 4 meetings" in run("programme", "show").stdout


def test_demo_prints_a_summary() -> None:
    result = run("demo", "--people", "80", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "Demo organisation: 80 people" in result.stdout
    assert "80 new, 0 updated" in result.stdout
    assert "80 people" in run("people", "list").stdout
