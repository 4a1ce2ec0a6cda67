"""The guidance library: the programme's training material and guidelines, searched by
audience and quoted in answers (see library, search and answer)."""

from __future__ import annotations

from companion.guides.answer import NOTHING_FOUND, Citation, GuideAnswer, answer_question
from companion.guides.chunks import Audience, Chunk
from companion.guides.library import GuideInfo, GuideLibrary, GuideNotAllowed, UnknownGuide
from companion.guides.links import GuideLink, Topic, link_for
from companion.guides.parsing import GuideFormatError
from companion.guides.search import Hit, Mode, audiences_for, search

__all__ = [
    "NOTHING_FOUND",
    "Audience",
    "Chunk",
    "Citation",
    "GuideAnswer",
    "GuideFormatError",
    "GuideInfo",
    "GuideLibrary",
    "GuideLink",
    "GuideNotAllowed",
    "Hit",
    "Mode",
    "Topic",
    "UnknownGuide",
    "answer_question",
    "audiences_for",
    "link_for",
    "search",
]
