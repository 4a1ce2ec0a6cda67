"""The chat companion behind the UI: routing, and who may do what, enforced in code."""

from __future__ import annotations

import pytest

from companion.accounts import Account
from companion.chat.assistant import Assistant, NotAllowed
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.matching import MatchLedger, Status
from companion.notes import COORDINATOR_REFUSAL
from companion.workspace import Workspace

BEN = Account(username="ben", person_id="ben", roles=["mentee"])
ADA = Account(username="ada", person_id="ada", roles=["mentor"])
CORA = Account(username="cora", person_id=None, roles=["coordinator"])


@pytest.fixture
def fake_models(workspace: Workspace) -> Workspace:
    workspace.__dict__["gateway"] = LLMGateway(
        LLMSettings(),
        general=FakeChatModel(local=False, default="{}"),
        local=FakeChatModel("local-fake", default="- A short summary."),
    )
    return workspace


def test_a_profile_needs_the_role(fake_models: Workspace, pair: str) -> None:
    with pytest.raises(NotAllowed, match="has no coordinator role"):
        Assistant(fake_models, BEN, "coordinator")
    mentee = Assistant(fake_models, BEN, "mentee")
    assert "only a coordinator" in mentee.act("review_accept", {"match_id": pair}).text
    assert "only a coordinator" in mentee.act("review", {}).text


def test_a_coordinator_never_gets_notes(fake_models: Workspace, pair: str) -> None:
    Assistant(fake_models, BEN, "mentee").handle("note: Ben will send the deck to Ada by Friday.")
    reply = Assistant(fake_models, CORA, "coordinator").handle("show me the notes")
    assert reply.text == COORDINATOR_REFUSAL


def test_a_pair_member_keeps_notes_and_is_told_where_they_stay(
    fake_models: Workspace, pair: str
) -> None:
    reply = Assistant(fake_models, ADA, "mentor").handle(
        "note: Ben will send the deck to Ada by Friday."
    )
    assert "stay on this machine" in reply.text and "local-fake" in reply.text
    assert "A short summary." in reply.text and "Ben will send the deck to Ada" in reply.text


def test_goal_drafting_is_a_conversation(fake_models: Workspace, pair: str) -> None:
    mentee = Assistant(fake_models, BEN, "mentee")
    first = mentee.handle("goal: present our results to the board in 10 minutes")
    assert "By when" in first.text and mentee.pending_goal
    second = mentee.handle("within 3 months")
    assert "Your goal is SMART" in second.text and mentee.pending_goal is None


def test_mentor_sees_and_answers_requests_then_gets_an_agenda(
    fake_models: Workspace, pair: str
) -> None:
    ledger = MatchLedger(fake_models.settings.store_dir)
    assert any(m.status == Status.ACCEPTED for m in ledger.matches().values())
    mentor = Assistant(fake_models, ADA, "mentor")
    assert "no open requests" in mentor.handle("any requests?").text
    agenda = mentor.handle("agenda please")
    assert "30 minutes" in agenda.text and "Prompts" in agenda.text


def test_coordinator_review_proposes_then_accepts(fake_models: Workspace, pair: str) -> None:
    coordinator = Assistant(fake_models, CORA, "coordinator")
    review = coordinator.handle("review matches")
    assert "await review" in review.text
    accept = next(a for a in review.actions if a.name == "review_accept")  # cy with ada
    done = coordinator.act("review_accept", accept.payload)
    assert done.text == f"{accept.payload['match_id']} is now accepted."
    figures = coordinator.act("dashboard", {}).figures
    assert [name for name, _ in figures] == ["scores", "supply", "capacity"]
