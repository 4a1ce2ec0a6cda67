"""After the match: meetings and pace, check-ins and who sees them, health rules, endings
and re-matching, all on one injectable clock (Settings.today)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.lifecycle import (
    CheckIns,
    Endings,
    Health,
    HealthStatus,
    LifecycleError,
    Meetings,
    Outcome,
    Pace,
    Sentiment,
)
from companion.matching import Matcher
from companion.matching.ledger import Status
from companion.models import Profile, Viewer
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_END, PROGRAMME_START

START = PROGRAMME_START
END = PROGRAMME_END


def on(day: dt.date) -> Workspace:
    return Workspace(Settings(today=day))


def days(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


# Meetings


def test_a_meeting_both_members_log_for_one_day_counts_once(programme: str) -> None:
    meetings = Meetings(on(days(20)))
    meetings.log(programme, days(10), 45, "ben", "video")
    meetings.log(programme, days(10), 40, "ada", "in-person")
    meetings.log(programme, days(10), 50, "ben", "video")  # ben again: replaces his own
    assert len(meetings.of_pair(programme)) == 2
    pace = meetings.pace(on(days(20)).ledger.matches()[programme])
    assert pace.held == 1 and pace.last_meeting == days(10)


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("--date", {"on": days(31)}, "in the future"),
        ("--date", {"on": START - dt.timedelta(days=1)}, "before the match was accepted"),
        ("--as", {"as_person": "cy"}, "not a member"),
        ("--minutes", {"minutes": 0}, "not between 1 and 600"),
        ("--minutes", {"minutes": 601}, "not between 1 and 600"),
        ("--mode", {"mode": "carrier pigeon"}, "not one of"),
        ("--goal", {"goal_ids": ["g-nope"]}, "not a goal of this pair's mentee"),
        ("pair", {"match_id": "m-000000000000"}, "no accepted or ended pair"),
    ],
)
def test_bad_meeting_input_names_the_field_and_writes_nothing(
    programme: str, field: str, kwargs: dict, message: str
) -> None:
    meetings = Meetings(on(days(30)))
    call = {"match_id": programme, "on": days(5), "minutes": 30, "as_person": "ben"} | kwargs
    with pytest.raises(LifecycleError, match=message) as caught:
        meetings.log(**call)
    assert str(caught.value).startswith(field)
    assert meetings.store.meetings() == []


def test_no_meeting_after_the_pair_ended(programme: str) -> None:
    Endings(on(days(40))).end(programme, "ben", Profile.MENTEE, Outcome.SCHEDULE)
    meetings = Meetings(on(days(60)))
    meetings.log(programme, days(39), 30, "ada")  # before it ended: still fine
    with pytest.raises(LifecycleError, match="after the pair ended"):
        meetings.log(programme, days(41), 30, "ada")


def test_pace_is_prorated_from_acceptance_to_the_programme_end(programme: str) -> None:
    # 165 days to the end, 4 meetings: about one due every 41 days
    today = days(90)  # 2.18 expected
    meetings = Meetings(on(today))
    match = on(today).ledger.matches()[programme]
    assert meetings.pace(match).pace == Pace.BEHIND
    meetings.log(programme, days(20), 30, "ben")
    meetings.log(programme, days(50), 30, "ben")
    assert meetings.pace(match).pace == Pace.ON_TRACK
    for n in (60, 70, 80):
        meetings.log(programme, days(n), 30, "ada")
    assert meetings.pace(match).pace == Pace.AHEAD


# Check-ins


def test_check_ins_fall_due_every_30_days_and_only_the_latest_is_asked(programme: str) -> None:
    assert CheckIns(on(days(29))).due_for("ben") == []
    due = CheckIns(on(days(65))).due_for("ben")
    assert [(d.due, d.due_on) for d in due] == [("day-60", days(60))]  # day-30 not asked again
    CheckIns(on(days(65))).answer(programme, "ben", 4, 3, "really useful, booked the next one")
    assert CheckIns(on(days(66))).due_for("ben") == []
    assert [d.due for d in CheckIns(on(days(66))).due_for("ada")] == ["day-60"]


def test_the_other_member_never_sees_a_check_in(programme: str) -> None:
    checkins = CheckIns(on(days(31)))
    checkins.answer(programme, "ben", 2, 2, "she has cancelled the last three sessions")
    coordinator = checkins.visible(Viewer(role=Profile.COORDINATOR))
    assert [c.comment for c in coordinator] == ["she has cancelled the last three sessions"]
    assert [c.person_id for c in checkins.visible(Viewer(person_id="ben", role=Profile.MENTEE))]
    assert checkins.visible(Viewer(person_id="ada", role=Profile.MENTOR)) == []


def test_a_check_in_is_answered_once_and_hostile_comments_are_refused(programme: str) -> None:
    checkins = CheckIns(on(days(20)))
    with pytest.raises(LifecycleError, match="no check-in is due for you now .the next is due on"):
        checkins.answer(programme, "ben", 4, 4)
    checkins = CheckIns(on(days(31)))
    for comment, message in (("bad \x1b[31mred", "control character"),
                             ("x" * 2001, "at most 2000 characters")):  # fmt: skip
        with pytest.raises(LifecycleError, match=message):
            checkins.answer(programme, "ben", 4, 4, comment)
    checkins.answer(programme, "ben", 4, 4, "good")
    with pytest.raises(LifecycleError, match="no check-in is due"):
        checkins.answer(programme, "ben", 1, 1, "changed my mind")
    assert [(c.value, c.comment) for c in checkins.store.checkins()] == [(4, "good")]
    done = CliRunner().invoke(app, ["checkin", programme, "--as", "ada", "--value", "3",
                                    "--progress", "3", "--comment", "\u202eevil",
                                    "--today", days(31).isoformat()])  # fmt: skip
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "error: --comment:" in done.output


@pytest.mark.parametrize(("value", "progress"), [(0, 3), (3, 6)])
def test_ratings_outside_one_to_five_are_refused(programme: str, value: int, progress: int) -> None:
    checkins = CheckIns(on(days(31)))
    with pytest.raises(LifecycleError, match="not between 1 and 5"):
        checkins.answer(programme, "ben", value, progress)
    assert checkins.store.checkins() == []


# Health


def health_of(day: int) -> tuple[HealthStatus, list[str]]:
    (pair,) = Health(on(days(day))).pairs()
    return pair.status, [r.rule for r in pair.reasons]


def test_no_meeting_for_21_days_is_stalled_with_its_reason(programme: str) -> None:
    assert health_of(13) == (HealthStatus.HEALTHY, [])
    Meetings(on(days(15))).log(programme, days(15), 30, "ben")
    assert health_of(35)[0] == HealthStatus.AT_RISK  # 20 days quiet (and no goal yet)
    status, rules = health_of(36)
    assert status == HealthStatus.STALLED and rules[0] == "no-meeting"


def test_each_at_risk_rule_gives_its_reason(
    programme: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from companion.lifecycle import checkins as checkins_module

    for n in (5, 12, 19):
        Meetings(on(days(n))).log(programme, days(n), 30, "ben")
    assert health_of(13) == (HealthStatus.HEALTHY, [])
    assert health_of(20) == (HealthStatus.AT_RISK, ["no-goal"])  # 14 days in, no goal
    checkins = CheckIns(on(days(31)))
    checkins.answer(programme, "ben", 2, 4, "")
    monkeypatch.setattr(checkins_module, "comment_sentiment", lambda *_: Sentiment.NEGATIVE)
    checkins.answer(programme, "ada", 5, 5, "it has gone quiet")
    status, rules = health_of(31)
    assert status == HealthStatus.AT_RISK
    assert set(rules) == {"low-rating", "negative-comment", "ratings-apart", "no-goal"}


def test_falling_behind_pace_puts_a_pair_at_risk(programme: str) -> None:
    Meetings(on(days(80))).log(programme, days(80), 30, "ben")
    # day 95: 2.3 of the 4 meetings due, 1 held, the last 15 days ago (not stalled)
    status, rules = health_of(95)
    assert status == HealthStatus.AT_RISK and "behind-pace" in rules
    for n in (20, 50):
        Meetings(on(days(95))).log(programme, days(n), 30, "ada")
    assert "behind-pace" not in health_of(95)[1]


def test_an_unanswered_check_in_is_overdue_after_14_days(programme: str) -> None:
    Meetings(on(days(40))).log(programme, days(40), 30, "ben")
    assert "checkin-overdue" not in health_of(43)[1]
    assert "checkin-overdue" in health_of(44)[1]


def test_health_never_reads_a_note(programme: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from companion.notes import store as notes_store

    def refuse(*args, **kwargs):
        raise AssertionError("health read a confidential note")

    for name in ("read", "notes", "summary", "pair"):
        monkeypatch.setattr(notes_store.NotesStore, name, refuse)
    monkeypatch.setattr(notes_store.NoteCipher, "decrypt", refuse)
    CheckIns(on(days(31))).answer(programme, "ben", 3, 3, "fine")
    assert Health(on(days(45))).pairs()[0].status == HealthStatus.STALLED


# Ending and re-matching


def test_ending_frees_the_place_asks_a_closing_check_in_and_keeps_the_reason_private(
    programme: str,
) -> None:
    with pytest.raises(LifecycleError, match="not a member"):
        Endings(on(days(40))).end(programme, "cy", Profile.MENTEE, "not a good fit")
    ended = Endings(on(days(40))).end(
        programme, "ben", Profile.MENTEE, "not a good fit", "we never clicked, nothing more"
    )
    assert ended.status == Status.ENDED and ended.events[-1].reason == "not-a-good-fit"
    assert on(days(40)).ledger.loads()["ada"] == 0
    for person in ("ben", "ada"):
        assert [d.due for d in CheckIns(on(days(41))).due_for(person)] == ["closing"]
    endings = Endings(on(days(41)))
    assert endings.private_reason(Viewer(role=Profile.COORDINATOR), programme)
    assert endings.private_reason(Viewer(person_id="ada", role=Profile.MENTOR), programme) == ""
    with pytest.raises(LifecycleError, match="no accepted pair"):
        Endings(on(days(42))).end(programme, "ada", Profile.MENTOR, "other")


def test_a_mentee_matched_again_is_never_suggested_the_same_mentor(programme: str) -> None:
    Endings(on(days(40))).end(programme, "ben", Profile.MENTEE, Outcome.NOT_A_GOOD_FIT)
    matcher = Matcher(on(days(41)))
    assert matcher.previous_mentors("ben") == {"ada"}
    assert "ada" not in {s.mentor_id for s in matcher.suggest("ben")}
    cohort = matcher.cohort()
    ben = next(r for r in cohort.mentees if r.mentee_id == "ben")
    assert ben.assigned_mentor_id != "ada"
    assert "ada" not in {s.mentor_id for s in ben.suggestions}
    cy = next(r for r in cohort.mentees if r.mentee_id == "cy")
    assert "ada" in {s.mentor_id for s in cy.suggestions}  # only Ben's pair is excluded


def test_closing_the_programme_ends_every_pair_once(programme: str) -> None:
    with pytest.raises(LifecycleError, match="runs until 25 June 2027"):
        Endings(on(END)).close_programme("Cora")
    assert len(Endings(on(END + dt.timedelta(days=1))).active_after_end()) == 1  # the preview
    ended = Endings(on(END + dt.timedelta(days=1))).close_programme("Cora")
    assert [m.events[-1].reason for m in ended] == ["programme-ended"]
    assert Endings(on(END + dt.timedelta(days=2))).close_programme("Cora") == []


def test_a_comment_gets_its_sentiment_on_this_machine(programme: str) -> None:
    answer = CheckIns(on(days(31))).answer(programme, "ada", 4, 4, "good chat")
    assert answer.sentiment in set(Sentiment)
    assert CheckIns(on(days(31))).answer(programme, "ben", 4, 4, "").sentiment is None


# The command line


def test_the_lifecycle_commands_as_a_coordinator_and_a_member_use_them(programme: str) -> None:
    runner = CliRunner()

    def run(*args: str, day: int = 45) -> str:
        done = runner.invoke(app, [*args, "--today", days(day).isoformat()])
        assert done.exit_code == 0, done.output
        return done.stdout

    out = run("meetings", "log", programme, "--date", days(10).isoformat(), "--minutes", "45",
              "--as", "ben", "--mode", "call")  # fmt: skip
    assert "45-minute call" in out and "1 of 4 meetings held" in out
    assert "Ben Tran" in run("meetings", "list", programme)
    again = run("meetings", "log", programme, "--date", days(10).isoformat(), "--minutes", "30",
                "--as", "ben")  # fmt: skip
    assert "replaces your earlier entry for that day: 45 min, call" in again
    out = run("checkin", programme, "--as", "ada", "--value", "2", "--progress", "2",
              "--comment", "he keeps cancelling")  # fmt: skip
    assert "coordinator sees your ratings and comment. Your mentee does not" in out
    shown = json.loads(run("health", "--json", "--status", "stalled"))
    assert shown[0]["mentee"] == "Ben Tran" and shown[0]["reasons"][0]["rule"] == "no-meeting"
    assert "Ada Okafor" in run("checkins", "list")
    assert run("checkins", "list", "--as", "ben").strip() == "No check-ins yet."
    unknown = runner.invoke(app, ["checkins", "list", "--as", "p9999"])
    assert unknown.exit_code == 1 and "--as: no person with id 'p9999'" in unknown.output
    when = ["--date", days(10).isoformat(), "--today", days(45).isoformat()]
    bad = runner.invoke(app, ["meetings", "log", programme, *when, "--minutes=900", "--as=ben"])
    assert bad.exit_code == 1 and "--minutes: 900 is not between 1 and 600" in bad.output
    out = run("end", programme, "--by", "Cora", "--outcome", "schedule-or-workload")
    assert "Ended: Ben Tran with Ada Okafor" in out
    again = runner.invoke(app, ["suggest", "ben"]).stdout
    assert "Not suggested again (an earlier relationship ended): Ada Okafor." in again
