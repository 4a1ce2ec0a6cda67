"""The chat companion behind the UI: routing, and who may do what, enforced in code."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.accounts import Account
from companion.chat.assistant import NOTE_COMMAND, Assistant, NotAllowed
from companion.goals import Goals
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.matching import MatchLedger, Status
from companion.notes import COORDINATOR_REFUSAL
from companion.workspace import Workspace

BEN = Account(username="ben", person_id="ben", roles=["mentee"])
ADA = Account(username="ada", person_id="ada", roles=["mentor"])
CORA = Account(username="cora", person_id=None, roles=["coordinator"])


@pytest.fixture
def fake_models(workspace: Workspace) -> Workspace:
    gateway = LLMGateway(
        LLMSettings(),
        general=FakeChatModel(local=False, default="{}"),
        local=FakeChatModel("local-fake", default="- Ben will send the deck by Friday."),
    )
    return Workspace(workspace.settings, gateway=gateway)


def test_a_profile_needs_the_role(fake_models: Workspace, pair: str) -> None:
    with pytest.raises(NotAllowed, match="has no coordinator role"):
        Assistant(fake_models, BEN, "coordinator")
    mentee = Assistant(fake_models, BEN, "mentee")
    assert "only a coordinator" in mentee.act("review_accept", {"match_id": pair}).text
    assert "only a coordinator" in mentee.act("review", {}).text


def test_a_coordinator_never_gets_notes(fake_models: Workspace, pair: str) -> None:
    Assistant(fake_models, BEN, "mentee").handle(
        "Ben will send the deck to Ada by Friday.", command=NOTE_COMMAND
    )
    coordinator = Assistant(fake_models, CORA, "coordinator")
    assert "Ben will send" not in coordinator.handle("show me the notes").text
    assert coordinator.handle("", command="summary").text == COORDINATOR_REFUSAL
    assert coordinator.handle("anything", command=NOTE_COMMAND).text == COORDINATOR_REFUSAL


def test_a_pair_member_keeps_notes_and_is_told_where_they_stay(
    fake_models: Workspace, pair: str
) -> None:
    reply = Assistant(fake_models, ADA, "mentor").handle(
        "Ben will send the deck to Ada by Friday.", command=NOTE_COMMAND
    )
    assert "Saved to your notes with **Ben Tran**" in reply.text and reply.confidential
    assert "never stored in the chat history" in reply.text and "local-fake" in reply.text
    assert "- Ben will send the deck by Friday." in reply.text
    assert "Ben: send the deck to Ada by Friday" in reply.text


def note_files(workspace: Workspace) -> list[str]:
    return sorted(p.parent.name for p in workspace.settings.notes_dir.rglob("*.note"))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("notes on the roadmap review we did", id="mentions-notes"),
        pytest.param("note to self: ask about the budget tomorrow", id="note-to-self"),
        pytest.param("can you show my notes", id="asks-for-notes"),
    ],
)
def test_free_text_about_notes_never_writes_a_note(
    fake_models: Workspace, pair: str, text: str
) -> None:
    reply = Assistant(fake_models, ADA, "mentor").handle(text)
    assert note_files(fake_models) == []
    assert "/note" in reply.text and not reply.confidential
    menu = Assistant(fake_models, ADA, "mentor").handle("", command="summary")
    assert [a.label for a in menu.actions] == ["Latest note with Ben Tran"]


@pytest.fixture
def two_pairs(fake_models: Workspace, tmp_path) -> dict[str, str]:
    """Cleo is Ada's mentee and Dev's mentor; Ada mentors Ben and Cleo."""
    from companion.imports import import_people
    from companion.matching import Matcher, MatchReview
    from tests.conftest import write_csv
    from tests.test_review import row

    rows = [
        row("ada", "mentor", name="Ada Okafor", capacity="3"),
        row("ben", "mentee", name="Ben Tran"),
        row("cleo", "both", name="Cleo Park", capacity="2", skills_wanted="python"),
        row("dev", "mentee", name="Dev Rao"),
    ]
    ws = fake_models
    import_people(write_csv(tmp_path / "two.csv", rows), ws.store, ws.embedder)
    review = MatchReview(Matcher(ws))
    return {
        pair: review.override(*pair.split(">"), by="Cora", reason="test", force=True).id
        for pair in ("ben>ada", "cleo>ada", "dev>cleo")
    }


def test_a_person_in_both_roles_writes_to_the_pair_of_the_profile_in_use(
    fake_models: Workspace, two_pairs: dict[str, str]
) -> None:
    cleo = Account(username="cleo", person_id="cleo", roles=["mentee", "mentor"])
    as_mentor = Assistant(fake_models, cleo, "mentor").handle(
        "Dev will draft the test plan by Friday.", command=NOTE_COMMAND
    )
    assert "Saved to your notes with **Dev Rao**" in as_mentor.text
    assert note_files(fake_models) == [two_pairs["dev>cleo"]]
    as_mentee = Assistant(fake_models, cleo, "mentee").handle(
        "I will send Ada my slides by Monday.", command=NOTE_COMMAND
    )
    assert "Saved to your notes with **Ada Okafor**" in as_mentee.text
    assert note_files(fake_models) == sorted([two_pairs["dev>cleo"], two_pairs["cleo>ada"]])


def test_a_mentor_with_two_mentees_chooses_the_pair_before_anything_is_saved(
    fake_models: Workspace, two_pairs: dict[str, str]
) -> None:
    ada = Assistant(
        fake_models, Account(username="ada", person_id="ada", roles=["mentor"]), "mentor"
    )
    asked = ada.handle("Cleo agreed to pick two engineers for the pilot.", command=NOTE_COMMAND)
    assert "Which pair is this note for?" in asked.text and note_files(fake_models) == []
    assert "Cleo agreed" not in asked.text and not asked.confidential
    choices = {a.label: a for a in asked.actions}
    assert set(choices) == {"With Ben Tran", "With Cleo Park"}
    saved = ada.act("note_pair", choices["With Cleo Park"].payload)
    assert "Saved to your notes with **Cleo Park**" in saved.text and saved.confidential
    assert note_files(fake_models) == [two_pairs["cleo>ada"]]
    # The next note asks again: it may be about the other mentee (a trial saved it to the
    # pair chosen before).
    again = ada.handle("Ben will shadow the P&L review in two weeks.", command=NOTE_COMMAND)
    assert "Which pair is this note for?" in again.text
    assert note_files(fake_models) == [two_pairs["cleo>ada"]]
    ada.act("note_pair", {a.label: a for a in again.actions}["With Ben Tran"].payload)
    assert sorted(note_files(fake_models)) == sorted([two_pairs["cleo>ada"], two_pairs["ben>ada"]])
    refused = ada.act("note_pair", {"pair_id": two_pairs["dev>cleo"]})
    assert "not one of your active pairs" in refused.text


def test_goal_drafting_is_a_conversation(fake_models: Workspace, pair: str) -> None:
    mentee = Assistant(fake_models, BEN, "mentee")
    first = mentee.handle("present our results to the board in 10 minutes", command="goal")
    assert "By when" in first.text and mentee.pending_goal
    assert [a.name for a in first.actions] == ["goal_skip", "goal_restart"]
    second = mentee.handle("within 3 months")
    assert "Here is your goal" in second.text and mentee.pending_goal is not None
    assert Goals(fake_models).confirmed("ben") == []  # nothing kept before it is confirmed
    saved = mentee.act("goal_save", {})
    assert saved.text.startswith("Saved.") and mentee.pending_goal is None
    assert len(Goals(fake_models).confirmed("ben")) == 1
    again = mentee.handle("improve", command="goal")
    restarted = mentee.handle("start again")
    assert "Tell me the goal in your own words" in restarted.text and again.actions


def test_mentor_sees_and_answers_requests_then_gets_an_agenda(
    fake_models: Workspace, pair: str
) -> None:
    ledger = MatchLedger(fake_models.settings.store_dir)
    assert any(m.status == Status.ACCEPTED for m in ledger.matches().values())
    mentor = Assistant(fake_models, ADA, "mentor")
    assert "no open requests" in mentor.handle("", command="requests").text
    agenda = mentor.handle("", command="agenda")
    assert "30 minutes" in agenda.text and "Prompts" in agenda.text


def test_coordinator_review_proposes_then_accepts(fake_models: Workspace, pair: str) -> None:
    coordinator = Assistant(fake_models, CORA, "coordinator")
    review = coordinator.handle("", command="review")
    assert "await review" in review.text
    accept = next(a for a in review.actions if a.name == "review_accept")  # cy with ada
    assert accept.label == "Accept Cy Li with Ada Okafor" and "p0" not in review.text
    assert "**Cy Li**" in review.text and "**Ada Okafor**" in review.text
    done = coordinator.act("review_accept", accept.payload)
    assert done.text == "Accepted: **Cy Li with Ada Okafor**."
    figures = coordinator.act("dashboard", {}).figures
    assert [name for name, _ in figures] == ["scores", "supply", "capacity"]


@pytest.mark.parametrize(
    ("answer", "saved_with"),
    [
        pytest.param("cleo", "cleo>ada", id="first-name"),
        pytest.param("the one with Park pls", "cleo>ada", id="surname-in-a-sentence"),
        pytest.param("hmm which one", None, id="no-name-asks-again"),
        pytest.param("cancel", None, id="cancel-discards"),
    ],
)
def test_a_waiting_note_takes_its_pair_from_a_typed_name(
    fake_models: Workspace, two_pairs: dict[str, str], answer: str, saved_with: str | None
) -> None:
    ada = Assistant(
        fake_models, Account(username="ada", person_id="ada", roles=["mentor"]), "mentor"
    )
    ada.handle("Cleo agreed to pick two engineers for the pilot.", command=NOTE_COMMAND)
    reply = ada.handle(answer)
    if saved_with:
        assert note_files(fake_models) == [two_pairs[saved_with]]
        assert "Saved to your notes with **Cleo Park**" in reply.text
    else:
        assert note_files(fake_models) == []
        assert ("not saved yet" in reply.text) == (answer != "cancel")
        assert ("discarded" in reply.text) == (answer == "cancel")


def test_a_rejection_asks_for_its_reason_and_records_it(fake_models: Workspace, pair: str) -> None:
    coordinator = Assistant(fake_models, CORA, "coordinator")
    reject = next(
        a for a in coordinator.handle("", command="review").actions if a.name == "review_reject"
    )
    asked = coordinator.act("review_reject", reject.payload)
    assert asked.text.startswith("Why reject Cy Li with Ada Okafor?")
    ledger = MatchLedger(fake_models.settings.store_dir)
    assert ledger.matches()[reject.payload["match_id"]].status == Status.PROPOSED
    done = coordinator.handle("Cy needs a mentor in her own time zone")
    assert done.text == "Rejected: **Cy Li with Ada Okafor**."
    last = MatchLedger(fake_models.settings.store_dir).matches()[reject.payload["match_id"]]
    assert last.status == Status.REJECTED
    assert last.events[-1].reason == "Cy needs a mentor in her own time zone"


def test_mentors_and_mentees_see_names_not_ids(fake_models: Workspace, pair: str) -> None:
    ada = Assistant(fake_models, ADA, "mentor")
    agenda = ada.handle("", command="agenda")
    assert "**Ben Tran**, 30 minutes" in agenda.text and "m-" not in agenda.text


def test_a_request_and_its_answer_name_the_people(fake_models: Workspace, pair: str) -> None:
    cy = Assistant(fake_models, Account(username="cy", person_id="cy", roles=["mentee"]), "mentee")
    sent = cy.act("request", {"mentor_id": "ada"})
    assert sent.text.startswith("Request sent to **Ada Okafor**")
    ada = Assistant(fake_models, ADA, "mentor")
    requests = ada.act("requests", {})
    assert "**Cy Li**" in requests.text and "m-" not in requests.text
    assert [a.label for a in requests.actions] == ["Accept Cy Li", "Decline Cy Li"]
    accepted = ada.act("respond", requests.actions[0].payload)
    assert accepted.text == "You accepted **Cy Li**: you are now their mentor."


def stored_state(workspace: Workspace) -> tuple:
    from companion.goals import Goals

    events = len(MatchLedger(workspace.settings.store_dir).events())
    goals = len(Goals(workspace).store.for_mentee("ben")) + len(
        Goals(workspace).store.for_mentee("cy")
    )
    return events, goals, note_files(workspace)


CY = Account(username="cy", person_id="cy", roles=["mentee"])


@pytest.mark.parametrize(
    ("account", "profile", "messages"),
    [
        pytest.param(CY, "mentee", ["notes on the roadmap review we did"], id="notes-on-a-review"),
        pytest.param(
            CY, "mentee", ["prepare questions for my next session"], id="asks-for-questions"
        ),
        pytest.param(
            CY, "mentee", ["Can you summarise our last session?"], id="asks-for-a-summary"
        ),
        pytest.param(CORA, "coordinator", ["review"], id="coordinator-types-review"),
        pytest.param(ADA, "mentor", ["accept", "yes accept them all"], id="mentor-types-accept"),
        pytest.param(
            CY,
            "mentee",
            ["I'd like a mentor who knows finance and can help me present to the board " * 3],
            id="a-long-message",
        ),
    ],
)
def test_free_text_outside_a_conversation_writes_nothing_and_gets_the_commands(
    fake_models: Workspace, pair: str, account: Account, profile: str, messages: list[str]
) -> None:
    chat = Assistant(fake_models, account, profile)
    before = stored_state(fake_models)
    for message in messages:
        reply = chat.handle(message)
        assert "I only act on commands" in reply.text and "/help" in reply.text
    assert stored_state(fake_models) == before


@pytest.mark.parametrize(
    ("way_out", "expected"),
    [
        pytest.param({"message": "stop"}, "Goal drafting stopped", id="stop"),
        pytest.param({"message": "Cancel."}, "Goal drafting stopped", id="cancel"),
        pytest.param({"message": "help"}, "Here is what I can do", id="help"),
        # Ben is paired: /suggest says so, and offers other mentors or says why none
        pytest.param({"message": "", "command": "suggest"}, "already paired with", id="a-command"),
    ],
)
def test_a_goal_conversation_can_always_be_left(
    fake_models: Workspace, pair: str, way_out: dict, expected: str
) -> None:
    mentee = Assistant(fake_models, BEN, "mentee")
    mentee.handle("get better at presenting", command="goal")
    assert mentee.pending_goal is not None
    reply = mentee.handle(way_out["message"], command=way_out.get("command"))
    assert expected in reply.text and mentee.pending_goal is None
    after = mentee.handle("Actually, which mentors would suit me?")
    assert "I only act on commands" in after.text  # not appended to the old goal


def test_the_printed_demo_sign_ins_close_the_mentee_mentor_loop(workspace: Workspace) -> None:
    from typer.testing import CliRunner

    from companion.accounts import Accounts
    from companion.cli import app

    made = CliRunner().invoke(app, ["demo", "--people", "60", "--seed", "5"])
    assert made.exit_code == 0, made.output
    accounts = Accounts(workspace.store)
    mentee, mentor = accounts.get("mentee1"), accounts.get("mentor1")
    assert mentee is not None and mentor is not None
    chat = Assistant(workspace, mentee, "mentee")
    request = next(
        a for a in chat.act("suggest", {}).actions if a.payload["mentor_id"] == mentor.person_id
    )
    assert chat.act("request", request.payload).text.startswith("Request sent to **")
    mentor_chat = Assistant(workspace, mentor, "mentor")
    assert "Waiting for your answer:" in mentor_chat.welcome().text
    answer = mentor_chat.act("respond", mentor_chat.act("requests", {}).actions[0].payload)
    assert answer.text.startswith("You accepted **")


def test_a_person_with_both_roles_hears_of_waiting_requests_on_any_profile(
    fake_models: Workspace, two_pairs: dict[str, str]
) -> None:
    cleo = Account(username="cleo", person_id="cleo", roles=["mentee", "mentor"])
    from companion.matching.ledger import MatchEvent

    ledger = MatchLedger(fake_models.settings.store_dir)
    ledger.append(
        [
            MatchEvent(
                seq=99,
                at=dt.datetime.now(dt.UTC),
                actor="ben",
                actor_role="mentee",
                action="request",
                match_id="m-00000000beef",
                mentee_id="ben",
                mentor_id="cleo",
                status=Status.REQUESTED,
            )
        ]
    )
    as_mentee = Assistant(fake_models, cleo, "mentee").welcome().text
    assert "As a mentor, you have requests waiting:** Ben Tran" in as_mentee
    assert (
        "Waiting for your answer:** Ben Tran"
        in Assistant(fake_models, cleo, "mentor").welcome().text
    )


def test_the_coordinator_pages_through_every_proposal(workspace: Workspace) -> None:
    from typer.testing import CliRunner

    from companion.cli import app

    assert CliRunner().invoke(app, ["demo", "--people", "60", "--seed", "5"]).exit_code == 0
    coordinator = Assistant(workspace, CORA, "coordinator")
    seen: list[str] = []
    page = coordinator.handle("", command="review")
    total = int(page.text.split()[0])
    assert total > 8 and "1-8 shown" in page.text
    while True:
        seen += [a.payload["match_id"] for a in page.actions if a.name == "review_accept"]
        more = [a for a in page.actions if a.name == "review"]
        if not more:
            break
        assert more[0].label == "Next 8"
        page = coordinator.act("review", more[0].payload)
    assert len(seen) == len(set(seen)) == total


def test_dashboard_plots_show_names_titles_and_whole_numbers(
    fake_models: Workspace, pair: str
) -> None:
    figures = dict(Assistant(fake_models, CORA, "coordinator").act("dashboard", {}).figures)
    load = figures["capacity"]
    assert list(load.data[0].y) == ["Ada Okafor"]  # a name, never an id
    assert load.layout.xaxis.title.text == "mentees" and load.layout.xaxis.dtick == 1
    supply = figures["supply"]
    assert supply.layout.yaxis.title.text == "people" and supply.layout.yaxis.tickformat == "d"
    assert supply.layout.xaxis.automargin  # long skill names are not cut


def test_bulk_accept_is_previewed_by_name_and_written_only_when_confirmed(
    fake_models: Workspace, pair: str
) -> None:
    coordinator = Assistant(fake_models, CORA, "coordinator")
    page = coordinator.handle("", command="review")
    assert [a.name for a in page.actions][-1] == "bulk"
    before = stored_state(fake_models)
    menu = coordinator.act("bulk", {})
    assert menu.text.startswith("1 proposal is open") and len(menu.actions) == 1
    score = menu.actions[0].payload["score"]
    preview = coordinator.act("bulk", menu.actions[0].payload)
    assert "would pair 1" in preview.text and "Cy Li with Ada Okafor" in preview.text
    typed = coordinator.handle(f"{score * 100:.0f}%", command="accept")
    assert typed.text == preview.text
    assert stored_state(fake_models) == before  # a preview writes nothing
    assert coordinator.handle("lots", command="accept").refused
    assert "No open proposal" in coordinator.handle("0.99", command="accept").text
    done = coordinator.act("bulk_accept", preview.actions[0].payload)
    assert done.text == f"Accepted 1 proposal(s) scoring at least {score:.2f}."
    matches = MatchLedger(fake_models.settings.store_dir).matches().values()
    assert any(m.mentee_id == "cy" and m.status == Status.ACCEPTED for m in matches)
    assert (
        "only a coordinator"
        in Assistant(fake_models, BEN, "mentee").act("bulk_accept", {"score": 0.1}).text
    )


def test_what_a_trial_found_mentees_stumble_on(fake_models: Workspace, pair: str) -> None:
    cy = Assistant(fake_models, Account(username="cy", person_id="cy", roles=["mentee"]), "mentee")
    # Questions without a saved goal: a plain answer, not a crash.
    no_goal = cy.handle("", command="questions")
    assert no_goal.refused and "/goal" in no_goal.text
    # After a request, the suggestions say so and offer no second request.
    cy.act("request", {"mentor_id": "ada"})
    again = cy.handle("", command="suggest")
    assert "you asked them" in again.text and "Request Ada Okafor" not in [
        a.label for a in again.actions
    ]
    # A question back during goal drafting is not taken as the answer.
    cy.handle("get better at stuff", command="goal")
    before = cy.pending_goal.model_copy(deep=True)
    back = cy.handle("what do you mean?")
    assert "I am asking so that the goal says" in back.text
    assert cy.pending_goal.slots == before.slots
    assert cy.welcome().text.startswith("Hello Cy.")


def test_a_paired_mentee_is_told_and_offered_no_requests(fake_models: Workspace, pair: str) -> None:
    reply = Assistant(fake_models, BEN, "mentee").handle("", command="suggest")
    assert reply.text.startswith("You are already paired with")
    assert not [a for a in reply.actions if a.name == "request"]


def test_the_outcomes_view_shows_the_report_plots_and_offers_the_file(
    fake_models: Workspace, pair: str
) -> None:
    reply = Assistant(fake_models, CORA, "coordinator").act("outcomes", {})
    assert [name for name, _ in reply.figures] == [
        "funnel", "meetings", "health", "checkins", "skills", "fairness", "comparison"
    ]  # fmt: skip
    [(name, path)] = reply.files
    assert name.startswith("outcomes-") and path.read_text().startswith("<!DOCTYPE html>")
    assert "**Outcomes**" in reply.text and "No outcomes" not in reply.text
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # private, like the rest of the data
    mentee = Assistant(fake_models, BEN, "mentee")
    assert mentee.act("outcomes", {}).refused


def test_outcomes_take_a_grouping_for_fairness(fake_models: Workspace, pair: str) -> None:
    coordinator = Assistant(fake_models, CORA, "coordinator")
    by_place = coordinator.handle("fairness by Location please", command="outcomes")
    assert "Fairness by location" in by_place.text and not by_place.refused
    unknown = coordinator.handle("by gender", command="outcomes")
    assert unknown.refused and "no attribute 'gender'" in unknown.text
