"""Whether a claim is supported by a source text, word for word: every content word and
number of the claim must be in the source, as written or as the same stem. Used to keep
a model's summary bullets and guide answers to what their sources say."""

from __future__ import annotations

import re

# Words that carry no fact: a bullet may use them freely.
_FUNCTION_TEXT = """
    a an the and or but to of in on at by for with from as is are was were be been will
    would shall should can could may might must do does did has have had it its this
    that these those there their they them he she his her him we our us you your i me my
    mine also about into over under after before then than so such not no yes all any
    each both more most some other very just only up out off again further once here
    when where why how what which who whom session sessions meeting discussed discuss
    talked talk agreed agree said mentioned noted plan plans next time week weeks day
    days going get got make made need needs needed want wants wanted like well good
    great really going
"""
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())


def content_words(text: str) -> set[str]:
    """The words of `text` that carry facts, lower-cased (numbers and amounts included)."""
    words = re.findall(r"[a-z0-9£$€%][a-z0-9£$€%'.-]*", text.lower())
    return {w.strip(".'") for w in words if w.strip(".'") not in FUNCTION_WORDS and len(w) > 1}


def matches(word: str, source: set[str]) -> bool:
    """A bullet's word is in the note as written, or as the same stem ('reviewing' and
    'review', 'slides' and 'slide')."""
    if word in source:
        return True
    if word.isdigit() or len(word) < 5:
        return False
    return any(len(w) >= 5 and w[:5] == word[:5] for w in source if not w.isdigit())
