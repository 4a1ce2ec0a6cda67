"""Building the matcher's Population from the store: people, vectors and current loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from companion.models import Person
from retrieval import PhraseLists, Population


@lru_cache(maxsize=1024)
def utc_offset_hours(timezone: str, on: dt.date) -> float:
    moment = dt.datetime.combine(on, dt.time(12), tzinfo=ZoneInfo(timezone))
    offset = moment.utcoffset() or dt.timedelta(0)
    return offset.total_seconds() / 3600


def _vectors(column: pa.ChunkedArray) -> np.ndarray:
    """A fixed-size-list column as an n x d float32 array, without Python objects."""
    array = column.combine_chunks()
    dim = array.type.list_size
    return array.values.to_numpy(zero_copy_only=False).reshape(-1, dim).astype(np.float32)


def _nested_vectors(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """A list-of-vectors column as (offsets, all vectors stacked)."""
    array = column.combine_chunks()
    offsets = array.offsets.to_numpy().astype(np.int64)
    inner = array.values
    dim = inner.type.list_size
    flat = inner.values.to_numpy(zero_copy_only=False).reshape(-1, dim).astype(np.float32)
    return offsets - offsets[0], flat[offsets[0] : offsets[-1]] if len(flat) else flat


def _codes(values: Sequence[object]) -> np.ndarray:
    """Small integer codes for values; None or empty becomes -1."""
    seen: dict[object, int] = {}
    return np.array(
        [-1 if not v else seen.setdefault(v, len(seen)) for v in values], dtype=np.int64
    )


class _PhraseTable:
    """Distinct phrases by text, each with the vector of its first occurrence."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.ids: dict[str, int] = {}
        self.rows: list[np.ndarray] = []

    def intern(self, texts: list[str], flat: np.ndarray, start: int) -> list[int]:
        found = []
        for k, text in enumerate(texts):
            if text not in self.ids:
                self.ids[text] = len(self.ids)
                self.rows.append(flat[start + k])
            found.append(self.ids[text])
        return found

    def vectors(self) -> np.ndarray:
        return np.vstack(self.rows) if self.rows else np.zeros((0, self.dim), np.float32)


def _spoken(people: Sequence[Person]) -> np.ndarray:
    """Who speaks which language, as a people x languages boolean matrix (case-insensitive)."""
    languages = sorted({lang.casefold() for p in people for lang in p.languages})
    column = {lang: j for j, lang in enumerate(languages)}
    spoken = np.zeros((len(people), len(languages)), dtype=bool)
    for i, person in enumerate(people):
        for lang in person.languages:
            spoken[i, column[lang.casefold()]] = True
    return spoken


def _titles(people: Sequence[Person], titles: Mapping[str, np.ndarray], dim: int) -> np.ndarray:
    zero = np.zeros(dim, dtype=np.float32)
    rows = [titles.get(p.title, zero) for p in people]
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32)


def build_population(
    people: Sequence[Person],
    vectors: pa.Table,
    load: Mapping[str, int] | None = None,
    on: dt.date | None = None,
    titles: Mapping[str, np.ndarray] | None = None,
) -> Population:
    """The Population for `people` (sorted by id), with `vectors` from Store.vectors() and
    `titles`, a vector per job title (a title missing from it counts as unknown)."""
    on = on or dt.date.today()
    load = load or {}
    order = {pid: i for i, pid in enumerate(vectors["id"].to_pylist())}
    rows = np.array([order[p.id] for p in people], dtype=np.int64)
    offer = _vectors(vectors["offer_vector"])[rows]
    goals = _vectors(vectors["goals_vector"])[rows]
    offered_ptr, offered_flat = _nested_vectors(vectors["offered_vectors"])
    wanted_ptr, wanted_flat = _nested_vectors(vectors["wanted_vectors"])

    phrases = _PhraseTable(dim=offer.shape[1])
    offered_lists, wanted_lists = [], []
    for person, row in zip(people, rows.tolist(), strict=True):
        offered_lists.append(phrases.intern(person.skills_offered, offered_flat, offered_ptr[row]))
        wanted_lists.append(phrases.intern(person.skills_wanted, wanted_flat, wanted_ptr[row]))
    row_of = {p.id: i for i, p in enumerate(people)}
    return Population(
        ids=[p.id for p in people],
        seniority=np.array([p.seniority for p in people], dtype=np.int64),
        team=_codes([(p.department, p.team) if p.team else None for p in people]),
        track=_codes([p.track for p in people]),
        manager=np.array(
            [row_of.get(p.manager_id, -1) if p.manager_id else -1 for p in people], dtype=np.int64
        ),
        languages=_spoken(people),
        utc_offset=np.array([utc_offset_hours(p.timezone, on) for p in people], dtype=np.float32),
        is_mentor=np.array([p.role.mentors for p in people], dtype=bool),
        is_mentee=np.array([p.role.mentees for p in people], dtype=bool),
        capacity=np.array([p.capacity for p in people], dtype=np.int64),
        load=np.array([load.get(p.id, 0) for p in people], dtype=np.int64),
        exclusions=[(row_of[p.id], row_of[o]) for p in people for o in p.exclude if o in row_of],
        offer_vectors=offer,
        goals_vectors=goals,
        title_vectors=_titles(people, titles or {}, offer.shape[1]),
        phrase_texts=list(phrases.ids),
        phrase_vectors=phrases.vectors(),
        offered=PhraseLists.from_lists(offered_lists),
        wanted=PhraseLists.from_lists(wanted_lists),
    )
