"""SMART goals: the checker, drafting with repair, questions instead of papering over."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.goals import GoalContext, Goals, SmartGoal, check_smart, draft_smart_goal
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.workspace import Workspace

TODAY = dt.date(2027, 1, 11)
CTX = GoalContext(
    today=TODAY,
    programme_start=TODAY,
    programme_end=dt.date(2027, 6, 25),
    wanted=["presenting to executives", "public speaking"],
)


def failing(statement: str, due: dt.date | None) -> list[str]:
    checks = check_smart(SmartGoal(statement=statement, due_date=due), CTX)
    return [c.criterion for c in checks if not c.passed]


@pytest.mark.parametrize(
    ("statement", "due", "fails"),
    [
        pytest.param(
            "Present our Q1 results to the leadership team in a 10-minute slot by 30 April",
            dt.date(2027, 4, 30),
            [],
            id="smart",
        ),
        pytest.param(
            "I want to get better at presenting",
            None,
            ["specific", "measurable", "time_bound"],
            id="vague",
        ),
        pytest.param(
            "Give two talks at the public speaking club before the end of March",
            dt.date(2027, 3, 31),
            [],
            id="two-talks",
        ),
        pytest.param(
            "Present our results to the board by 30 September",
            dt.date(2027, 9, 30),
            ["time_bound"],
            id="after-the-programme",
        ),
        pytest.param(
            "Present our results to the board next Friday",
            dt.date(2027, 1, 15),
            ["achievable"],
            id="too-soon",
        ),
        pytest.param(
            "Migrate the billing database to Postgres with zero downtime by May",
            dt.date(2027, 5, 31),
            ["relevant"],
            id="unrelated",
        ),
        pytest.param(
            "I am a seasoned professional in this field",
            None,
            ["specific", "measurable", "relevant", "time_bound"],
            id="not-a-goal",
        ),
    ],
)
def test_the_checker_judges_each_criterion(
    statement: str, due: dt.date | None, fails: list[str]
) -> None:
    assert failing(statement, due) == fails


def gateway(*replies: str) -> tuple[LLMGateway, FakeChatModel]:
    model = FakeChatModel("general-fake", local=False).enqueue(*replies)
    return LLMGateway(LLMSettings(), general=model, local=FakeChatModel()), model


def proposal(statement: str) -> str:
    return json.dumps(
        {
            "statement": statement,
            "specific": "",
            "measurable": "",
            "achievable": "",
            "relevant": "",
            "time_bound": "",
        }
    )


def test_an_invented_deadline_is_refused_and_becomes_a_question() -> None:
    gw, model = gateway(proposal("Present our results to the board in 3 slides by 30 April."))
    draft = draft_smart_goal("Present our results to the board in 3 slides", CTX, gw)
    assert draft.goal.statement == "Present our results to the board in 3 slides"
    assert draft.goal.due_date is None and not draft.passed
    assert draft.questions == [
        "By when would you like to do this? The programme runs until 25 June 2027."
    ]
    assert model.history[0].json_schema is not None and model.history[0].confidential is False


def test_a_failing_criterion_gets_one_targeted_repair() -> None:
    gw, model = gateway(
        proposal("I want to get better at presenting to executives by 30 April."),
        json.dumps(
            {
                "statement": "Present to executives at the April town hall by 30 April "
                "and get their sign-off."
            }
        ),
    )
    text = "I want to get better at presenting to executives by 30 April, at the town hall"
    draft = draft_smart_goal(text, CTX, gw)
    assert draft.repaired == ["specific"]
    assert draft.passed, draft.checks
    assert "specific" in model.history[1].messages[0]["content"]


def test_a_repair_that_invents_facts_is_ignored() -> None:
    gw, _ = gateway(
        proposal("Get better at presenting"),
        json.dumps({"statement": "Present to 40 executives by 2 May"}),
        json.dumps({"statement": "x"}),
        json.dumps({"statement": "y"}),
    )
    draft = draft_smart_goal("Get better at presenting to executives", CTX, gw)
    assert draft.repaired == [] and not draft.passed
    assert {c.criterion for c in draft.checks if not c.passed} >= {"specific", "time_bound"}
    assert all("40" not in q for q in draft.questions)


def test_garbage_from_the_model_still_gives_checks_and_questions() -> None:
    gw, _ = gateway("not json at all", "", "", "", "")
    draft = draft_smart_goal("Improve my slides", CTX, gw)
    assert draft.goal.statement == "Improve my slides" and len(draft.questions) >= 3


def test_goals_are_stored_per_mentee_with_status_and_progress(
    workspace: Workspace, pair: str
) -> None:
    gw, _ = gateway(proposal(""))
    goals = Goals(Workspace(workspace.settings, gateway=gw), today=TODAY)
    _, stored = goals.draft("ben", "Present our Q1 results to the board in 10 minutes by 30 April")
    assert stored.status in ("active", "draft") and stored.mentee_id == "ben"
    assert [g.id for g in goals.store.for_mentee("ben")] == [stored.id]
    done = goals.progress(stored.id, 100)
    assert done.status == "done" and goals.store.get(stored.id).progress == 100


@pytest.mark.slow
def test_goal_draft_on_the_embedded_model_with_no_network(
    workspace: Workspace, pair: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_connect = socket.socket.connect

    def loopback_only(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else ""
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"network unreachable (test): {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    runner = CliRunner()
    done = runner.invoke(
        app,
        [
            "goal",
            "draft",
            "ben",
            "--json",
            "Present our quarterly results to the board in a 10-minute talk by 30 April",
        ],
    )
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["passed"] != bool(result["questions"])
    vague = json.loads(
        runner.invoke(
            app, ["goal", "draft", "ben", "--json", "I want to get better at presenting"]
        ).stdout
    )
    assert not vague["passed"]
    assert any(q.startswith("By when") for q in vague["questions"])
