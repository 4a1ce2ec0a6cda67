"""Goals per mentee, in LanceDB beside the people; each save is one commit."""

from __future__ import annotations

from pathlib import Path

import lancedb
import pyarrow as pa

from companion.goals.models import StoredGoal

GOALS = "goals"
_SCHEMA = pa.schema([("id", pa.string()), ("mentee_id", pa.string()), ("data", pa.string())])


class GoalStore:
    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(store_dir))

    def _table(self) -> lancedb.table.Table | None:
        if GOALS not in self._db.list_tables().tables:
            return None
        return self._db.open_table(GOALS)

    def save(self, goal: StoredGoal) -> None:
        row = pa.Table.from_pylist(
            [{"id": goal.id, "mentee_id": goal.mentee_id, "data": goal.model_dump_json()}],
            schema=_SCHEMA,
        )
        table = self._table()
        if table is None:
            self._db.create_table(GOALS, data=row, schema=_SCHEMA)
            return
        table.merge_insert("id").when_matched_update_all().when_not_matched_insert_all().execute(
            row
        )

    def for_mentee(self, mentee_id: str) -> list[StoredGoal]:
        table = self._table()
        if table is None:
            return []
        rows = table.search().where(f"mentee_id = '{mentee_id.replace(chr(39), chr(39) * 2)}'")
        goals = [
            StoredGoal.model_validate_json(r["data"])
            for r in rows.limit(None).to_arrow().to_pylist()
        ]
        return sorted(goals, key=lambda g: g.created_at)

    def get(self, goal_id: str) -> StoredGoal | None:
        table = self._table()
        if table is None:
            return None
        rows = table.search().where(f"id = '{goal_id.replace(chr(39), chr(39) * 2)}'").limit(1)
        found = rows.to_arrow().to_pylist()
        return StoredGoal.model_validate_json(found[0]["data"]) if found else None
