"""`mentorkit export`: the programme's records as files a coordinator can analyse elsewhere.

People (attributes only when asked), pairs and their events, meetings, check-ins (comments
only when asked), confirmed goals with progress, and the metrics. **Never** a note, a
summary or the private reason for an ending, in any mode: this module does not read the
notes store at all, and a test proves no note text reaches any file.

CSV cells that a spreadsheet would run as a formula are neutralised (companion.exports).
Each file is written atomically; names are shown beside ids.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from companion.exports import SafeDictWriter
from companion.files import write_atomic
from companion.lifecycle.store import LifecycleStore
from companion.models import Profile, Viewer
from companion.outcomes.attributes import Attributes
from companion.outcomes.snapshot import outcome_of

if TYPE_CHECKING:
    from companion.workspace import Workspace

Format = Literal["csv", "parquet"]
PRIVATE = ("exclude",)  # whom someone must never be paired with: often a conflict, not data
Rows = list[dict[str, Any]]


def _cell(value: Any) -> Any:
    """Lists joined with '; ', dates as ISO text, None as empty: one flat cell."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def people_rows(workspace: Workspace, with_attributes: bool) -> Rows:
    signed = workspace.store.sign_ups()
    held = (  # read only when asked for
        Attributes(workspace.settings.store_dir).read(Viewer(role=Profile.COORDINATOR))
        if with_attributes
        else {}
    )
    columns = sorted({c for values in held.values() for c in values})
    rows = []
    for person in workspace.store.people():
        row = {k: _cell(v) for k, v in person.model_dump(mode="json").items() if k not in PRIVATE}
        row["signed_up_on"] = _cell(signed.get(person.id))
        for column in columns:
            row[f"attribute_{column}"] = held.get(person.id, {}).get(column, "")
        rows.append(row)
    return rows


def pair_rows(workspace: Workspace, names: dict[str, str]) -> tuple[Rows, Rows]:
    pairs, events = [], []
    for match in sorted(workspace.ledger.matches().values(), key=lambda m: m.created_at):
        outcome = outcome_of(match)
        pairs.append({
            "pair_id": match.id, "mentee_id": match.mentee_id,
            "mentee": names.get(match.mentee_id, ""), "mentor_id": match.mentor_id,
            "mentor": names.get(match.mentor_id, ""), "status": match.status.value,
            "score": match.score, "forced": match.forced,
            "accepted_on": _cell(match.accepted_on), "ended_on": _cell(match.ended_on),
            "outcome": outcome.value if outcome else "",
        })  # fmt: skip
        for e in match.events:
            events.append({
                "pair_id": match.id, "seq": e.seq, "at": _cell(e.at), "action": e.action,
                "status": e.status.value, "actor": e.actor, "actor_role": e.actor_role.value,
                "reason": e.reason, "forced": e.forced, "broken_rules": _cell(e.broken_rules),
            })  # fmt: skip
    return pairs, events


def lifecycle_rows(
    workspace: Workspace, names: dict[str, str], with_comments: bool
) -> tuple[Rows, Rows]:
    store = LifecycleStore(workspace.settings.store_dir)
    meetings = [
        {"meeting_id": m.id, "pair_id": m.match_id, "on": _cell(m.on), "minutes": m.minutes,
         "mode": m.mode.value, "logged_by": m.logged_by,
         "logged_by_name": names.get(m.logged_by, "")}
        for m in store.meetings()
    ]  # fmt: skip
    checkins = []
    for c in store.checkins():
        row = {"checkin_id": c.id, "pair_id": c.match_id, "person_id": c.person_id,
               "person": names.get(c.person_id, ""), "due": c.due, "value": c.value,
               "progress": c.progress, "sentiment": c.sentiment.value if c.sentiment else "",
               "answered_at": _cell(c.answered_at)}  # fmt: skip
        if with_comments:
            row["comment"] = c.comment
        checkins.append(row)
    return meetings, checkins


def goal_rows(workspace: Workspace, names: dict[str, str]) -> Rows:
    return [
        {"goal_id": g.id, "mentee_id": g.mentee_id, "mentee": names.get(g.mentee_id, ""),
         "status": g.status, "progress": g.progress, "goal": g.goal.statement,
         "due_date": _cell(g.goal.due_date), "created_at": _cell(g.created_at),
         "updated_at": _cell(g.updated_at)}
        for g in workspace.goal_store.all() if g.status != "draft"
    ]  # fmt: skip


def _csv(rows: Rows) -> Callable[[Any], object]:
    def write(handle: Any) -> None:
        columns = list(dict.fromkeys(k for row in rows for k in row)) or ["(empty)"]
        buffer = io.StringIO()
        writer = SafeDictWriter(buffer, columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in columns})
        handle.write(buffer.getvalue())

    return write


def _parquet(rows: Rows) -> Callable[[Any], object]:
    empty = pa.table({"(empty)": pa.array([], pa.string())})
    table = pa.Table.from_pylist(rows) if rows else empty

    def write(handle: Any) -> None:
        pq.write_table(table, handle)

    return write


def export(
    workspace: Workspace,
    out: Path,
    fmt: Format = "csv",
    with_attributes: bool = False,
    with_comments: bool = False,
) -> dict[str, int]:
    """Write every table into `out` (created if needed); returns file name -> rows."""
    from companion.outcomes.metrics import programme_metrics

    out.mkdir(parents=True, exist_ok=True)
    names = {p.id: p.name for p in workspace.store.people()}
    pairs, events = pair_rows(workspace, names)
    meetings, checkins = lifecycle_rows(workspace, names, with_comments)
    tables = {
        "people": people_rows(workspace, with_attributes), "pairs": pairs,
        "pair_events": events, "meetings": meetings, "checkins": checkins,
        "goals": goal_rows(workspace, names),
    }  # fmt: skip
    written = {}
    for name, rows in tables.items():
        if fmt == "csv":
            write_atomic(out / f"{name}.csv", _csv(rows))
        else:
            write_atomic(out / f"{name}.parquet", _parquet(rows), binary=True)
        written[f"{name}.{fmt}"] = len(rows)
    from companion.outcomes.fairness import audit
    from companion.outcomes.snapshot import take_snapshot

    snapshot = take_snapshot(workspace)  # one read for both views

    for name, document in (
        ("metrics.json", programme_metrics(workspace, snapshot=snapshot)),
        ("fairness.json", audit(workspace, "department", snapshot=snapshot)),  # under 5 hidden
    ):
        write_atomic(out / name, _json(document))
        written[name] = 1
    return written


def _json(document: Any) -> Callable[[Any], object]:
    text = json.dumps(document, indent=2) + "\n"

    def write(handle: Any) -> None:
        handle.write(text)

    return write
