"""The matcher's view of a population: ids, numbers and vectors, no domain objects.

`companion` builds a Population from the store; everything in `retrieval` works on it.
People are rows 0..n-1, in id order (ties in score break by id). Skill phrases are
deduplicated by text into one table shared by offered and wanted skills; each person's
phrases are a CSR slice into that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PhraseLists:
    """Per-person lists of phrase ids, in CSR form: person i owns ids[ptr[i]:ptr[i+1]]."""

    ptr: np.ndarray  # int64, n + 1
    ids: np.ndarray  # int64

    def of(self, person: int) -> np.ndarray:
        return self.ids[self.ptr[person] : self.ptr[person + 1]]

    def counts(self) -> np.ndarray:
        return np.diff(self.ptr)

    @classmethod
    def from_lists(cls, lists: list[list[int]]) -> PhraseLists:
        counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        flat = [i for x in lists for i in x]
        return cls(ptr=ptr, ids=np.asarray(flat, dtype=np.int64))


@dataclass
class Population:
    """Everything the rules and the scorer need, as arrays indexed by person row."""

    ids: list[str]
    seniority: np.ndarray  # int, 1-5
    team: np.ndarray  # int code, -1 for none
    track: np.ndarray  # int code, -1 for none
    manager: np.ndarray  # row of the manager, -1 for none
    languages: np.ndarray  # bool, n x number of distinct languages
    utc_offset: np.ndarray  # float hours
    is_mentor: np.ndarray  # bool
    is_mentee: np.ndarray  # bool
    capacity: np.ndarray  # int
    load: np.ndarray  # int, mentees already accepted
    exclusions: list[tuple[int, int]]  # (a, b): a never paired with b, either way round
    offer_vectors: np.ndarray  # n x d, title + bio
    goals_vectors: np.ndarray  # n x d, goals
    title_vectors: np.ndarray  # n x d, job title alone (zeros where unknown)
    phrase_texts: list[str]
    phrase_vectors: np.ndarray  # p x d
    offered: PhraseLists
    wanted: PhraseLists
    row_of: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        if any(a >= b for a, b in zip(self.ids, self.ids[1:], strict=False)):
            raise ValueError("people must be in strictly increasing id order")
        self.row_of = {person_id: row for row, person_id in enumerate(self.ids)}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def remaining(self) -> np.ndarray:
        return np.maximum(self.capacity - self.load, 0)

    def mentors(self) -> np.ndarray:
        return np.flatnonzero(self.is_mentor & (self.capacity > 0))

    def mentees(self) -> np.ndarray:
        return np.flatnonzero(self.is_mentee)
