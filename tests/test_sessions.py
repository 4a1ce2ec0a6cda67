"""Agendas whose minutes sum exactly, mentor prompts, the mentee's questions."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.goals import Goals
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.notes import Notebook, NotesAccessDenied, Viewer
from companion.sessions import Sessions, allocate_minutes
from companion.sessions.wording import faithful
from companion.workspace import Workspace
from tests.test_notes import NOTES, SESSION

TODAY = dt.date(2027, 1, 11)


@pytest.mark.parametrize("total", [9, 20, 30, 45, 47, 60, 90, 121])
@pytest.mark.parametrize("weights", [[1, 1, 1], [1, 1.5, 3, 3, 2, 1], [1, 3, 2, 1], [2, 7]])
def test_minutes_sum_exactly(weights: list[float], total: int) -> None:
    if total < 3 * len(weights):
        with pytest.raises(ValueError, match="too short"):
            allocate_minutes(weights, total)
        return
    minutes = allocate_minutes(weights, total)
    assert sum(minutes) == total and min(minutes) >= 3


@pytest.fixture
def sessions(workspace: Workspace, pair: str) -> Sessions:
    model = FakeChatModel("local-fake", local=True, default="not json")
    gateway = LLMGateway(
        LLMSettings(), general=FakeChatModel(local=False, default="{}"), local=model
    )
    workspace = Workspace(workspace.settings, gateway=gateway)
    goals = Goals(workspace, TODAY)
    goals.confirm(
        "ben", goals.draft("ben", "Present our Q1 results to the board in 10 minutes by 30 April")
    )
    book = Notebook(workspace, gateway)
    book.add(Viewer(person_id="ben", role="mentee"), pair, NOTES, SESSION)
    book.summarise(Viewer(person_id="ben", role="mentee"), pair)
    return Sessions(workspace, gateway, TODAY)


@pytest.mark.parametrize("minutes", [9, 15, 30, 45, 60])
def test_the_agenda_ties_each_item_and_fills_the_session_exactly(
    sessions: Sessions, pair: str, minutes: int
) -> None:
    sessions.questions("ben", None, "The board moved the review to March.")
    agenda = sessions.agenda(Viewer(person_id="ada", role="mentor"), pair, minutes)
    assert 3 <= len(agenda.items) <= 6
    assert sum(item.minutes for item in agenda.items) == minutes
    ties = {item.ties_to.split(":")[0] for item in agenda.items}
    assert "goal" in ties
    if minutes >= 30:
        assert {"action", "question", "topic"} <= ties
        assert any("Ben: send the draft deck" in i.title for i in agenda.items)
    assert 1 <= len(agenda.prompts) <= 5 and all(p.endswith("?") for p in agenda.prompts)


def test_a_coordinator_gets_no_agenda_built_from_notes(sessions: Sessions, pair: str) -> None:
    with pytest.raises(NotesAccessDenied):
        sessions.agenda(Viewer(person_id="cora", role="coordinator"), pair, 30)


def test_questions_are_concrete_and_grounded(sessions: Sessions) -> None:
    questions = sessions.questions(
        "ben", None, "The board moved the review to March. I rehearsed twice."
    )
    assert 3 <= len(questions) <= 5
    assert any("board moved the review to March" in q for q in questions)
    assert any("Present our Q1 results" in q for q in questions)
    assert [q for _, q in sessions.saved_questions("ben")] == questions


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        pytest.param(
            "How did 'send the deck by 5 May' go?",
            "How did sending the deck by 5 May go?",
            True,
            id="reworded",
        ),
        pytest.param(
            "How did 'send the deck by 5 May' go?",
            "How did sending the deck by 9 May go?",
            False,
            id="changed-number",
        ),
        pytest.param(
            "Goal: present to the board", "Talk about the weather", False, id="lost-content"
        ),
        pytest.param("What went well?", "What went well.", False, id="no-longer-a-question"),
    ],
)
def test_only_faithful_rewordings_are_kept(old: str, new: str, kept: bool) -> None:
    assert faithful(old, new) is kept


def test_rewording_by_the_model_is_used_when_faithful(sessions: Sessions, pair: str) -> None:
    local = sessions.gateway.local
    base = sessions.agenda(Viewer(person_id="ada", role="mentor"), pair, 30, wording=False)
    titles = [i.title for i in base.items]
    local.enqueue(
        json.dumps({"items": [titles[0].replace("Check-in", "Check in"), *titles[1:]]}),
        json.dumps({"items": ["x"]}),
    )
    worded = sessions.agenda(Viewer(person_id="ada", role="mentor"), pair, 30)
    assert worded.items[0].title.startswith("Check in") and worded.model == "local-fake"
    assert local.history[-1].confidential


def test_agenda_cli(sessions: Sessions, pair: str) -> None:
    result = CliRunner().invoke(
        app, ["agenda", pair, "--minutes", "30", "--as", "ada", "--no-wording", "--json"]
    )
    assert result.exit_code == 0, result.output
    agenda = json.loads(result.stdout)
    assert sum(i["minutes"] for i in agenda["items"]) == 30
