"""A lived-in demo: the programme started weeks ago; pairs were matched in its first
weeks; since then most met, some drifted and stalled, some ended early with each outcome,
and people answered check-ins in their own words. Every record goes through the same use
cases as the CLI, each on the day it happened (the workspace's clock set to that day).

Deterministic in the seed. The first two demo mentees are left as the sign-ins need them:
mentee1 unmatched (to request their suggested mentor), mentee2 in a drifting pair with a
check-in waiting.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from tqdm import tqdm

from companion.goals import Goals, draft_smart_goal
from companion.lifecycle import CheckIns, Endings, Meetings, Nudges, Outcome
from companion.matching import Matcher, MatchReview
from companion.models import Profile, Programme, Role
from companion.settings import Settings
from companion.workspace import Workspace

WEEKS_AGO = 15  # the programme's start, before today
LENGTH_WEEKS = 24
PAIRS = 36
COORDINATOR = "coordinator"
COMMENTS = {
    "good": [
        "Really useful, I left with three things to try this week.",
        "great session, we finally worked through my promotion case",
        "She gives honest feedback and it is helping.",
        "good progress on the goal, next meeting already booked",
        "Enjoying this more than I expected.",
        "He asks good questions and follows up on what we agreed.",
    ],
    "neutral": [
        "Busy month, only met once, but fine.",
        "Moved our sessions to video, works ok.",
        "Too early to say.",
        "nothing to add",
    ],
    "bad": [
        "We have not managed to meet since the first session.",
        "Cancelled twice now, not sure it is a priority for them.",
        "Sessions feel a bit aimless, not sure what I am getting out of it.",
        "Hard to find any time, it has gone quiet.",
    ],
}
GOAL_TEMPLATES = [
    "Present a 10-minute update on {skill} to my team by {due}",
    "Write a one-page plan for using {skill} in my role and get my manager to sign it off by {due}",
    "Run two practice sessions on {skill} with my mentor and share the notes by {due}",
]


@dataclass(frozen=True)
class Story:
    """How a pair's months went."""

    kind: str  # steady | drifting | stalled | tense | ended
    outcome: Outcome | None = None


STORIES = (
    [Story("steady")] * 14
    + [Story("drifting")] * 6
    + [Story("stalled")] * 5
    + [Story("tense")] * 3
    + [
        Story("ended", o)
        for o in (
            Outcome.NOT_A_GOOD_FIT,
            Outcome.SCHEDULE,
            Outcome.LEFT,
            Outcome.GOALS_ACHIEVED,
            Outcome.OTHER,
        )
    ]  # fmt: skip
)


def demo_programme(name: str, today: dt.date) -> Programme:
    monday = today - dt.timedelta(days=today.weekday())
    start = monday - dt.timedelta(weeks=WEEKS_AGO)
    end = start + dt.timedelta(weeks=LENGTH_WEEKS) - dt.timedelta(days=3)  # a Friday
    name = name.rsplit(" ", 1)[0] if name[-4:].isdigit() else name
    return Programme(name=f"{name} {start.year}", start_date=start, end_date=end, min_meetings=4)


class _Clock:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def at(self, day: dt.date) -> Workspace:
        return Workspace(self.settings.model_copy(update={"today": day, "progress": False}))


def simulate_history(workspace: Workspace, seed: int, today: dt.date) -> dict[str, int]:
    """Write the months since the programme began; returns what was written, counted."""
    rng = random.Random(seed)
    programme = workspace.store.programme()
    assert programme is not None
    clock = _Clock(workspace.settings)
    start = programme.start_date
    people = workspace.store.people()
    mentees = [p for p in people if p.role == Role.MENTEE]
    keep_free = {mentees[0].id} if mentees else set()
    matcher = Matcher(clock.at(start))
    cohort = matcher.cohort()
    reserved = {s.mentor_id for r in cohort.mentees if r.mentee_id in keep_free
                for s in r.suggestions[:1]}  # fmt: skip
    chosen = [
        r for r in cohort.mentees
        if r.assigned_mentor_id and r.mentee_id not in keep_free
        and r.assigned_mentor_id not in reserved
    ][:PAIRS]  # fmt: skip
    stories = list(STORIES)
    rng.shuffle(stories)
    second = _second_mentee(chosen, mentees)
    if second >= 0:  # mentee2's pair drifts, with a check-in waiting (the sign-in shows it)
        stories[second % len(stories)] = Story("drifting")
    counts = {"pairs": 0, "meetings": 0, "checkins": 0, "goals": 0, "ended": 0}
    for index, result in enumerate(tqdm(chosen, desc="demo history", unit="pair",
                                        disable=not workspace.settings.progress)):  # fmt: skip
        story = stories[index % len(stories)]
        accepted = start + dt.timedelta(days=rng.randint(0, 20))
        review = MatchReview(Matcher(clock.at(accepted)))
        assert result.assigned_mentor_id is not None
        match = review.override(result.mentee_id, result.assigned_mentor_id, by=COORDINATOR,
                                reason="cohort match, accepted at launch")  # fmt: skip
        counts["pairs"] += 1
        _live(clock, rng, match.id, result.mentee_id, result.assigned_mentor_id, story,
              accepted, today, counts, keep_checkin_due=index == second)  # fmt: skip
    paired = {r.mentee_id for r in chosen} | {r.assigned_mentor_id or "" for r in chosen}
    _sign_ups(workspace, people, paired, seed, start, today)
    Nudges(clock.at(today)).send()  # reminders wait for each person's next visit
    return counts


