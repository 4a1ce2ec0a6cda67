"""What the companion reads in people's words (issue 10's failure modes, each a case):
dates by dateparser with mentorkit's conventions, commitments and owners by spaCy, and
summaries that keep every key fact and say nothing the note does not."""

from __future__ import annotations

import datetime as dt

import pytest

from companion.language.dates import find
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.notes import extract_facts, summarise_notes_locally

SESSION = dt.date(2027, 2, 3)  # a Wednesday
PEOPLE = {"ben": "Ben Tran", "ada": "Ada Okafor"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send it by Friday", dt.date(2027, 2, 5)),
        ("at Thursday's review", dt.date(2027, 2, 4)),
        ("within the next 10 days", dt.date(2027, 2, 13)),
        ("this week", dt.date(2027, 2, 5)),
        ("next week", dt.date(2027, 2, 12)),
        ("over the weekend", dt.date(2027, 2, 7)),
        ("end of month", dt.date(2027, 2, 28)),
        ("end of next month", dt.date(2027, 3, 31)),
        ("12 March", dt.date(2027, 3, 12)),
        ("31 December 2027", dt.date(2027, 12, 31)),
        ("by 30 April 2028", dt.date(2028, 4, 30)),  # an explicit year is honoured
        ("by June", dt.date(2027, 6, 30)),
        ("mid-March", dt.date(2027, 3, 15)),
        ("by end of Q3", dt.date(2027, 9, 30)),
        ("3 January", dt.date(2028, 1, 3)),  # already past this year: next year's
        ("by feb 28", dt.date(2027, 2, 28)),  # not February 2028
        ("by March 3rd, 2027", dt.date(2027, 3, 3)),
        ("by end feb", dt.date(2027, 2, 28)),
        ("renew them by 31/3", dt.date(2027, 3, 31)),  # day first
        ("by 3/31", dt.date(2027, 3, 31)),  # only month first can be right
        ("due 15/04/2027", dt.date(2027, 4, 15)),
        ("live before easter", dt.date(2027, 3, 28)),
        ("in the may 360", dt.date(2027, 5, 31)),  # a month naming an event
        # dateparser misses a day and month inside a longer sentence: read by our own rule
        ("By 18 June: cut AHT by 20%, get CSAT to 90%", dt.date(2027, 6, 18)),
        ("the open day on 17 April for 300 applicants", dt.date(2027, 4, 17)),
        ("inbox under 20 by 28 Feb", dt.date(2027, 2, 28)),
        ("one a month from February to May", dt.date(2027, 5, 31)),  # the span's end
        ("scores within 5 points of each other by 31 March", dt.date(2027, 3, 31)),
        ("go through deadlines every monday, done by 30 April", dt.date(2027, 4, 30)),
    ],
)
def test_dates_resolve_against_the_session(text: str, expected: dt.date) -> None:
    assert [f.date for f in find(text, SESSION)] == [expected]


@pytest.mark.parametrize(
    "text",
    ["I may come", "we march on", "a 30-60-90 plan", "8 slides", "now", "by 4pm",
     "pull the last 8 weeks of data", "our Q1 results", "24/7 support",
     "1/3 of the team", "we may 5 times", "every monday", "each friday"],
)  # fmt: skip
def test_what_only_looks_like_a_date_is_none(text: str) -> None:
    assert find(text, SESSION) == []


def actions(text: str, author: str = "ada") -> list[tuple[str | None, str, dt.date | None]]:
    facts = extract_facts(text, SESSION, PEOPLE, author)
    return [(a.owner, a.what, a.due) for a in facts.action_items]


@pytest.mark.parametrize(
    ("text", "owner", "words", "due"),
    [
        ("I'll review them over the weekend.", "ada", "review them", dt.date(2027, 2, 7)),
        ("Ben said he agreed to pick two engineers.", "ben", "pick two engineers", None),
        ("Talked to Ben. She will draft a 30-60-90 plan.", "ben", "draft a 30-60-90", None),
        ("She will draft a 30-60-90 plan.", "ben", "draft a 30-60-90", None),  # the other
        ("I will send Ben the deck at Thursday's review.", "ada", "send Ben the deck",
         dt.date(2027, 2, 4)),
        ("You'll write the RFC this week.", "ben", "write the RFC", dt.date(2027, 2, 5)),
        ("We'll both draft the exception process within the next 10 days.", "both",
         "draft the exception process", dt.date(2027, 2, 13)),
        ("Sam will send the budget by Friday.", "Sam", "send the budget", dt.date(2027, 2, 5)),
        ("Ben to introduce Ada to the finance lead in two weeks.", "ben", "introduce Ada",
         dt.date(2027, 2, 17)),
        ("- me: intro Ben to Greg", "ada", "intro Ben to Greg", None),
    ],
)  # fmt: skip
def test_commitments_and_their_owners(text: str, owner: str, words: str, due) -> None:
    found = actions(text)
    assert len(found) == 1, found
    assert found[0][0] == owner and words in found[0][1] and found[0][2] == due


@pytest.mark.parametrize(
    "text",
    ["We reviewed the negotiation plan.", "I won't chase legal.", "Maybe look at pricing someday.",
     "Next session we will discuss handling tough questions.", "Nice to see that gone."],
)  # fmt: skip
def test_done_refused_wished_or_next_session_talk_is_no_action(text: str) -> None:
    assert actions(text) == []


NOTE = (
    "Talked through the board deck with Ben. He'll cut it to 8 slides by 21 March. "
    "I'll ask Priya for the Atlas numbers within two weeks."
)


def test_a_summary_keeps_every_key_fact_and_drops_filler() -> None:
    local = FakeChatModel("local-fake").enqueue(
        "- Remember, every effort counts and you are doing great!\n"
        "- Ben will cut the deck to 8 slides.\n"
        "- Priya will present to the board next week.\n"
    )
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    summary = summarise_notes_locally(NOTE, SESSION, PEOPLE, gateway, "ada")
    text = summary.text()
    for fact in ("21 March", "8 slides", "two weeks", "Priya", "Atlas"):
        assert fact.lower() in text.lower(), fact
    assert "every effort counts" not in text and "present to the board" not in text
    assert {d.bullet[:12] for d in summary.dropped} == {"Remember, ev", "Priya will p"}
    assert summary.bullets[0] == "Ben will cut the deck to 8 slides."
    assert local.history[0].confidential is True


def test_what_a_new_user_trial_found_in_notes() -> None:
    text = (
        "Caught up w Raj from FP&A. He will send the deck by fri. "
        "Priya said she'd share the template within the next 10 days. "
        "I'll fix the formulas by wed"
    )
    found = actions(text)
    assert found[0][:2] == ("Raj", "send the deck by fri")  # he: the person last named
    assert found[1][0] == "Priya" and found[1][2] == dt.date(2027, 2, 13)
    assert found[2][1] == "fix the formulas by wed"  # never cut inside a word
    assert [f.text for f in find("cut our month end close by 30 April", SESSION)] == ["by 30 April"]


def test_a_number_is_kept_as_a_whole_not_inside_a_date() -> None:
    from companion.notes.summary import covered

    assert not covered("2", "due 04 December 2026") and covered("2", "2 of 4 done")
    local = FakeChatModel("local-fake").enqueue("- Nothing much.")
    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=local)
    note = "We're 2 of 4 cost centres done. Ben will send the deck by 4 February."
    summary = summarise_notes_locally(note, SESSION, PEOPLE, gateway, "ada")
    assert "2 of 4 cost centres" in summary.text()
