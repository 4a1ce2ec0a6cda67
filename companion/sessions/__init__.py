"""Between sessions: agendas, mentor prompts and the mentee's questions."""

from companion.sessions.agenda import Agenda, AgendaItem, build_agenda, mentor_prompts
from companion.sessions.questions import prepare_questions
from companion.sessions.service import Sessions
from companion.sessions.timing import allocate_minutes

__all__ = [
    "Agenda",
    "AgendaItem",
    "Sessions",
    "allocate_minutes",
    "build_agenda",
    "mentor_prompts",
    "prepare_questions",
]
