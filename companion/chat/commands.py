"""The chat's commands per profile: what a message does is said by its `/command`, which
the UI registers from this table, never guessed from the message's words."""

from __future__ import annotations

from dataclasses import dataclass

from companion.chat.pair_notes import NOTE_COMMAND
from companion.models import Profile

CANCEL = {"cancel", "stop", "quit", "exit", "never mind", "nevermind"}


@dataclass(frozen=True)
class Command:
    """A chat command: `/id` in the message box (the UI registers these per profile)."""

    id: str
    icon: str  # a lucide icon name
    description: str
    button: bool = False  # shown as a button under the message box


NOTE = Command(
    NOTE_COMMAND,
    "lock",
    "write a confidential note for your pair (encrypted, never in the chat history)",
    button=True,
)
SUMMARY = Command("summary", "file-text", "the summary of your latest note, per pair")
HELP = Command("help", "circle-help", "what I can do")
ASK = Command("ask", "book-open", "ask the programme's guides: /ask and your question", button=True)
MEETING = Command("meeting", "calendar-check", "log a meeting you held with your pair")
CHECKIN = Command("checkin", "heart-pulse", "answer your check-in (two ratings, a comment)")
END = Command("end", "log-out", "end a mentoring relationship (no-fault endings are fine)")
COMMANDS: dict[Profile, list[Command]] = {
    Profile.MENTEE: [
        Command("suggest", "users", "mentors who fit you, with their reasons"),
        Command("goal", "target", "draft a SMART goal: /goal and your goal in your own words"),
        Command("questions", "list-checks", "questions to bring to your next session"),
        MEETING,
        CHECKIN,
        NOTE,
        SUMMARY,
        END,
        ASK,
        HELP,
    ],
    Profile.MENTOR: [
        Command("requests", "inbox", "mentees who asked you, to accept or decline"),
        Command("agenda", "calendar", "the timed agenda for your next session with each mentee"),
        MEETING,
        CHECKIN,
        NOTE,
        SUMMARY,
        END,
        ASK,
        HELP,
    ],
    Profile.COORDINATOR: [
        Command("review", "list-todo", "proposed matches to accept or reject"),
        Command(
            "accept", "check-check", "accept every proposal above a score: /accept 0.7 (previewed)"
        ),
        Command("health", "activity", "pairs needing attention: stalled, at risk, and why"),
        Command("gaps", "search", "skills no mentor covers: whom to recruit"),
        Command("dashboard", "chart-column", "plots of the matching step"),
        Command("outcomes", "trending-up", "is it working and fair: plots and a report to share"),
        ASK,
        HELP,
    ],
}
