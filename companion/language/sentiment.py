"""The sentiment of a check-in comment, on this machine, by the bundled encoder.

Each label has anchor sentences written for mentorkit (companion/data/checkin_anchors.json:
how people say a pair is going well, is drifting, or just report logistics). A comment
takes the label whose five closest anchors are, on average, closest to it. Deterministic,
no network, no chat model; measured by `python -m evals.checkin_sentiment`.

A lexicon (VADER) was tried and left out: on the dev split it read 57% against 79% here,
because the comments that matter most say no feeling word at all ("last met in october",
"she's cancelled the last three").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from functools import cache
from pathlib import Path

import numpy as np


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


ANCHORS = Path(__file__).resolve().parent.parent / "data" / "checkin_anchors.json"
NEAREST = 5  # anchors averaged per label (chosen on the dev split)

Embed = Callable[[list[str]], np.ndarray]


@cache
def anchors() -> dict[Sentiment, tuple[str, ...]]:
    raw = json.loads(ANCHORS.read_text(encoding="utf-8"))
    return {Sentiment(label): tuple(texts) for label, texts in raw.items()}


_VECTORS: dict[int, np.ndarray] = {}


def _anchor_vectors(embed: Embed) -> np.ndarray:
    """The anchors' vectors, embedded once per encoder."""
    key = id(embed.__self__) if hasattr(embed, "__self__") else id(embed)
    if key not in _VECTORS:
        _VECTORS[key] = embed([a for label in anchors() for a in anchors()[label]])
    return _VECTORS[key]


def comment_sentiment(text: str, embed: Embed) -> Sentiment:
    """Positive, neutral or negative, as a coordinator would read the comment."""
    if not text.strip():
        return Sentiment.NEUTRAL
    labels = list(anchors())
    rest = _anchor_vectors(embed)
    comment = embed([text])[0]
    scores, start = {}, 0
    for label in labels:
        count = len(anchors()[label])
        similar = np.sort(rest[start : start + count] @ comment)[-NEAREST:]
        scores[label] = float(similar.mean())
        start += count
    return max(scores, key=lambda label: scores[label])
