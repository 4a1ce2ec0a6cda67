"""Guides as sections under their headings, from markdown, plain text, HTML or PDF.

Each format is read by a kept parser: markdown-it-py (markdown and plain text, whose
underlined lines are headings too), Beautiful Soup on Python's own HTML parser, and pypdf,
whose text runs carry their font size: a short line set larger than the body text is a
heading. A file that cannot be read raises `GuideFormatError` naming the file and why.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 20 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")


class GuideFormatError(ValueError):
    """A guide file that cannot be read (the message names the file and the reason)."""


@dataclass(frozen=True)
class Section:
    headings: tuple[str, ...]  # from the guide's title down; never empty
    text: str


@dataclass(frozen=True)
class ParsedGuide:
    title: str
    sections: list[Section]


def clean(text: str) -> str:
    """Control characters dropped, runs of spaces folded, each line trimmed."""
    lines = (_SPACES.sub(" ", _CONTROL.sub("", line)).strip() for line in text.splitlines())
    return "\n".join(lines).strip()


class _Outline:
    """Collects blocks under the headings seen so far."""

    def __init__(self, fallback_title: str) -> None:
        self.title = ""
        self.fallback = fallback_title
        self.stack: list[tuple[int, str]] = []
        self.sections: list[tuple[tuple[str, ...], list[str]]] = []

    def heading(self, level: int, text: str) -> None:
        text = clean(text)
        if not text:
            return
        if level == 1 and not self.title:
            self.title = text
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, text))

    def block(self, text: str) -> None:
        text = clean(text)
        if not text:
            return
        path = tuple(h for _, h in self.stack)
        if self.sections and self.sections[-1][0] == path:
            self.sections[-1][1].append(text)
        else:
            self.sections.append((path, [text]))

    def guide(self, name: str) -> ParsedGuide:
        title = self.title or self.fallback
        sections = [Section((title, *path), "\n\n".join(blocks)) for path, blocks in self.sections]
        if not sections:
            raise GuideFormatError(f"{name}: no text found in the file")
        return ParsedGuide(title, sections)


def _markdown(raw: bytes, name: str, title: str) -> ParsedGuide:
    from markdown_it import MarkdownIt

    outline = _Outline(title)
    tokens = MarkdownIt("commonmark").parse(_text(raw, name))  # raw HTML blocks are skipped
    level = 0
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
        elif token.type == "inline" and level:
            outline.heading(level, _plain(token))
            level = 0
        elif token.type == "inline":
            listed = index >= 2 and tokens[index - 2].type == "list_item_open"
            outline.block(("- " if listed else "") + _plain(token))
        elif token.type in ("fence", "code_block"):
            outline.block(token.content)
    return outline.guide(name)


def _plain(inline: Any) -> str:
    """An inline token's words without their markup (emphasis, links, code marks)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS = ("p", "li", "pre", "blockquote", "td", "th", "dt", "dd", "figcaption", "div")


def _html(raw: bytes, name: str, title: str) -> ParsedGuide:
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(_text(raw, name), "html.parser")
    named = clean(soup.title.get_text()) if soup.title else ""
    for hidden in soup(["script", "style", "template", "noscript", "head", "nav", "footer"]):
        hidden.decompose()
    outline = _Outline(named or title)
    for tag in soup.find_all([*_HEADINGS, *_BLOCKS]):
        if not isinstance(tag, Tag) or tag.find_parent(_HEADINGS):
            continue
        if tag.name in _HEADINGS:
            outline.heading(int(tag.name[1]), tag.get_text(" "))
        elif not tag.find([*_HEADINGS, *_BLOCKS]):  # innermost blocks only: no text twice
            listed = tag.name == "li" or (tag.parent is not None and tag.parent.name == "li")
            outline.block(("- " if listed else "") + " ".join(tag.get_text(" ").split()))
    return outline.guide(name)


def _pdf(raw: bytes, name: str, title: str) -> ParsedGuide:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise GuideFormatError(f"{name}: the PDF is protected by a password")
        lines = [line for page in reader.pages for line in _pdf_lines(page)]
        meta_title = clean(str(reader.metadata.get("/Title") or "") if reader.metadata else "")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as err:
        if isinstance(err, GuideFormatError):
            raise
        raise GuideFormatError(f"{name}: not a readable PDF ({err})") from None
    if not any(text for text, _ in lines):
        raise GuideFormatError(f"{name}: the PDF has no text layer (a scanned document?)")
    outline = _Outline(meta_title or title)
    _pdf_outline(outline, lines)
    return outline.guide(name)


def _pdf_lines(page: object) -> list[tuple[str, float]]:
    """The page's lines, each with the font size it is set in."""
    lines: list[tuple[str, float]] = []
    parts: list[tuple[str, float]] = []

    def end_line() -> None:
        if parts:
            lines.append(("".join(p for p, _ in parts), max(s for _, s in parts)))
            parts.clear()

    def visit(text: str, cm: list, tm: list, font: object, font_size: float) -> None:
        scale = abs(tm[2] * cm[1] + tm[3] * cm[3]) or 1.0
        for index, part in enumerate(text.split("\n")):
            if index:
                end_line()
            if part.strip():
                parts.append((part, font_size * scale))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    end_line()
    return [(clean(text), round(size, 1)) for text, size in lines if clean(text)]


def _pdf_outline(outline: _Outline, lines: list[tuple[str, float]]) -> None:
    """Short lines set at least 15% larger than the body are headings, by size rank."""
    weights = Counter[float]()
    for text, size in lines:
        weights[size] += len(text)
    body = weights.most_common(1)[0][0]
    sizes = sorted({s for t, s in lines if s >= body * 1.15 and len(t.split()) <= 14}, reverse=True)
    paragraph: list[str] = []
    for text, size in lines:
        if size in sizes and len(text.split()) <= 14:
            outline.block(" ".join(paragraph))
            paragraph.clear()
            outline.heading(sizes.index(size) + 1, text)
        else:
            paragraph.append(text)
    outline.block(" ".join(paragraph))


def _text(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096]:
        raise GuideFormatError(f"{name}: binary content, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as err:
            raise GuideFormatError(f"{name}: not UTF-8 or Windows-1252 text ({err})") from None


Parser = Callable[[bytes, str, str], ParsedGuide]
FORMATS: dict[str, Parser] = {
    ".md": _markdown,
    ".markdown": _markdown,
    ".txt": _markdown,  # paragraphs at blank lines; an underlined line is a heading
    ".html": _html,
    ".htm": _html,
    ".pdf": _pdf,
}


def parse_guide(path: Path) -> ParsedGuide:
    """The guide in `path`, by its suffix."""
    name = path.name
    parser = FORMATS.get(path.suffix.lower())
    if parser is None:
        known = ", ".join(sorted(FORMATS))
        raise GuideFormatError(f"{name}: unknown kind of file; guides can be {known}")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise GuideFormatError(f"{name}: cannot be read ({err.strerror})") from None
    if size > MAX_BYTES:
        raise GuideFormatError(f"{name}: {size / 2**20:.0f} MB is over the 20 MB limit")
    return parser(path.read_bytes(), name, _title_from(path.stem))


def _title_from(stem: str) -> str:
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Guide"


def words_of(sections: Iterable[Section]) -> int:
    return sum(len(s.text.split()) for s in sections)
