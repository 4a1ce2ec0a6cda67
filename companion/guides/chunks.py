"""Guides cut into passages that each answer something: one section, or a run of its
paragraphs when the section is long, always with the section's heading path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from companion.guides.parsing import ParsedGuide

MAX_WORDS = 220  # a passage long enough to answer, short enough to quote
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(-])")


class Audience(StrEnum):
    MENTOR = "mentor"
    MENTEE = "mentee"
    COORDINATOR = "coordinator"
    ALL = "all"


@dataclass(frozen=True)
class Chunk:
    guide_id: str
    title: str
    source: str  # the file's name
    audience: Audience
    headings: tuple[str, ...]  # the guide's title first
    position: int  # order within the guide
    text: str

    @property
    def id(self) -> str:
        return f"{self.guide_id}#{self.position}"

    @property
    def heading(self) -> str:
        """Where the passage sits, below the guide's title: 'The first session › Agenda'."""
        return " › ".join(self.headings[1:]) or self.title

    @property
    def searchable(self) -> str:
        """What the encoder and the full-text index read: the headings give the topic."""
        return " › ".join(self.headings) + "\n" + self.text


def guide_id_for(file_name: str) -> str:
    """The same file name, added again, gives the same id (and replaces the guide)."""
    stem = file_name.rsplit(".", 1)[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "guide"


def _pieces(text: str) -> list[str]:
    """Paragraphs, and a paragraph over MAX_WORDS cut at sentence ends."""
    pieces = []
    for paragraph in text.split("\n\n"):
        if len(paragraph.split()) <= MAX_WORDS:
            pieces.append(paragraph)
            continue
        sentences = _SENTENCE_END.split(paragraph)
        pieces += _packed(sentences, " ")
    return pieces


def _packed(parts: list[str], joiner: str) -> list[str]:
    packed: list[str] = []
    current: list[str] = []
    for part in parts:
        size = sum(len(p.split()) for p in current)
        if current and size + len(part.split()) > MAX_WORDS:
            packed.append(joiner.join(current))
            current = []
        current.append(part)
    if current:
        packed.append(joiner.join(current))
    return packed


def chunk_guide(guide: ParsedGuide, source: str, audience: Audience) -> list[Chunk]:
    guide_id = guide_id_for(source)
    chunks: list[Chunk] = []
    for section in guide.sections:
        for text in _packed(_pieces(section.text), "\n\n"):
            chunks.append(
                Chunk(guide_id, guide.title, source, audience, section.headings, len(chunks), text)
            )
    return chunks
