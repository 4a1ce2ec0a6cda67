"""Misspelt words in skill phrases, corrected before they are embedded.

all-MiniLM-L6-v2 splits a misspelt word into pieces that mean little: "negotation" is
not covered by a mentor offering "negotiation" (cosine under the floor), nor "public
speeking" by "public speaking". pyspellchecker (MIT; English word frequencies from
OpenSubtitles) says which words are not English and which English words lie one edit
away. A word is corrected only when all of these hold, so that jargon survives:

- it has 6 letters or more ("sql", "mgmt", "jira" and "figma" are left alone);
- it is unknown to the English dictionary and to the working vocabulary below;
- one of its one-edit neighbours is in the working vocabulary: the words of O*NET's
  tasks, skills, knowledge, technologies and job titles, and of the skill phrasings
  mentorkit ships (companion/data). "devops" is not turned into "devons", nor "kanban"
  into "kansan"; the most frequent neighbour wins;
- the neighbour is not the same word in American spelling ("organisation").

The vocabulary is fixed (shipped with the package), so a phrase is corrected the same
way whoever else is imported. Only the text given to the encoder changes: reasons show
the phrase as the person wrote it.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"
SHORTEST = 6  # letters: shorter words are too often jargon or abbreviations
_WORD = re.compile(r"[A-Za-z]+")
_SOURCES = (
    ("onet/tasks.csv", "task"),
    ("onet/technology_skills.csv", "technology"),
    ("onet/skills.csv", "element"),
    ("onet/knowledge.csv", "element"),
    ("onet/occupations.csv", "title"),
    ("onet/occupations.csv", "description"),
    ("onet/alternate_titles.csv", "alternate_title"),
    ("skill_phrasings.csv", "phrasings"),
)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The working vocabulary: words of the shipped O*NET tables and skill phrasings."""
    words: set[str] = set()
    for name, column in _SOURCES:
        with open(DATA / name, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                words.update(w.lower() for w in _WORD.findall(row.get(column) or ""))
    return frozenset(words)


@lru_cache(maxsize=1)
def _speller() -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _american(word: str, other: str) -> bool:
    return word.replace("s", "z") == other or word.replace("our", "or") == other


@lru_cache(maxsize=65536)
def corrected_word(word: str) -> str:
    """The word as a working-vocabulary word one edit away, or as it is."""
    lower = word.lower()
    known = vocabulary()
    if len(lower) < SHORTEST or lower in known:
        return word
    speller = _speller()
    if not speller.unknown([lower]):
        return word
    near = [c for c in speller.candidates(lower) or () if c in known and not _american(lower, c)]
    if not near:
        return word
    return max(near, key=lambda c: (speller.word_usage_frequency(c), c))


@lru_cache(maxsize=65536)
def corrected(phrase: str) -> str:
    """The phrase with each misspelt word corrected (module doc); the rest untouched."""
    return _WORD.sub(lambda m: corrected_word(m.group(0)), phrase)
