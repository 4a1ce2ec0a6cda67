"""The relationship in the chat, as people use it: a mentee logs a meeting by buttons and
typed days, a due check-in is asked at sign-in and says who sees it, nudges wait for the
next visit, a coordinator sees a stalled pair with its reason, its history without notes,
and ends it."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.accounts import Account
from companion.chat.assistant import Assistant
from companion.lifecycle import CheckIns, Meetings, Nudges
from companion.matching.ledger import Status
from companion.models import Profile, Viewer
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_START

START = PROGRAMME_START
BEN = Account(username="ben", person_id="ben", roles=["mentee"])
ADA = Account(username="ada", person_id="ada", roles=["mentor"])
CORA = Account(username="cora", person_id=None, roles=["coordinator"])


def chat(account: Account, profile: str, day: int) -> Assistant:
    workspace = Workspace(Settings(today=START + dt.timedelta(days=day)))
    return Assistant(workspace, account, profile)


def labels(reply) -> list[str]:
    return [a.label for a in reply.actions]


def test_a_mentee_logs_a_meeting_with_buttons_and_typed_answers(programme: str) -> None:
    ben = chat(BEN, "mentee", 20)
    asked = ben.handle("", command="meeting")
    assert "Ada Okafor" in asked.text and labels(asked) == ["Today", "Yesterday"]
    assert "I could not read" in ben.handle("the thursday before the big storm").text
    minutes = ben.handle("last Tuesday")
    assert "On Tuesday 26 January" in minutes.text
    assert "between 1 and 600" in ben.handle("about 900 minutes").text
    modes = ben.handle("45 minutes")
    assert labels(modes) == ["In person", "Video", "Call", "Chat"]
    done = ben.act("meeting_mode", {"mode": "call"})
    assert "Logged: 45 minutes (call) with **Ada Okafor** on 26 January" in done.text
    assert "1 of 4 meetings held" in done.text
    (meeting,) = Meetings(ben.workspace).store.meetings()
    assert (meeting.on, meeting.minutes, meeting.mode, meeting.logged_by) == (
        dt.date(2027, 1, 26), 45, "call", "ben")  # fmt: skip


def test_a_day_to_come_or_before_the_match_is_refused_at_once_and_a_flow_can_be_left(
    programme: str,
) -> None:
    ben = chat(BEN, "mentee", 20)
    ben.handle("", command="meeting")
    assert "is still to come" in ben.handle("tomorrow").text
    assert "before you were matched" in ben.handle("3 January").text
    assert "I could not read '60'" in ben.handle("60").text  # a number is not a day
    assert "On Friday 29 January 2027" in ben.handle("2 days ago").text
    assert "I could not read" in ben.handle("a while").text
    assert labels(ben.handle("1h30")) == ["In person", "Video", "Call", "Chat"]
    done = ben.handle("video")  # typed, like the button
    assert "Logged: 90 minutes (video)" in done.text
    stale = ben.act("meeting_mode", {"mode": "call"})  # an old button, after the flow ended
    assert stale.refused and "no longer open" in stale.text
    ben.handle("", command="meeting")
    assert ben.handle("cancel").text == "Cancelled: nothing was saved."
    assert ben.life.flow is None and len(Meetings(ben.workspace).store.meetings()) == 1


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("45", 45), ("45mins", 45), ("1h", 60), ("1.5h", 90), ("1h30", 90), ("an hour", 60),
     ("half an hour", 30), ("an hour and a half", 90), ("2 hours", 120)],
)  # fmt: skip
def test_lengths_are_read_as_people_type_them(typed: str, minutes: int) -> None:
    from companion.chat.pair_life import read_minutes

    assert read_minutes(typed) == minutes


def test_a_due_check_in_is_asked_at_sign_in_and_says_who_sees_it(programme: str) -> None:
    ada = chat(ADA, "mentor", 31)
    welcome = ada.welcome()
    assert "day 30 check-in" in welcome.text and labels(welcome) == ["1", "2", "3", "4", "5"]
    assert "coordinator sees your ratings and comment. Your mentee does not" in welcome.text
    assert labels(ada.handle("2")) == ["1", "2", "3", "4", "5"]  # typed, like the button
    asked = ada.act("checkin_progress", {"progress": 3})
    assert labels(asked) == ["Skip"] and asked.asks_confidential  # kept out of the thread
    saved = ada.handle("he keeps cancelling on me")
    assert "saved (value 2, progress 3)" in saved.text
    (answer,) = CheckIns(ada.workspace).visible(Viewer(role=Profile.COORDINATOR))
    assert answer.comment == "he keeps cancelling on me" and answer.person_id == "ada"
    assert "check-in" not in chat(ADA, "mentor", 32).welcome().text  # answered: not asked again
    again = chat(ADA, "mentor", 33).handle("", command="checkin")
    assert again.refused and "No check-in is due for you now about **Ben Tran**" in again.text
    assert "the next is due on 12 March 2027" in again.text
    assert "day 30 check-in" in chat(BEN, "mentee", 32).welcome().text  # Ben's is his own


def test_nudges_wait_for_the_next_visit_and_are_shown_once(programme: str) -> None:
    Nudges(Workspace(Settings(today=START + dt.timedelta(days=8)))).send()
    first = chat(BEN, "mentee", 9).welcome()
    assert "**Reminder:** Hello Ben, you and Ada Okafor were matched 8 days ago" in first.text
    assert "Reminder" not in chat(BEN, "mentee", 9).welcome().text


def test_a_coordinator_sees_a_stalled_pair_its_history_and_ends_it(programme: str) -> None:
    Meetings(Workspace(Settings(today=START + dt.timedelta(days=5)))).log(
        programme, START + dt.timedelta(days=5), 30, "ben"
    )
    cora = chat(CORA, "coordinator", 40)
    assert "Programme health" in labels(cora.welcome())
    health = cora.handle("", command="health")
    assert "1 stalled" in health.text and "no meeting for 35 days (since 16 Jan)" in health.text
    assert labels(health) == ["Open Ben Tran & Ada Okafor"]
    history = cora.act("health_history", {"match_id": programme})
    assert "16 Jan 2027: 30 min, video" in history.text and "never see them" in history.text
    assert history.confidential  # check-in comments: shown, never kept in the thread store
    assert labels(history) == ["Nudge Ben Tran & Ada Okafor", "End Ben Tran & Ada Okafor"]
    nudged = cora.act("health_nudge", {"match_id": programme})
    assert "Nudged Ben Tran and Ada Okafor" in nudged.text
    assert "already nudged" in cora.act("health_nudge", {"match_id": programme}).text
    outcomes = cora.act("health_end", {"match_id": programme})
    assert "Not a good fit (no-fault)" in labels(outcomes)
    ended = cora.act("health_end_outcome", {"match_id": programme, "outcome": "not-a-good-fit"})
    assert "Ended **Ben Tran & Ada Okafor** (not-a-good-fit)" in ended.text
    assert cora.workspace.ledger.matches()[programme].status == Status.ENDED
    closing = chat(BEN, "mentee", 41).welcome()
    assert "Your closing check-in" in closing.text


def test_a_mentee_ends_a_pair_and_is_told_about_new_suggestions(programme: str) -> None:
    ben = chat(BEN, "mentee", 30)
    asked = ben.handle("", command="end")
    assert "no-fault" in asked.text
    ended = ben.act("end_outcome", {"outcome": "schedule-or-workload"})
    assert "has ended" in ended.text and "/suggest" in ended.text
    again = chat(BEN, "mentee", 31).handle("", command="suggest")
    assert "(Ada Okafor: not suggested again, your mentoring ended.)" in again.text
    cy = chat(Account(username="cy", person_id="cy", roles=["mentee"]), "mentee", 30)
    assert cy.handle("", command="end").text == "You have no active mentoring pair yet."


def test_a_coordinator_reads_the_private_reason_in_the_pair_history(programme: str) -> None:
    from companion.lifecycle import Endings

    Endings(Workspace(Settings(today=START + dt.timedelta(days=30)))).end(
        programme, "ada", Profile.MENTOR, "not a good fit", "we never found a rhythm"
    )
    history = chat(CORA, "coordinator", 31).act("health_history", {"match_id": programme})
    assert "(coordinators only): we never found a rhythm" in history.text
    assert history.actions == []  # an ended pair: nothing to nudge or end


def test_a_coordinators_nudge_never_tells_one_member_the_others_check_in(programme: str) -> None:
    """Check-in answers are the coordinator's alone: a pair at risk because Ben rated the
    mentoring low is nudged with a neutral reason, never with Ben's rating."""
    day = 31
    workspace = Workspace(Settings(today=START + dt.timedelta(days=day)))
    Meetings(workspace).log(programme, START + dt.timedelta(days=25), 30, "ben")
    CheckIns(workspace).answer(programme, "ben", 1, 1, "This is not helping me at all.")
    cora = chat(CORA, "coordinator", day)
    health = cora.handle("", command="health")
    assert "rated" in health.text  # the coordinator sees why
    assert "Nudged" in cora.act("health_nudge", {"match_id": programme}).text
    told = {n.person_id: n.text for n in Nudges(workspace).all() if n.kind == "coordinator"}
    assert set(told) == {"ben", "ada"}
    for text in told.values():
        assert "rated" not in text and "1 of 5" not in text and "comment" not in text
