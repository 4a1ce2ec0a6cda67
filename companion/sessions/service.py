"""Session use cases: the agenda for a pair's next session, a mentee's questions to bring."""

from __future__ import annotations

import datetime as dt
import uuid

import lancedb
import pyarrow as pa

from companion.goals import Goals
from companion.guides import GuideLibrary, Topic, audiences_for, link_for
from companion.lance import append_rows, open_table
from companion.lifecycle.meetings import Meetings
from companion.llm import LLMGateway
from companion.notes import Notebook, Viewer
from companion.notes.summary import NoteSummary
from companion.sessions.agenda import Agenda, build_agenda
from companion.sessions.questions import prepare_questions
from companion.sessions.wording import reword
from companion.workspace import Workspace

QUESTIONS = "prepared_questions"
_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("mentee_id", pa.string()),
        ("goal_id", pa.string()),
        ("text", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)


class Sessions:
    def __init__(
        self, workspace: Workspace, gateway: LLMGateway | None = None, today: dt.date | None = None
    ) -> None:
        self.workspace = workspace
        self.gateway = gateway or workspace.gateway
        self.today = today or dt.date.today()
        self.goals = Goals(workspace, self.today)
        self._db = lancedb.connect(str(workspace.settings.store_dir))

    def saved_questions(self, mentee_id: str) -> list[tuple[str, str]]:
        table = open_table(self._db, QUESTIONS)
        if table is None:
            return []
        rows = table.to_arrow().to_pylist()
        mine = sorted(
            (r for r in rows if r["mentee_id"] == mentee_id), key=lambda r: r["created_at"]
        )
        return [(r["id"], r["text"]) for r in mine[-5:]]

    def last_summary(self, notebook: Notebook, viewer: Viewer, pair_id: str) -> NoteSummary | None:
        for note in reversed(notebook.store.notes(viewer, pair_id)):
            raw = notebook.store.summary(viewer, pair_id, note.id)
            if raw is not None:
                return NoteSummary.model_validate_json(raw)
        return None

    def agenda(self, viewer: Viewer, pair_id: str, minutes: int, wording: bool = True) -> Agenda:
        """The next session's agenda and mentor prompts; only the pair may ask (it reads notes)."""
        notebook = Notebook(self.workspace, self.gateway)
        pair = notebook.store.pair(viewer, pair_id)
        agenda = build_agenda(
            self.goals.confirmed(pair.mentee_id),
            self.last_summary(notebook, viewer, pair_id),
            self.saved_questions(pair.mentee_id),
            minutes,
        )
        if wording:  # built from confidential notes: the local model only
            titles, model = reword([i.title for i in agenda.items], self.gateway, confidential=True)
            prompts, _ = reword(agenda.prompts, self.gateway, confidential=True)
            for item, title in zip(agenda.items, titles, strict=True):
                item.title = title
            agenda.prompts, agenda.model = prompts, model
        if not Meetings(self.workspace).of_pair(pair.id):  # the first session: how to run it
            library = GuideLibrary(self.workspace)
            agenda.guide = link_for(library, Topic.FIRST_SESSION, audiences_for([viewer.role]))
        return agenda

    def questions(
        self, mentee_id: str, goal_id: str | None, since: str, save: bool = True
    ) -> list[str]:
        """3-5 questions for the mentee to bring, about one goal (the latest by default)."""
        mentee = self.goals.mentee(mentee_id)
        goals = [g for g in self.goals.confirmed(mentee_id) if g.status == "active"]
        goal = (
            next((g for g in goals if g.id == goal_id), None)
            if goal_id
            else (goals[-1] if goals else None)
        )
        if goal is None:
            raise ValueError(f"{mentee_id} has no goal {goal_id or 'yet'}: draft one first")
        drafted = prepare_questions(goal, since, self.today, mentee.skills_wanted)
        worded, _ = reword(drafted, self.gateway, confidential=True)
        if save:
            now = dt.datetime.now(dt.UTC)
            rows = pa.Table.from_pylist(
                [
                    {
                        "id": f"q-{uuid.uuid4().hex[:8]}",
                        "mentee_id": mentee_id,
                        "goal_id": goal.id,
                        "text": text,
                        "created_at": now,
                    }
                    for text in worded
                ],
                schema=_SCHEMA,
            )
            append_rows(self._db, QUESTIONS, rows)
        return worded
