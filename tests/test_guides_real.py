"""The guidance library on the bundled encoder and the starter guides (marked slow; runs
in CI): answers cite the right guide, the no-answer path, the links the companion gives,
and the commands."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.guides import (
    NOTHING_FOUND,
    Audience,
    GuideLibrary,
    Topic,
    answer_question,
    audiences_for,
    link_for,
)
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.models import Profile, Viewer
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_START

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(autouse=True)
def bundled_encoder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "minilm")


def silent_gateway() -> LLMGateway:
    """A local model that says nothing supported: the answer is the passages quoted."""
    local = FakeChatModel("local-fake", default="Mentoring is a journey.")
    return LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)


@pytest.mark.parametrize(
    ("question", "profile", "guide", "heading_has"),
    [
        pytest.param(
            "how do i kick off the very first meeting with my new mentee",
            Profile.MENTOR,
            "mentor-guide",
            "first session",
            id="first-session",
        ),  # fmt: skip
        pytest.param(
            "can the programme team read what we write in our notes?",
            Profile.MENTEE,
            "mentee-guide",
            "confidential notes",
            id="notes-private",
        ),  # fmt: skip
        pytest.param(
            "my mentor and i havent met in 2 months, how do we get going again",
            Profile.MENTEE,
            "ending-well",
            "restart|meeting rhythm",
            id="restart",
        ),  # fmt: skip
    ],
)
def test_answers_cite_the_guide_that_answers(
    workspace: Workspace, question: str, profile: Profile, guide: str, heading_has: str
) -> None:
    answer = answer_question(
        GuideLibrary(workspace), question, audiences_for([profile]), silent_gateway()
    )
    assert answer.found and answer.quoted
    assert any(
        c.guide_id == guide and re.search(heading_has, c.heading.lower()) for c in answer.citations
    ), [(c.guide_id, c.heading) for c in answer.citations]
    for citation in answer.citations:  # every quote is the guide's own words
        passage = GuideLibrary(workspace).passage(citation.passage_id)
        assert passage is not None
        for line in citation.quote.splitlines():
            assert line.removesuffix(" ...") in passage.text


def test_a_question_the_guides_do_not_answer_is_declined(workspace: Workspace) -> None:
    local = FakeChatModel("local-fake", default="The payday is the 25th.")
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    answer = answer_question(
        GuideLibrary(workspace), "when is payday this month", list(Audience), gateway
    )
    assert not answer.found and answer.text() == NOTHING_FOUND and local.history == []


def test_the_first_sessions_agenda_links_the_first_session_guide(
    workspace: Workspace, pair: str
) -> None:
    from companion.lifecycle import Meetings
    from companion.sessions import Sessions

    sessions = Sessions(workspace, silent_gateway())
    agenda = sessions.agenda(Viewer(person_id="ada", role=Profile.MENTOR), pair, 30, False)
    assert agenda.guide is not None and "first session" in agenda.guide.heading.lower()
    assert agenda.guide.guide == "A guide for mentors"
    Meetings(workspace).log(pair, workspace.settings.current_date(), 30, "ben")
    agenda = sessions.agenda(Viewer(person_id="ada", role=Profile.MENTOR), pair, 30, False)
    assert agenda.guide is None  # they have met: no first-session guide
    shown = runner.invoke(app, ["agenda", pair, "--as", "ada", "--no-wording"])
    assert "first session" not in shown.stdout


def test_a_stalled_pairs_reminder_links_the_restart_guide(programme: str) -> None:
    from companion.lifecycle import Meetings, Nudges

    def at(day: int) -> Workspace:
        return Workspace(Settings(today=PROGRAMME_START + dt.timedelta(days=day)))

    Meetings(at(3)).log(programme, PROGRAMME_START + dt.timedelta(days=3), 30, "ben")
    made = [n for n in Nudges(at(31)).send().planned if n.kind == "no-meeting"]
    assert {n.person_id for n in made} == {"ben", "ada"}
    for nudge in made:
        assert (
            nudge.guide is not None and nudge.guide.guide == "Ending a mentoring relationship well"
        )
        assert re.search("restart|stall|rhythm", nudge.guide.heading.lower())
        assert f"From your programme's guides: {nudge.guide.label()}" in nudge.text


def test_goal_questions_link_the_mentee_guides_section_on_goals(workspace: Workspace) -> None:
    found = link_for(GuideLibrary(workspace), Topic.GOALS, audiences_for([Profile.MENTEE]))
    assert found is not None and found.guide == "A guide for mentees"
    assert "goal" in found.heading.lower()


def test_the_guides_commands(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["guides", "list", "--json"])
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 5
    own = tmp_path / "Expenses policy.html"
    own.write_text(
        "<h1>Expenses for mentoring</h1><h2>Coffee</h2><p>Mentoring coffees are paid from "
        "the team budget, up to 10 pounds a month per pair.</p>",
        encoding="utf-8",
    )
    added = runner.invoke(app, ["guides", "add", str(own), "--audience", "mentee"])
    assert (
        added.exit_code == 0 and "Added 'Expenses for mentoring' (expenses-policy)" in added.stdout
    )
    again = runner.invoke(app, ["guides", "add", str(own), "--audience", "mentee"])
    assert "Replaced 'Expenses for mentoring'" in again.stdout
    asked = runner.invoke(app, ["ask", "can I expense the coffee with my mentor?", "--json"])
    answer = json.loads(asked.stdout)
    assert answer["found"] and answer["citations"][0]["guide_id"] == "expenses-policy"
    assert "10 pounds a month" in answer["citations"][0]["quote"]
    shown = runner.invoke(app, ["guides", "show", "expenses-policy"])
    assert "## Coffee" in shown.stdout and "10 pounds" in shown.stdout
    removed = runner.invoke(app, ["guides", "remove", "expenses-policy"])
    assert removed.exit_code == 0
    gone = runner.invoke(app, ["guides", "show", "expenses-policy"])
    assert gone.exit_code == 1 and "no guide 'expenses-policy'" in gone.stderr
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    refused = runner.invoke(app, ["guides", "add", str(bad)])
    assert refused.exit_code == 1 and "scan.pdf: not a readable PDF" in refused.stderr
    nobody = runner.invoke(app, ["ask", "first session?", "--as", "zed"])
    assert nobody.exit_code == 1 and "no person 'zed'" in nobody.stderr
