"""Turning people into the vectors the store keeps: one per skill phrase, two per profile."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from companion.language.spelling import corrected
from companion.models import Person
from companion.store import PersonRecord
from embeddings import CachingEmbedder


def mentor_titles(people: Sequence[Person]) -> list[str]:
    """Mentors' job titles, once each: the role component compares them with goals."""
    return sorted({p.title for p in people if p.role.mentors and p.title})


def embed_people(people: Sequence[Person], embedder: CachingEmbedder) -> list[PersonRecord]:
    """Every person with their vectors. Skill phrases first (short, cheap), then profiles."""
    phrases = [p for person in people for p in (*person.skills_offered, *person.skills_wanted)]
    # misspelt words corrected for the encoder only ("negotation"): reasons keep the text
    phrase_vectors = embedder.embed([corrected(p) for p in phrases], desc="skill phrases")
    embedder.embed(mentor_titles(people), desc="job titles")  # read back by the matcher
    profiles = [text for person in people for text in (person.offer_text, person.goals_text)]
    profile_vectors = embedder.embed(profiles, desc="profiles")
    records = []
    cursor = 0
    for index, person in enumerate(people):
        offered = len(person.skills_offered)
        wanted = len(person.skills_wanted)
        records.append(
            PersonRecord(
                person=person,
                offer_vector=profile_vectors[2 * index],
                goals_vector=profile_vectors[2 * index + 1],
                offered_vectors=_rows(phrase_vectors, cursor, offered, embedder.dim),
                wanted_vectors=_rows(phrase_vectors, cursor + offered, wanted, embedder.dim),
            )
        )
        cursor += offered + wanted
    return records


def _rows(vectors: np.ndarray, start: int, count: int, dim: int) -> np.ndarray:
    if count == 0:
        return np.zeros((0, dim), dtype=np.float32)
    return vectors[start : start + count]
