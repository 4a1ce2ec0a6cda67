"""Goals per mentee, in LanceDB beside the people; each save is one commit."""

from __future__ import annotations

from pathlib import Path

import lancedb
import pyarrow as pa

from companion.goals.models import StoredGoal
from companion.lance import open_table, sql_quote, upsert_rows

GOALS = "goals"
_SCHEMA = pa.schema([("id", pa.string()), ("mentee_id", pa.string()), ("data", pa.string())])


class GoalStore:
    def __init__(self, store_dir: Path) -> None:
        store_dir.mkdir(parents=True, exist_ok=True)
        self._db = lancedb.connect(str(store_dir))

    def save(self, goal: StoredGoal) -> None:
        row = pa.Table.from_pylist(
            [{"id": goal.id, "mentee_id": goal.mentee_id, "data": goal.model_dump_json()}],
            schema=_SCHEMA,
        )
        upsert_rows(self._db, GOALS, "id", row)

    def for_mentee(self, mentee_id: str) -> list[StoredGoal]:
        table = open_table(self._db, GOALS)
        if table is None:
            return []
        rows = table.search().where(f"mentee_id = {sql_quote(mentee_id)}")
        goals = [
            StoredGoal.model_validate_json(r["data"])
            for r in rows.limit(None).to_arrow().to_pylist()
        ]
        return sorted(goals, key=lambda g: g.created_at)

    def all(self) -> list[StoredGoal]:
        """Every mentee's goals, drafts included, oldest first."""
        table = open_table(self._db, GOALS)
        if table is None:
            return []
        rows = table.search().select(["data"]).limit(None).to_arrow()["data"].to_pylist()
        goals = [StoredGoal.model_validate_json(data) for data in rows]
        return sorted(goals, key=lambda g: g.created_at)

    def get(self, goal_id: str) -> StoredGoal | None:
        table = open_table(self._db, GOALS)
        if table is None:
            return None
        rows = table.search().where(f"id = {sql_quote(goal_id)}").limit(1)
        found = rows.to_arrow().to_pylist()
        return StoredGoal.model_validate_json(found[0]["data"]) if found else None
