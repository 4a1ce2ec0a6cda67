"""The guidance library: parsing each format, replacement, audiences, starter guides,
grounded answers and the no-answer path (fake encoder and fake models: fast)."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.guides import (
    Audience,
    GuideFormatError,
    GuideLibrary,
    GuideNotAllowed,
    Mode,
    UnknownGuide,
    answer_question,
    audiences_for,
    search,
)
from companion.guides import library as library_module
from companion.guides.answer import supporting
from companion.guides.parsing import parse_guide
from companion.llm import FakeChatModel, LLMGateway, LLMSettings
from companion.models import Profile
from companion.workspace import Workspace

BUDDY_MD = """<!-- licence: keep this comment out of the text -->
# Buddy handbook

Buddies help new starters settle in during their first month.

## The first week
Meet your new starter on **day one** and walk the office together.

- agree a weekly coffee slot
- show them where the [team wiki](https://example.com) lives

### Lunch and learn
Once a month buddies present something they learnt.

Expenses
--------
Coffee is paid from the team budget, up to 10 pounds a month.
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def make_pdf(path: Path, title: str, sections: list[tuple[str, int, str]]) -> Path:
    """A real PDF (reportlab): a title, then headings at two sizes over body text."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [Paragraph(title, styles["Title"])]
    for heading, level, body in sections:
        story += [
            Paragraph(heading, styles[f"Heading{level}"]),
            Paragraph(body, styles["BodyText"]),
        ]
    SimpleDocTemplate(str(path), pagesize=A4, title=title).build(story)
    return path


def headings(path: Path) -> list[tuple[str, ...]]:
    return [s.headings for s in parse_guide(path).sections]


def test_markdown_sections_keep_their_heading_path_and_lose_their_markup(tmp_path: Path) -> None:
    guide = parse_guide(write(tmp_path / "buddy.md", BUDDY_MD))
    assert guide.title == "Buddy handbook"
    assert [s.headings for s in guide.sections] == [
        ("Buddy handbook",),
        ("Buddy handbook", "The first week"),
        ("Buddy handbook", "The first week", "Lunch and learn"),
        ("Buddy handbook", "Expenses"),
    ]
    first_week = guide.sections[1].text
    assert "Meet your new starter on day one" in first_week  # no ** left
    assert "- show them where the team wiki lives" in first_week
    assert "licence" not in " ".join(s.text for s in guide.sections)


def test_plain_text_splits_at_underlined_headings(tmp_path: Path) -> None:
    text = "Shadowing rules\n\nShadow a colleague for a day.\n\nWho pays\n========\n\nThe team.\n"
    guide = parse_guide(write(tmp_path / "shadowing.txt", text))
    assert guide.title == "Who pays"  # an underlined (level 1) heading names the guide
    assert guide.sections[0].text.startswith("Shadowing rules")


def test_html_reads_headings_and_innermost_blocks_once(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Buddy HTML</title><style>p{color:red}</style></head><body>"
        "<nav>Home | About</nav><h2>First <em>week</em></h2><div><p>Meet on day one.</p>"
        "<ul><li>coffee</li><li><p>wiki</p></li></ul></div><script>alert('x')</script>"
        "<h3>Lunch</h3><p>Monthly.</p></body></html>"
    )
    guide = parse_guide(write(tmp_path / "buddy.html", html))
    assert guide.title == "Buddy HTML"
    assert [s.headings for s in guide.sections] == [
        ("Buddy HTML", "First week"),
        ("Buddy HTML", "First week", "Lunch"),
    ]
    assert guide.sections[0].text == "Meet on day one.\n\n- coffee\n\n- wiki"
    everything = " ".join(s.text for s in guide.sections)
    assert "alert" not in everything and "Home" not in everything and "color" not in everything


def test_pdf_headings_come_from_larger_type(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "handbook.pdf",
        "Buddy handbook",
        [
            ("Your first week", 1, "Meet your buddy on day one and agree a weekly coffee slot."),
            ("Lunch and learn", 2, "Once a month buddies present something they learnt."),
            ("Expenses", 1, "Coffee is paid by the team budget up to 10 pounds a month."),
        ],
    )
    assert headings(pdf) == [
        ("Buddy handbook", "Your first week"),
        ("Buddy handbook", "Your first week", "Lunch and learn"),
        ("Buddy handbook", "Expenses"),
    ]
    assert "10 pounds a month" in parse_guide(pdf).sections[2].text


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        pytest.param("slides.pptx", b"PK\x03\x04", "unknown kind of file", id="unknown-suffix"),
        pytest.param("notes.txt", b"\x00\x01\x02binary", "binary content", id="binary-text"),
        pytest.param("empty.md", b"   \n\n", "no text found", id="empty"),
        pytest.param("broken.pdf", b"%PDF-1.7 not really", "not a readable PDF", id="bad-pdf"),
        pytest.param("blank.html", b"<html><script>x()</script></html>", "no text", id="no-html"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_with_the_reason(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GuideFormatError, match=says) as raised:
        parse_guide(path)
    assert name in str(raised.value)


def test_control_characters_and_huge_paragraphs_never_break_parsing(tmp_path: Path) -> None:
    hostile = "# T\x1b[2J\n\n" + ("word\x07 " * 5000) + "\n\n" + "x" * 100_000
    guide = parse_guide(write(tmp_path / "hostile.md", hostile))
    assert guide.title == "T[2J" and "\x07" not in guide.sections[0].text


@pytest.fixture
def library(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> GuideLibrary:
    """A library without the starter guides (they have tests of their own)."""
    monkeypatch.setattr(library_module, "STARTER", {})
    return GuideLibrary(workspace)


def test_adding_the_same_file_again_replaces_the_guide(
    library: GuideLibrary, tmp_path: Path
) -> None:
    path = write(tmp_path / "buddy.md", BUDDY_MD)
    first = library.add(path, Audience.MENTEE)
    write(path, "# Buddy handbook\n\n## Coffee\nCoffee is now free for buddies.\n")
    second = library.add(path, Audience.MENTEE)
    assert first.guide_id == second.guide_id == "buddy"
    assert [g.guide_id for g in library.guides()] == ["buddy"]
    texts = [p.text for p in library.passages("buddy")]
    assert texts == ["Coffee is now free for buddies."]
    hits = search(library, "weekly coffee slot day one", [Audience.MENTEE], mode=Mode.TEXT)
    assert all("day one" not in h.chunk.text for h in hits)


def test_a_file_that_fails_to_parse_leaves_the_guide_it_would_replace(
    library: GuideLibrary, tmp_path: Path
) -> None:
    path = write(tmp_path / "buddy.md", BUDDY_MD)
    library.add(path, Audience.ALL)
    write(path, "   ")
    with pytest.raises(GuideFormatError):
        library.add(path, Audience.ALL)
    assert len(library.passages("buddy")) == 4


def test_removing_a_guide_and_unknown_guides(library: GuideLibrary, tmp_path: Path) -> None:
    library.add(write(tmp_path / "buddy.md", BUDDY_MD))
    assert library.remove("buddy.md").title == "Buddy handbook"  # by file name too
    assert library.guides() == []
    with pytest.raises(UnknownGuide, match="no guide 'buddy'"):
        library.remove("buddy")


def test_search_keeps_to_the_readers_audiences(library: GuideLibrary, tmp_path: Path) -> None:
    library.add(
        write(tmp_path / "mentors.md", "# For mentors\n\n## Feedback\nGive feedback kindly.\n"),
        Audience.MENTOR,
    )
    library.add(
        write(tmp_path / "mentees.md", "# For mentees\n\n## Feedback\nAsk for feedback often.\n"),
        Audience.MENTEE,
    )
    library.add(
        write(tmp_path / "all.md", "# For all\n\n## Feedback\nFeedback is a gift.\n"), Audience.ALL
    )
    for mode in Mode:
        mentee = {
            h.chunk.guide_id
            for h in search(library, "feedback", audiences_for([Profile.MENTEE]), 5, mode)
        }
        assert mentee == {"mentees", "all"}
        coordinator = {
            h.chunk.guide_id
            for h in search(library, "feedback", audiences_for([Profile.COORDINATOR]), 5, mode)
        }
        assert coordinator == {"mentors", "mentees", "all"}
    passage = library.passages("mentors")[0]
    with pytest.raises(GuideNotAllowed):
        library.section(passage.id, audiences_for([Profile.MENTEE]))
    assert (
        library.section(passage.id, audiences_for([Profile.MENTOR]))[0].text
        == "Give feedback kindly."
    )


def test_starter_guides_arrive_once_and_a_removed_one_stays_removed(workspace: Workspace) -> None:
    library = GuideLibrary(workspace)
    starters = {g.guide_id for g in library.guides()}
    assert starters == {"mentor-guide", "mentee-guide", "confidentiality-policy", "ending-well",
                        "coordinator-playbook"}  # fmt: skip
    assert all(g.words >= 800 and g.starter for g in library.guides())
    library.remove("ending-well")
    again = GuideLibrary(workspace)
    assert "ending-well" not in {g.guide_id for g in again.guides()}


def test_a_newer_starter_text_replaces_the_one_held(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "starter"
    folder.mkdir()
    write(folder / "mentor-guide.md", "# Mentor guide\n\n## Listening\nListen first.\n")
    monkeypatch.setattr(library_module, "STARTER_DIR", folder)
    monkeypatch.setattr(library_module, "STARTER", {"mentor-guide.md": Audience.MENTOR})
    assert [p.text for p in GuideLibrary(workspace).passages("mentor-guide")] == ["Listen first."]
    write(folder / "mentor-guide.md", "# Mentor guide\n\n## Listening\nListen, then ask.\n")
    assert [p.text for p in GuideLibrary(workspace).passages("mentor-guide")] == [
        "Listen, then ask."
    ]


FIRST_SESSION = """# Mentor guide

## Running the first session
In the first session, agree how often you will meet and for how long. Talk about what
stays confidential between you. Ask your mentee what they want from the programme.

## Giving feedback
Ask permission before you give feedback. Describe the behaviour, not the person.
"""


def gateway_saying(*replies: str) -> tuple[LLMGateway, FakeChatModel]:
    local = FakeChatModel("local-fake").enqueue(*replies)
    general = FakeChatModel("general-fake", local=False)
    return LLMGateway(LLMSettings(), general=general, local=local), local


def test_a_sentence_the_passages_do_not_support_is_dropped(
    library: GuideLibrary, tmp_path: Path
) -> None:
    library.add(write(tmp_path / "mentor.md", FIRST_SESSION), Audience.MENTOR)
    gateway, local = gateway_saying(
        "Agree how often you will meet and for how long. Always bring a cake to the first "
        "session. Talk about what stays confidential between you."
    )
    answer = answer_question(
        library, "how do I run the first session", [Audience.MENTOR], gateway, floor=0.0
    )
    assert answer.found and not answer.quoted
    assert [s.text for s in answer.sentences] == [
        "Agree how often you will meet and for how long.",
        "Talk about what stays confidential between you.",
    ]
    assert answer.dropped == ["Always bring a cake to the first session."]
    (citation,) = answer.citations
    assert citation.guide == "Mentor guide" and citation.heading == "Running the first session"
    assert "agree how often you will meet" in citation.quote
    assert local.history and local.history[0].confidential  # the local model only


def test_with_nothing_supported_the_answer_is_the_passages_quoted(
    library: GuideLibrary, tmp_path: Path
) -> None:
    library.add(write(tmp_path / "mentor.md", FIRST_SESSION), Audience.MENTOR)
    gateway, _ = gateway_saying("Mentoring is a journey of growth. Every step counts!")
    answer = answer_question(library, "first session", [Audience.MENTOR], gateway, floor=0.0)
    assert answer.quoted and answer.sentences == [] and len(answer.dropped) == 2
    assert answer.citations[0].heading == "Running the first session"
    assert "agree how often you will meet" in answer.text()


def test_nothing_relevant_says_so_and_asks_nothing_of_the_model(
    library: GuideLibrary, tmp_path: Path
) -> None:
    library.add(write(tmp_path / "mentor.md", FIRST_SESSION), Audience.MENTOR)
    gateway, local = gateway_saying("The wifi password is hunter2.")
    answer = answer_question(library, "what is the wifi password", [Audience.MENTOR], gateway)
    assert not answer.found and "coordinator" in answer.text() and local.history == []
    assert not answer_question(library, "first session", [Audience.MENTEE], gateway).found


@pytest.mark.parametrize(
    ("claim", "supported"),
    [
        pytest.param("Ask permission before you give feedback.", True, id="verbatim"),
        pytest.param("Before giving feedback, ask permission.", True, id="reordered"),
        pytest.param("Do not ask permission before you give feedback.", False, id="negated"),
        pytest.param("Ask permission before you give feedback twice a week.", False, id="added"),
        pytest.param("Yes.", False, id="says-nothing"),
    ],
)
def test_support_is_word_for_word_and_keeps_the_sense(claim: str, supported: bool) -> None:
    passage = "Ask permission before you give feedback. Describe the behaviour, not the person."
    assert (supporting(claim, passage) is not None) == supported
