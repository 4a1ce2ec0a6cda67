"""Meetings and check-ins in LanceDB beside the people: one row per record (its id, the
pair, the JSON of the record); each save is one commit. Nothing confidential is kept here:
a check-in's comment is for the coordinator, and notes live in their own encrypted store."""

from __future__ import annotations

from pathlib import Path

import lancedb
import pyarrow as pa

from companion.lance import open_table, sql_quote, upsert_rows
from companion.lifecycle.models import CheckIn, Meeting

MEETINGS = "meetings"
CHECKINS = "checkins"
_SCHEMA = pa.schema([("id", pa.string()), ("match_id", pa.string()), ("data", pa.string())])


class LifecycleStore:
    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(store_dir))

    def _save(self, table: str, record: Meeting | CheckIn) -> None:
        row = {"id": record.id, "match_id": record.match_id, "data": record.model_dump_json()}
        upsert_rows(self._db, table, "id", pa.Table.from_pylist([row], schema=_SCHEMA))

    def _rows(self, table: str, match_id: str | None) -> list[str]:
        found = open_table(self._db, table)
        if found is None:
            return []
        query = found.search()
        if match_id is not None:
            query = query.where(f"match_id = {sql_quote(match_id)}")
        return [r["data"] for r in query.limit(None).to_arrow().to_pylist()]

    def save_meeting(self, meeting: Meeting) -> None:
        self._save(MEETINGS, meeting)

    def meetings(self, match_id: str | None = None) -> list[Meeting]:
        found = [Meeting.model_validate_json(r) for r in self._rows(MEETINGS, match_id)]
        return sorted(found, key=lambda m: (m.on, m.logged_at))

    def save_checkin(self, checkin: CheckIn) -> None:
        self._save(CHECKINS, checkin)

    def checkins(self, match_id: str | None = None) -> list[CheckIn]:
        found = [CheckIn.model_validate_json(r) for r in self._rows(CHECKINS, match_id)]
        return sorted(found, key=lambda c: c.answered_at)
