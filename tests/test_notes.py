"""Confidential notes: encrypted at rest, the pair only, faithful local summaries."""

from __future__ import annotations

import datetime as dt
import stat

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.notes import (
    COORDINATOR_REFUSAL,
    Notebook,
    NotesAccessDenied,
    Viewer,
    extract_facts,
    summarise_notes_locally,
)
from companion.workspace import Workspace

NOTES = (
    "We talked about the board presentation. Ben will send the draft deck to Ada by Friday. "
    "Ada to introduce Ben to the finance lead in two weeks. "
    "Next session we will discuss handling tough questions from executives."
)
SESSION = dt.date(2027, 2, 3)  # a Wednesday
BEN, ADA = Viewer(person_id="ben", role="mentee"), Viewer(person_id="ada", role="mentor")


def notebook(workspace: Workspace, local: FakeChatModel | None = None) -> Notebook:
    gateway = LLMGateway(
        LLMSettings(),
        general=FakeChatModel("general", local=False),
        local=local or FakeChatModel("local-fake"),
    )
    return Notebook(workspace, gateway)


def test_notes_on_disk_are_encrypted_and_the_key_file_is_private(
    workspace: Workspace, pair: str
) -> None:
    book = notebook(workspace)
    book.add(BEN, pair, NOTES, SESSION)
    files = list(workspace.settings.notes_dir.rglob("*.note"))
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert b"draft deck" not in raw and b"Ben" not in raw
    key = workspace.settings.data_dir / "keys" / "notes.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert book.store.notes(ADA, pair)[0].text == NOTES
    book.summarise(BEN, pair)
    summary_file = next(workspace.settings.notes_dir.rglob("*.summary"))
    assert b"draft deck" not in summary_file.read_bytes()


def test_a_coordinator_can_never_read_notes_or_summaries(workspace: Workspace, pair: str) -> None:
    book = notebook(workspace)
    note = book.add(BEN, pair, NOTES, SESSION)
    book.summarise(ADA, pair)
    coordinator = Viewer(person_id="ada", role="coordinator")  # even a mentor acting as one
    for attempt in (
        lambda: book.store.notes(coordinator, pair),
        lambda: book.store.summary(coordinator, pair, note.id),
        lambda: book.summarise(coordinator, pair),
        lambda: book.add(coordinator, pair, "x"),
    ):
        with pytest.raises(NotesAccessDenied, match=COORDINATOR_REFUSAL):
            attempt()


def test_only_the_pair_reads_its_notes(workspace: Workspace, pair: str) -> None:
    book = notebook(workspace)
    book.add(BEN, pair, NOTES, SESSION)
    with pytest.raises(NotesAccessDenied, match="cy is not in pair"):
        book.store.notes(Viewer(person_id="cy", role="mentee"), pair)
    with pytest.raises(NotesAccessDenied, match="no active pair"):
        book.store.notes(BEN, "ben-cy-9")


def test_facts_are_extracted_by_code_and_traceable() -> None:
    facts = extract_facts(NOTES, SESSION, {"ben": "Ben", "ada": "Ada"}, author="ben")
    items = [(i.owner, i.due) for i in facts.action_items]
    assert items == [("ben", dt.date(2027, 2, 5)), ("ada", dt.date(2027, 2, 17))]
    for item in facts.action_items:
        assert facts.sentences[item.sentence] == item.source and item.what in item.source
    assert facts.next_topics == ["handling tough questions from executives"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("by 2027-03-01", dt.date(2027, 3, 1), id="iso"),
        pytest.param("on 12 March", dt.date(2027, 3, 12), id="day-month"),
        pytest.param("by March 12th", dt.date(2027, 3, 12), id="month-day"),
        pytest.param("in two weeks", dt.date(2027, 2, 17), id="in-two-weeks"),
        pytest.param("in 3 months", dt.date(2027, 5, 3), id="in-3-months"),
        pytest.param("next week", dt.date(2027, 2, 12), id="next-week"),
        pytest.param("by Monday", dt.date(2027, 2, 8), id="weekday"),
        pytest.param("by the end of the month", dt.date(2027, 2, 28), id="end-of-month"),
        pytest.param("on 2 January", dt.date(2028, 1, 2), id="past-day-rolls-to-next-year"),
    ],
)
def test_dates_resolve_against_the_session_date(text: str, expected: dt.date) -> None:
    from companion.notes import find_dates

    assert [d.date for d in find_dates(text, SESSION)] == [expected]


def test_bullets_that_contradict_a_date_or_an_owner_are_dropped() -> None:
    local = FakeChatModel("local-fake").enqueue(
        "- Ben will send the draft deck to Ada next week.\n"  # wrong date
        "- Ben will introduce Ada to the finance lead.\n"  # wrong owner
        "- They talked about the board presentation.\n"
    )  # fine
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    summary = summarise_notes_locally(NOTES, SESSION, {"ben": "Ben", "ada": "Ada"}, gateway, "ben")
    assert [d.reason.split(" ")[0] for d in summary.dropped] == ["mentions", "gives"]
    assert summary.bullets[0] == "They talked about the board presentation."
    assert "Ben: send the draft deck to Ada by Friday (due 5 February 2027)" in summary.text()
    assert local.history[0].confidential is True
    assert summary.model == "local-fake"


def test_notes_cli_refuses_coordinators(workspace: Workspace, pair: str) -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["notes", "add", pair, NOTES, "--as", "ben"])
    assert added.exit_code == 0 and "encrypted" in added.stdout
    refused = runner.invoke(app, ["notes", "list", pair, "--as", "cora", "--role", "coordinator"])
    assert refused.exit_code == 1 and COORDINATOR_REFUSAL in refused.stderr


def test_the_summary_draft_streams_and_only_the_checked_result_is_kept() -> None:
    local = FakeChatModel("local-fake").enqueue(
        "- Ben will send the draft deck to Ada next week.\n- The pair planned the board talk."
    )
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    tokens: list[str] = []
    summary = summarise_notes_locally(
        NOTES, SESSION, {"ben": "Ben", "ada": "Ada"}, gateway, "ben", on_token=tokens.append
    )
    assert len(tokens) > 5 and "next week" in "".join(tokens)
    assert summary.dropped[0].bullet.startswith("Ben will send the draft deck to Ada next week")
    assert all("next week" not in b for b in summary.bullets)
