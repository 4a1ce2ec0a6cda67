"""`mentorkit metrics` on a programme small enough to count by hand.

Five people signed up 20 days before the start: mentors Ada (2 places) and Eve (1),
mentees Ben, Cy and Di. Ben and Ada were paired on day 0, met 4 times and ended on day 80
with goals achieved. Di and Eve were paired on day 10, met once and ended on day 40 for
lack of time (early). Cy was never matched. Today is day 100.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.goals.models import SmartGoal, StoredGoal
from companion.imports import import_people
from companion.lifecycle import CheckIns, Endings, Meetings, Outcome
from companion.matching import Matcher, MatchReview
from companion.models import Profile, Programme
from companion.outcomes.metrics import programme_metrics
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_END, PROGRAMME_START, write_csv

START = PROGRAMME_START


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def on(n: int) -> Workspace:
    return Workspace(Settings(today=day(n)))


def person(pid: str, name: str, role: str, **fields: str) -> dict[str, str]:
    return {"id": pid, "name": name, "email": f"{pid}@example.com", "role": role,
            "seniority": "3", **fields}  # fmt: skip


PEOPLE = [
    person("ada", "Ada Okafor", "mentor", capacity="2", skills_offered="public speaking"),
    person("eve", "Eve Marsh", "mentor", capacity="1", skills_offered="budgeting"),
    person("ben", "Ben Tran", "mentee", skills_wanted="presenting"),
    person("cy", "Cy Li", "mentee", skills_wanted="budgeting"),
    person("di", "Di Ruiz", "mentee", skills_wanted="budgeting"),
]


def goal(gid: str, status: str, progress: int, created: int) -> StoredGoal:
    at = dt.datetime.combine(day(created), dt.time(9), dt.UTC)
    return StoredGoal.model_validate(
        {"id": gid, "mentee_id": "ben", "status": status, "progress": progress,
         "goal": SmartGoal(statement=f"goal {gid}"), "created_at": at, "updated_at": at}
    )  # fmt: skip


@pytest.fixture
def lived(isolated_data: Path) -> Workspace:
    ws = on(-20)
    import_people(write_csv(isolated_data / "p.csv", PEOPLE), ws.store, ws.embedder, today=day(-20))
    ws.store.set_programme(Programme(name="Spring", start_date=START, end_date=PROGRAMME_END,
                                     min_meetings=4))  # fmt: skip
    ben = MatchReview(Matcher(on(0))).override("ben", "ada", by="Cora", reason="pilot").id
    di = MatchReview(Matcher(on(10))).override("di", "eve", by="Cora", reason="pilot").id
    for n in (5, 20, 35, 50):
        Meetings(on(n + 1)).log(ben, day(n), 30, "ben")
    Meetings(on(60)).log(ben, day(50), 45, "ada")  # the same day from the other side: once
    Meetings(on(21)).log(di, day(20), 30, "di")
    CheckIns(on(31)).answer(ben, "ben", 4, 3, "really useful so far")
    CheckIns(on(35)).answer(ben, "ada", 2, 2)
    CheckIns(on(40)).answer(di, "di", 3, 1)
    Endings(on(40)).end(di, "di", Profile.MENTEE, Outcome.SCHEDULE)
    Endings(on(80)).end(ben, "ada", Profile.MENTOR, Outcome.GOALS_ACHIEVED)
    for g in (
        goal("g1", "active", 50, 15),
        goal("g2", "done", 100, 16),
        goal("g3", "draft", 0, 17),
    ):
        ws.goal_store.save(g)
    return on(100)


def test_the_funnel_counts_people_at_each_step(lived: Workspace) -> None:
    funnel = programme_metrics(lived)["funnel"]
    steps = {s["step"]: (s["people"], s["of_wanting"]) for s in funnel["steps"]}
    assert steps == {
        "signed up": (5, None),
        "wanting a mentor": (3, None),
        "matched": (2, 0.6667),
        "first meeting held": (2, 0.6667),
        "4+ meetings": (1, 0.3333),
        "ended with goals achieved": (1, 0.3333),
    }
    # Ben waited 20 days, Di 30: median 25; numpy's linear 90th percentile 29
    assert funnel["time_to_match_days"] == {"n": 2, "median": 25.0, "p90": 29.0,
                                            "unknown_sign_up": 0}  # fmt: skip


def test_meetings_and_early_closures(lived: Workspace) -> None:
    meetings = programme_metrics(lived)["meetings"]
    assert meetings["pairs"] == 2 and meetings["active"] == 0
    assert meetings["per_pair"] == {"0": 0, "1": 1, "2": 0, "3": 0, "4": 1}
    assert meetings["at_or_above_minimum"] == 1 and meetings["share_at_or_above_minimum"] == 0.5
    assert meetings["ended_by_outcome"] == {"goals-achieved": 1, "schedule-or-workload": 1}
    assert meetings["early_closures"] == 1 and meetings["early_closure_rate"] == 0.5


def test_check_ins_by_month_and_response_rate(lived: Workspace) -> None:
    checkins = programme_metrics(lived)["checkins"]
    # due: Ben and Ada at day 30, day 60 and closing (6); Di and Eve at day 30 and closing (4)
    assert (checkins["due"], checkins["answered"], checkins["response_rate"]) == (10, 3, 0.3)
    [month] = checkins["by_month"]
    assert month["month"] == "2027-02" and month["answered"] == 3
    assert (month["mean_value"], month["mean_progress"]) == (3.0, 2.0)
    assert month["comments"] == 1 and sum(month["sentiment"].values()) == pytest.approx(1.0)


def test_goals_count_confirmed_goals_only(lived: Workspace) -> None:
    goals = programme_metrics(lived)["goals"]
    assert goals["confirmed"] == 2 and goals["completed"] == 1  # the draft is not a goal
    assert goals["per_pair"] == {"0": 1, "1": 0, "2": 1}  # Di's pair has none, Ben's two
    assert goals["progress"] == {"0%": 0, "1-49%": 0, "50-99%": 1, "100%": 1}


def test_mentor_load_by_name(lived: Workspace) -> None:
    load = programme_metrics(lived)["mentor_load"]
    assert (load["places"], load["places_used"], load["without_mentees"]) == (3, 0, 2)
    assert [row["mentor"] for row in load["by_mentor"]] == ["Eve Marsh", "Ada Okafor"]


def test_since_keeps_only_what_began_from_that_day(lived: Workspace) -> None:
    later = programme_metrics(lived, since=day(5))
    assert later["meetings"]["pairs"] == 1  # Di's pair, accepted on day 10
    assert later["funnel"]["steps"][0]["people"] == 0  # everyone signed up before day 5


def test_people_imported_before_sign_ups_were_kept_count_as_unknown(lived: Workspace) -> None:
    lived.store.record_sign_ups({"di": day(0)}, replace=True)  # a later import keeps the first
    lived.store.record_sign_ups({"ben": day(50)})
    wait = programme_metrics(lived)["funnel"]["time_to_match_days"]
    assert wait["median"] == 15.0  # Ben 20, Di 10


def test_metrics_command_text_and_json(lived: Workspace) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["metrics", "--today", day(100).isoformat()])
    assert text.exit_code == 0, text.output
    assert re.search(r"matched +2  \(67% of those wanting a mentor\)", text.output)
    assert "answered 3 of 10 due (30%)" in text.output
    assert "Eve Marsh" not in text.output  # the text gives counts; names are in --json
    data = json.loads(runner.invoke(app, ["metrics", "--json", "--today", "2027-04-21"]).output)
    assert data["meetings"]["early_closures"] == 1
    bad = runner.invoke(app, ["metrics", "--since", "last tuesday"])
    assert bad.exit_code != 0 and "--since" in bad.output


@pytest.mark.slow
def test_skills_are_covered_by_meaning_not_by_equal_words(
    isolated_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "minilm")  # the real encoder
    ws = Workspace(Settings())
    rows = [
        person(
            "m1", "Ada Okafor", "mentor", capacity="2", skills_offered="presenting to executives"
        ),
        person("m2", "Bo Lind", "mentor", capacity="1", skills_offered="tax accounting"),
        person("e1", "Cy Berg", "mentee", skills_wanted="public speaking;kubernetes"),
        person("e2", "Di Ruiz", "mentee", skills_wanted="public speaking"),
    ]
    import_people(write_csv(isolated_data / "p.csv", rows), ws.store, ws.embedder)
    skills = programme_metrics(ws)["skills"]
    wanted = {
        r["skill"]: (r["mentees"], r["mentors"], r["free_places"]) for r in skills["most_wanted"]
    }
    assert wanted == {"public speaking": (2, 1, 2), "kubernetes": (1, 0, 0)}
    assert skills["uncovered"] == 1 and skills["least_covered"][0]["skill"] == "kubernetes"