def _sign_ups(
    workspace: Workspace, people: list, paired: set[str], seed: int, start: dt.date, today: dt.date
) -> None:
    """Most signed up in the weeks before the start; of those not paired at the launch,
    one in five since (a seed of its own, so that the pairs' stories do not change)."""
    rng = random.Random(seed + 1)
    days = {}
    for person in people:
        if person.id in paired or rng.random() < 0.8:
            days[person.id] = start - dt.timedelta(days=rng.randint(3, 42))
        else:
            days[person.id] = start + dt.timedelta(days=rng.randint(0, (today - start).days))
    workspace.store.record_sign_ups(days, replace=True)


def _second_mentee(chosen: list, mentees: list) -> int:
    if len(mentees) < 2:
        return -1
    return next((i for i, r in enumerate(chosen) if r.mentee_id == mentees[1].id), -1)


def _live(
    clock: _Clock,
    rng: random.Random,
    pair: str,
    mentee: str,
    mentor: str,
    story: Story,
    accepted: dt.date,
    today: dt.date,
    counts: dict[str, int],
    keep_checkin_due: bool,
) -> None:
    ended_on = None
    if story.kind == "ended":
        ended_on = accepted + dt.timedelta(days=rng.randint(35, 70))
    for day in _meeting_days(rng, story, accepted, ended_on or today):
        who, mode = rng.choice((mentee, mentor)), rng.choice(("video", "in-person", "call"))
        Meetings(clock.at(day)).log(pair, day, rng.choice((30, 45, 45, 60)), who, mode)
        counts["meetings"] += 1
    if story.kind in ("steady", "tense", "drifting", "ended") and rng.random() < 0.9:
        goal = _goal(clock, rng, mentee, accepted + dt.timedelta(days=6))
        counts["goals"] += goal is not None
        if goal is not None:  # progress as the story went: done when the goals were achieved
            done = story.outcome == Outcome.GOALS_ACHIEVED
            percent = (
                100 if done else {"steady": 60, "tense": 20, "drifting": 10}.get(story.kind, 0)
            )
            if percent:
                Goals(clock.at(ended_on or today)).progress(goal, percent, "done" if done else None)
    mood = {"steady": "good", "tense": "bad", "drifting": "neutral", "stalled": "bad"}
    for n in (30, 60, 90):
        due = accepted + dt.timedelta(days=n)
        if due > today - dt.timedelta(days=2) or (ended_on and due >= ended_on):
            break
        if keep_checkin_due and due + dt.timedelta(days=30) > today:
            break
        for person in (mentee, mentor):
            if rng.random() < 0.2:
                continue  # not everyone answers
            kind = mood.get(story.kind, "neutral")
            value = {"good": rng.randint(4, 5), "neutral": 3, "bad": rng.randint(1, 2)}[kind]
            if story.kind == "tense" and person == mentor:
                value, kind = 5, "good"  # they see it differently
            comment = rng.choice(COMMENTS[kind]) if rng.random() < 0.7 else ""
            at = clock.at(min(due + dt.timedelta(days=rng.randint(0, 5)), today))
            CheckIns(at).answer(pair, person, value, max(1, value - rng.randint(0, 1)), comment)
            counts["checkins"] += 1
    if ended_on is not None and story.outcome is not None:
        by = rng.choice((mentee, mentor))
        role = Profile.MENTEE if by == mentee else Profile.MENTOR
        Endings(clock.at(ended_on)).end(pair, by, role, story.outcome)
        counts["ended"] += 1


def _meeting_days(
    rng: random.Random, story: Story, accepted: dt.date, until: dt.date
) -> list[dt.date]:
    """The days a pair met, counted back from its last meeting: steady pairs met lately,
    drifting ones two or three weeks ago (behind pace), stalled ones once, at the start."""
    first = accepted + dt.timedelta(days=rng.randint(4, 9))
    if story.kind == "stalled":
        return [first] if rng.random() < 0.6 else []
    quiet = {"steady": (1, 12), "tense": (3, 15), "drifting": (12, 19), "ended": (3, 10)}
    step = {"steady": (10, 17), "tense": (12, 20), "drifting": (25, 40), "ended": (12, 20)}
    day = until - dt.timedelta(days=rng.randint(*quiet[story.kind]))
    days = []
    while day >= first:
        days.append(day)
        day -= dt.timedelta(days=rng.randint(*step[story.kind]))
    return sorted(days)


def _goal(clock: _Clock, rng: random.Random, mentee: str, day: dt.date) -> str | None:
    """The id of the goal the mentee confirmed that day, if their words made one."""
    workspace = clock.at(day)
    goals = Goals(workspace)
    person = workspace.store.get(mentee)
    if person is None or not person.skills_wanted:
        return None
    programme = workspace.store.programme()
    assert programme is not None
    due = min(programme.end_date, day + dt.timedelta(days=rng.randint(50, 90)))
    text = rng.choice(GOAL_TEMPLATES).format(skill=person.skills_wanted[0], due=f"{due:%-d %B %Y}")
    draft = draft_smart_goal(text, goals.context(person))  # code's wording: no model needed
    if not draft.passed:
        return None
    return goals.confirm(mentee, draft).id
