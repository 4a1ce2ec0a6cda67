"""The guidance library: guides kept as passages in LanceDB, each with its vector (the
bundled encoder) and under a full-text index, searched by audience.

The starter guides shipped in `companion/guides/starter/` are added the first time a data
dir's library is opened, and brought up to date when mentorkit ships a newer text; a
starter guide the coordinator removed stays removed. Adding a file whose name is already
in the library replaces that guide in one commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lancedb
import numpy as np
import pyarrow as pa

from companion.guides.chunks import Audience, Chunk, chunk_guide, guide_id_for
from companion.guides.parsing import parse_guide
from companion.lance import open_table, sql_quote, table_lock
from embeddings import DIM

if TYPE_CHECKING:
    from companion.workspace import Workspace

TABLE = "guide_passages"
REMOVED = "guides_removed"  # starter guides the coordinator removed: never added again
STARTER_DIR = Path(__file__).parent / "starter"
STARTER = {
    "mentor-guide.md": Audience.MENTOR,
    "mentee-guide.md": Audience.MENTEE,
    "confidentiality-policy.md": Audience.ALL,
    "ending-well.md": Audience.ALL,
    "coordinator-playbook.md": Audience.COORDINATOR,
}
_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("guide_id", pa.string()),
        ("title", pa.string()),
        ("source", pa.string()),
        ("audience", pa.string()),
        ("headings", pa.list_(pa.string())),
        ("position", pa.int32()),
        ("text", pa.string()),
        ("searchable", pa.string()),
        ("digest", pa.string()),
        ("starter", pa.bool_()),
        ("added_at", pa.timestamp("us", tz="UTC")),
        ("vector", pa.list_(pa.float32(), DIM)),
    ]
)
_REMOVED_SCHEMA = pa.schema([("guide_id", pa.string())])


class UnknownGuide(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


class GuideNotAllowed(PermissionError):
    """A passage of a guide written for another audience."""


@dataclass(frozen=True)
class GuideInfo:
    guide_id: str
    title: str
    source: str
    audience: Audience
    passages: int
    words: int
    starter: bool
    added_at: dt.datetime


def chunk_of(row: dict[str, Any]) -> Chunk:
    return Chunk(
        row["guide_id"],
        row["title"],
        row["source"],
        Audience(row["audience"]),
        tuple(row["headings"]),
        int(row["position"]),
        row["text"],
    )


class GuideLibrary:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._db = lancedb.connect(str(workspace.settings.store_dir))
        self._ready = False

    # -- writing -----------------------------------------------------------------------
    def add(self, path: Path, audience: Audience = Audience.ALL) -> GuideInfo:
        """Add (or replace) the guide in `path`; `GuideFormatError` if it cannot be read."""
        self.table()
        guide = parse_guide(path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._write([(chunk_guide(guide, path.name, audience), digest)], starter=False)
        self._forget_removed(guide_id_for(path.name))
        return self.info(guide_id_for(path.name))

    def remove(self, guide_id: str) -> GuideInfo:
        info = self.info(guide_id)
        table = self.table()
        with table_lock(self._db, TABLE):
            table.delete(f"guide_id = {sql_quote(info.guide_id)}")
            self._index(table)
        if info.starter:
            rows = pa.Table.from_pylist([{"guide_id": info.guide_id}], schema=_REMOVED_SCHEMA)
            removed = open_table(self._db, REMOVED)
            if removed is None:
                self._db.create_table(REMOVED, data=rows, schema=_REMOVED_SCHEMA)
            else:
                removed.add(rows)
        return info

    def _write(self, guides: list[tuple[list[Chunk], str]], starter: bool) -> None:
        """Each guide's passages (with the digest of its file) replace its old ones."""
        chunks = [(chunk, digest) for passages, digest in guides for chunk in passages]
        vectors = self.workspace.embedder.embed(
            [c.searchable for c, _ in chunks], desc="guide passages"
        )
        now = self.workspace.settings.current_time().astimezone(dt.UTC)
        rows = pa.Table.from_pylist(
            [
                {
                    "id": c.id,
                    "guide_id": c.guide_id,
                    "title": c.title,
                    "source": c.source,
                    "audience": str(c.audience),
                    "headings": list(c.headings),
                    "position": c.position,
                    "text": c.text,
                    "searchable": c.searchable,
                    "digest": digest,
                    "starter": starter,
                    "added_at": now,
                    "vector": np.asarray(v, dtype=np.float32),
                }
                for (c, digest), v in zip(chunks, vectors, strict=True)
            ],
            schema=_SCHEMA,
        )
        ids = ", ".join(sql_quote(passages[0].guide_id) for passages, _ in guides)
        table = self.table()
        with table_lock(self._db, TABLE):  # one commit: the old passages go as the new arrive
            merge = table.merge_insert("id").when_matched_update_all()
            merge = merge.when_not_matched_insert_all()
            merge.when_not_matched_by_source_delete(f"guide_id IN ({ids})").execute(rows)
            self._index(table)

    def _index(self, table: Any) -> None:
        from lancedb.index import FTS

        if table.count_rows():
            table.create_index("searchable", config=FTS(), replace=True)

    # -- reading -----------------------------------------------------------------------
    def table(self) -> Any:
        """The passages table, with the starter guides added or brought up to date."""
        table = open_table(self._db, TABLE)
        if table is None:
            with table_lock(self._db, TABLE):
                if open_table(self._db, TABLE) is None:
                    self._db.create_table(TABLE, schema=_SCHEMA)
            table = self._db.open_table(TABLE)
        if not self._ready:
            self._ready = True
            if self._starters(table):
                table = self._db.open_table(TABLE)  # a handle opened before the write is stale
        return table

    def _starters(self, table: Any) -> bool:
        """Add the starter guides not held in their current text; True if any were."""
        held = {
            r["guide_id"]: r["digest"]
            for r in table.search().where("starter").select(["guide_id", "digest"]).to_list()
        }
        removed = open_table(self._db, REMOVED)
        gone = {r["guide_id"] for r in removed.to_arrow().to_pylist()} if removed else set()
        stale = []
        for name, audience in STARTER.items():
            path = STARTER_DIR / name
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            guide_id = guide_id_for(name)
            if guide_id not in gone and held.get(guide_id) != digest:
                stale.append((chunk_guide(parse_guide(path), name, audience), digest))
        if stale:
            self._write(stale, starter=True)
        return bool(stale)

    def _forget_removed(self, guide_id: str) -> None:
        removed = open_table(self._db, REMOVED)
        if removed is not None:
            removed.delete(f"guide_id = {sql_quote(guide_id)}")

    def rows(self, where: str | None = None) -> list[dict[str, Any]]:
        query = self.table().search()
        if where:
            query = query.where(where)
        limit = max(self.table().count_rows(), 1)
        return query.limit(limit).to_list()

    def guides(self) -> list[GuideInfo]:
        by_guide: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows():
            by_guide.setdefault(row["guide_id"], []).append(row)
        return sorted((_info(rows) for rows in by_guide.values()), key=lambda g: g.title)

    def info(self, guide_id: str) -> GuideInfo:
        wanted = guide_id_for(guide_id)  # a file name finds its guide too
        rows = self.rows(f"guide_id = {sql_quote(wanted)}")
        if not rows:
            known = ", ".join(g.guide_id for g in self.guides()) or "none"
            raise UnknownGuide(f"no guide {guide_id!r} in the library (guides: {known})")
        return _info(rows)

    def passages(self, guide_id: str) -> list[Chunk]:
        rows = self.rows(f"guide_id = {sql_quote(guide_id_for(guide_id))}")
        return sorted((chunk_of(r) for r in rows), key=lambda c: c.position)

    def passage(self, chunk_id: str) -> Chunk | None:
        rows = self.rows(f"id = {sql_quote(chunk_id)}")
        return chunk_of(rows[0]) if rows else None

    def section(self, chunk_id: str, audiences: list[Audience]) -> list[Chunk]:
        """Every passage under the heading of `chunk_id`, for a reader of `audiences`."""
        passage = self.passage(chunk_id)
        if passage is None:
            raise UnknownGuide(f"that passage is no longer in the library ({chunk_id})")
        if passage.audience not in audiences:
            raise GuideNotAllowed(f"'{passage.title}' is written for {passage.audience}s")
        return [c for c in self.passages(passage.guide_id) if c.headings == passage.headings]


def _info(rows: list[dict[str, Any]]) -> GuideInfo:
    first = rows[0]
    return GuideInfo(
        guide_id=first["guide_id"],
        title=first["title"],
        source=first["source"],
        audience=Audience(first["audience"]),
        passages=len(rows),
        words=sum(len(r["text"].split()) for r in rows),
        starter=bool(first["starter"]),
        added_at=first["added_at"],
    )
