"""The store of record: people and their vectors in LanceDB under the data dir.

One row per person holds the profile, two profile vectors (what they offer: title and
bio; what they are after: goals) and one vector per skill phrase. Because everything
about a person lives in one table, an import is a single `merge_insert`: one Lance
commit, all or nothing. A write that fails midway leaves the previous version intact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import lancedb
import numpy as np
import pyarrow as pa

from companion.lance import open_or_create, open_table, replace_rows, sql_quote, upsert_rows
from companion.models import LIST_FIELDS, Person, Programme, Role

PEOPLE = "people"
PROGRAMME = "programme"
SIGN_UPS = "sign_ups"  # the day each person joined: apart from the profile, never embedded
WRITE_BATCH_ROWS = 1000
PERSON_FIELDS = tuple(Person.model_fields)
_OPTIONAL_FIELDS = ("manager_id", "track")
_INT_FIELDS = ("seniority", "capacity")


class StoreError(RuntimeError):
    """The store cannot do what was asked; the message says why and what to do."""


@dataclass
class PersonRecord:
    """A person with the vectors the store keeps for them."""

    person: Person
    offer_vector: np.ndarray
    goals_vector: np.ndarray
    offered_vectors: np.ndarray
    wanted_vectors: np.ndarray


@dataclass
class UpsertResult:
    inserted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def people_schema(dim: int) -> pa.Schema:
    vector = pa.list_(pa.float32(), dim)
    columns: list[pa.Field] = []
    for name in PERSON_FIELDS:
        if name in LIST_FIELDS:
            columns.append(pa.field(name, pa.list_(pa.string()), nullable=False))
        elif name in _INT_FIELDS:
            columns.append(pa.field(name, pa.int32(), nullable=False))
        else:
            columns.append(pa.field(name, pa.string(), nullable=name in _OPTIONAL_FIELDS))
    columns += [
        pa.field("embedding_model", pa.string(), nullable=False),
        pa.field("offer_vector", vector, nullable=False),
        pa.field("goals_vector", vector, nullable=False),
        pa.field("offered_vectors", pa.list_(vector), nullable=False),
        pa.field("wanted_vectors", pa.list_(vector), nullable=False),
        pa.field("updated_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
    return pa.schema(columns)


def _to_row(record: PersonRecord, model_id: str, now: dt.datetime) -> dict:
    row = record.person.model_dump(mode="json")
    row.update(
        embedding_model=model_id,
        offer_vector=record.offer_vector.tolist(),
        goals_vector=record.goals_vector.tolist(),
        offered_vectors=record.offered_vectors.tolist(),
        wanted_vectors=record.wanted_vectors.tolist(),
        updated_at=now,
    )
    return row


class Store:
    """People and the programme, kept in LanceDB at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(path))

    # -- people -------------------------------------------------------------------
    def _people_table(self) -> lancedb.table.Table | None:
        return open_table(self._db, PEOPLE)

    def embedding_model(self) -> str | None:
        """The encoder every stored vector came from, or None for an empty store."""
        table = self._people_table()
        if table is None or table.count_rows() == 0:
            return None
        rows = table.search().select(["embedding_model"]).limit(1).to_arrow()
        return rows["embedding_model"][0].as_py()

    def ids(self) -> set[str]:
        table = self._people_table()
        if table is None:
            return set()
        return set(table.search().select(["id"]).limit(None).to_arrow()["id"].to_pylist())

    def count(self) -> int:
        table = self._people_table()
        return 0 if table is None else table.count_rows()

    def version(self) -> int:
        table = self._people_table()
        return 0 if table is None else table.version

    def people(self) -> list[Person]:
        """Everyone, sorted by id."""
        table = self._people_table()
        if table is None:
            return []
        rows = table.search().select(list(PERSON_FIELDS)).limit(None).to_arrow().to_pylist()
        return sorted((_stored_person(row) for row in rows), key=lambda p: p.id)

    def get(self, person_id: str) -> Person | None:
        table = self._people_table()
        if table is None:
            return None
        rows = (
            table.search()
            .where(f"id = {sql_quote(person_id)}")
            .select(list(PERSON_FIELDS))
            .limit(1)
            .to_arrow()
            .to_pylist()
        )
        return _stored_person(rows[0]) if rows else None

    def vectors(self) -> pa.Table:
        """Ids with every stored vector, for the matcher."""
        table = self._people_table()
        columns = ["id", "offer_vector", "goals_vector", "offered_vectors", "wanted_vectors"]
        if table is None:
            return pa.table({c: [] for c in columns})
        return table.search().select(columns).limit(None).to_arrow()

    def upsert(self, records: Sequence[PersonRecord], model_id: str) -> UpsertResult:
        """Insert or replace people by id, in one atomic commit."""
        if not records:
            return UpsertResult()
        stored_model = self.embedding_model()
        if stored_model is not None and stored_model != model_id:
            raise StoreError(
                f"the store holds vectors from {stored_model!r} but the encoder is {model_id!r}; "
                "set MENTORKIT_EMBEDDING__BACKEND to match, or use a fresh --data-dir"
            )
        dim = int(records[0].offer_vector.shape[0])
        schema = people_schema(dim)
        existing = self.ids()
        result = UpsertResult()
        for record in records:
            (result.updated if record.person.id in existing else result.inserted).append(
                record.person.id
            )
        now = dt.datetime.now(dt.UTC)
        reader = pa.RecordBatchReader.from_batches(
            schema, self._batches(records, model_id, now, schema)
        )
        # An empty table first, so that the data goes in by the same single commit.
        table = open_or_create(self._db, PEOPLE, schema)
        (
            table.merge_insert("id")
            .when_matched_update_all()
            .when_not_matched_insert_all()
            .execute(reader)
        )
        return result

    def _batches(
        self, records: Sequence[PersonRecord], model_id: str, now: dt.datetime, schema: pa.Schema
    ) -> Iterator[pa.RecordBatch]:
        for start in range(0, len(records), WRITE_BATCH_ROWS):
            chunk = records[start : start + WRITE_BATCH_ROWS]
            rows = [_to_row(record, model_id, now) for record in chunk]
            yield pa.RecordBatch.from_pylist(rows, schema=schema)

    # -- sign-ups -----------------------------------------------------------------
    def record_sign_ups(self, days: Mapping[str, dt.date], replace: bool = False) -> None:
        """Keep the day each person signed up, in one commit: the first day recorded stays
        (an import that updates someone does not move it) unless `replace`."""
        if not days:
            return
        schema = pa.schema([("person_id", pa.string()), ("signed_up_on", pa.date32())])
        known = {} if replace else self.sign_ups()
        rows = [{"person_id": k, "signed_up_on": v} for k, v in days.items() if k not in known]
        if rows:
            upsert_rows(self._db, SIGN_UPS, "person_id", pa.Table.from_pylist(rows, schema))

    def sign_ups(self) -> dict[str, dt.date]:
        """Person id -> the day they signed up (people imported before this was kept have
        none)."""
        table = open_table(self._db, SIGN_UPS)
        if table is None:
            return {}
        rows = table.search().limit(None).to_arrow().to_pylist()
        return {row["person_id"]: row["signed_up_on"] for row in rows}

    # -- programme ------------------------------------------------------------------
    def programme(self) -> Programme | None:
        table = open_table(self._db, PROGRAMME)
        if table is None:
            return None
        rows = table.to_arrow().to_pylist()
        return Programme.model_validate(rows[0]) if rows else None

    def set_programme(self, programme: Programme) -> None:
        """Replace the programme, in one commit."""
        replace_rows(self._db, PROGRAMME, pa.Table.from_pylist([programme.model_dump()]))


def _stored_person(row: dict) -> Person:
    """A person as written by upsert: validated then, so built without validating again
    (the address check alone took 2 s per 10,000 people)."""
    return Person.model_construct(**{**row, "role": Role(row["role"])})
