"""`mentorkit export`: what goes out, what never does, and cells a spreadsheet cannot run."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.lifecycle import CheckIns, Endings, Meetings, Outcome
from companion.llm import LLMGateway
from companion.llm.fake import FakeChatModel
from companion.models import Profile
from companion.notes import Notebook, Viewer
from companion.outcomes.attributes import Attributes
from companion.outcomes.export import export
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_START, write_csv

NOTE = "Ben is thinking of leaving for a rival firm; keep this between us"
SUMMARY = "zz-model-summary-of-the-note"
PRIVATE = "my mentor kept making remarks about my accent"


def on(n: int) -> Workspace:
    return Workspace(Settings(today=PROGRAMME_START + dt.timedelta(days=n)))


@pytest.fixture
def lived(programme: str, isolated_data: Path) -> str:
    """Ben and Ada's pair with a meeting, a check-in whose comment looks like a formula, a
    confidential note and its summary, an attribute, and a private reason for ending."""
    Meetings(on(10)).log(programme, PROGRAMME_START + dt.timedelta(days=9), 45, "ben")
    CheckIns(on(31)).answer(programme, "ben", 4, 3, '=HYPERLINK("http://evil.example","x")')
    local = FakeChatModel("local-fake", local=True, default=f"- {SUMMARY}")
    book = Notebook(on(31), LLMGateway(Settings().llm, local=local))
    book.add(Viewer(person_id="ben", role="mentee"), programme, NOTE, PROGRAMME_START)
    book.summarise(Viewer(person_id="ada", role="mentor"), programme)
    ws = on(40)
    Attributes(ws.settings.store_dir).import_file(
        write_csv(isolated_data / "a.csv", [{"person_id": "ben", "work_pattern": "part-time"}]),
        ws.store.people(),
    )
    Endings(ws).end(programme, "ben", Profile.MENTEE, Outcome.NOT_A_GOOD_FIT, PRIVATE)
    return programme


def every_text(folder: Path) -> str:
    """All cell text of every file written, parquet read back (it compresses)."""
    parts = []
    for path in folder.iterdir():
        if path.suffix == ".parquet":
            parts.append(str(pq.read_table(path).to_pylist()))
        else:
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("extras", [False, True])
def test_no_note_summary_or_private_reason_is_ever_exported(
    lived: str, tmp_path: Path, fmt: str, extras: bool
) -> None:
    out = tmp_path / "out"
    written = export(on(60), out, fmt, with_attributes=extras, with_comments=extras)  # type: ignore[arg-type]
    text = every_text(out)
    assert written[f"pairs.{fmt}"] == 1 and "Ben Tran" in text  # the export is not empty
    for secret in (NOTE, "rival firm", SUMMARY, PRIVATE, "accent"):
        assert secret not in text
    assert ("part-time" in text) == extras  # attributes only when asked
    assert ("HYPERLINK" in text) == extras  # comments only when asked


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(lived: str, tmp_path: Path) -> None:
    export(on(60), tmp_path, "csv", with_comments=True)
    with (tmp_path / "checkins.csv").open(encoding="utf-8") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["comment"].startswith("'=HYPERLINK")
    assert row["person"] == "Ben Tran" and row["value"] == "4"


def test_the_exported_fairness_table_hides_groups_under_five(lived: str, tmp_path: Path) -> None:
    export(on(60), tmp_path, "csv")
    table = json.loads((tmp_path / "fairness.json").read_text())
    [group] = table["groups"]  # Ben and Cy, no department: 2 people
    assert group == {"group": "other (groups under 5)", "wanting": "<5", "suppressed": True}


def test_pairs_carry_names_outcome_and_events(lived: str, tmp_path: Path) -> None:
    export(on(60), tmp_path, "csv")
    with (tmp_path / "pairs.csv").open(encoding="utf-8") as handle:
        [pair] = list(csv.DictReader(handle))
    assert (pair["mentee"], pair["mentor"], pair["status"]) == ("Ben Tran", "Ada Okafor", "ended")
    assert pair["outcome"] == "not-a-good-fit"
    with (tmp_path / "pair_events.csv").open(encoding="utf-8") as handle:
        actions = [e["status"] for e in csv.DictReader(handle)]
    assert actions[-1] == "ended" and "accepted" in actions


def test_export_command_refuses_a_file_for_a_folder_and_a_bad_format(
    lived: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    target = tmp_path / "taken.txt"
    target.write_text("keep me")
    result = runner.invoke(app, ["export", "--out", str(target)])
    assert result.exit_code != 0 and target.read_text() == "keep me"
    bad = runner.invoke(app, ["export", "--out", str(tmp_path / "x"), "--format", "xlsx"])
    assert bad.exit_code == 1 and "not csv or parquet" in bad.output
    ok = runner.invoke(app, ["export", "--out", str(tmp_path / "x")])
    assert ok.exit_code == 0 and "Never included: confidential notes" in ok.output
