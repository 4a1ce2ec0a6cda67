"""Searching the guidance library: full-text (BM25 over the passages and their headings),
vector (the bundled encoder) or both fused by reciprocal rank (LanceDB's hybrid query with
its RRF reranker), always inside the audiences the reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from companion.guides.chunks import Audience, Chunk
from companion.guides.library import GuideLibrary, chunk_of
from companion.lance import sql_quote
from companion.language.spelling import corrected
from companion.models import Profile

MAX_QUESTION = 1000  # characters read of a question
DEPTH = 20  # candidates each way before fusion
# Reciprocal rank fusion's constant: 1/(K + rank) from each ranking. Chosen on the dev
# split of evals/data/guide_questions (recall@3 + MRR over K in 5, 20, 60; 60 is the
# usual default): K=5 trusts each ranking's top places more.
RRF_K = 5


class Mode(StrEnum):
    HYBRID = "hybrid"
    TEXT = "text"
    VECTOR = "vector"


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    similarity: float  # the encoder's cosine between the question and the passage
    score: float  # what the mode ranked by


def audiences_for(profiles: Iterable[Profile]) -> list[Audience]:
    """What each capacity may read: its own guides and those for all; coordinators, all."""
    seen = {Audience.ALL}
    for profile in profiles:
        if profile == Profile.COORDINATOR:
            return list(Audience)
        seen.add(Audience(profile.value))
    return sorted(seen)


def _audience_filter(audiences: Iterable[Audience]) -> str:
    return "audience IN (" + ", ".join(sql_quote(str(a)) for a in audiences) + ")"


def search(
    library: GuideLibrary,
    question: str,
    audiences: Iterable[Audience],
    k: int = 3,
    mode: Mode = Mode.HYBRID,
) -> list[Hit]:
    """The `k` best passages for `question` that these audiences may read."""
    question = corrected(" ".join(question[:MAX_QUESTION].split()))  # "feedbak", "mentee"
    if not question:
        return []
    table = library.table()
    if not table.count_rows():
        return []
    where = _audience_filter(audiences)
    vector = library.workspace.embedder.embed([question], desc="question")[0]
    if mode == Mode.TEXT:
        query = table.search(question, query_type="fts", fts_columns="searchable")
    elif mode == Mode.VECTOR:
        query = table.search(vector, query_type="vector").distance_type("cosine")
    else:
        from lancedb.rerankers import RRFReranker

        query = (
            table.search(query_type="hybrid", fts_columns="searchable")
            .vector(vector)
            .text(question)
            .distance_type("cosine")
            .rerank(RRFReranker(K=RRF_K, return_score="relevance"))
        )
    rows = query.where(where, prefilter=True).limit(max(k, DEPTH)).to_list()
    score_key = {"text": "_score", "vector": "_distance"}.get(mode, "_relevance_score")
    hits = [
        Hit(
            chunk_of(row),
            float(np.dot(np.asarray(row["vector"], dtype=np.float32), vector)),
            -float(row[score_key]) if mode == Mode.VECTOR else float(row[score_key]),
        )
        for row in rows
    ]
    return hits[:k]
