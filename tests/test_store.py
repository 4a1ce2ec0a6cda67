from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from companion import store as store_module
from companion.imports import import_people
from companion.models import Programme
from companion.store import Store, StoreError
from companion.vectors import embed_people
from companion.workspace import Workspace
from tests.conftest import BASE_ROWS, newcomer, write_csv


class WriteInterrupted(RuntimeError):
    pass


def fail_after_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the store's next write die after its first batch of rows has gone to LanceDB."""
    real_batches = Store._batches
    monkeypatch.setattr(store_module, "WRITE_BATCH_ROWS", 1)

    def batches(self, *args, **kwargs):
        produced = real_batches(self, *args, **kwargs)
        yield next(produced)
        raise WriteInterrupted("disk pulled out mid-write")

    monkeypatch.setattr(Store, "_batches", batches)


def test_a_write_that_fails_midway_leaves_the_previous_data_intact(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_people(write_csv(tmp_path / "a.csv", BASE_ROWS), workspace.store, workspace.embedder)
    before = workspace.store.people()
    vectors_before = workspace.store.vectors().to_pylist()
    version = workspace.store.version()

    changed = [{**row, "title": "Changed"} for row in BASE_ROWS]
    changed.append(newcomer())
    fail_after_first_batch(monkeypatch)
    with pytest.raises(Exception, match="disk pulled out mid-write"):
        import_people(write_csv(tmp_path / "b.csv", changed), workspace.store, workspace.embedder)

    reopened = Store(workspace.settings.store_dir)  # as a new process would see it
    assert reopened.people() == before
    assert reopened.vectors().to_pylist() == vectors_before
    assert reopened.version() == version
    assert all(p.title != "Changed" for p in reopened.people())


def test_a_first_write_that_fails_midway_leaves_an_empty_usable_store(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "a.csv", BASE_ROWS)
    with monkeypatch.context() as patch:
        fail_after_first_batch(patch)
        with pytest.raises(Exception, match="disk pulled out mid-write"):
            import_people(path, workspace.store, workspace.embedder)
    reopened = Store(workspace.settings.store_dir)
    assert reopened.count() == 0 and reopened.people() == []
    assert import_people(path, reopened, workspace.embedder).written == 3


def test_vectors_are_stored_per_skill_phrase_and_per_profile(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_people(write_csv(tmp_path / "a.csv", BASE_ROWS), workspace.store, workspace.embedder)
    rows = {r["id"]: r for r in workspace.store.vectors().to_pylist()}
    ada, cleo = rows["m1"], rows["e2"]
    assert len(ada["offered_vectors"]) == 2 and len(ada["wanted_vectors"]) == 0
    assert len(cleo["offered_vectors"]) == 1 and len(cleo["wanted_vectors"]) == 2
    expected = workspace.embedder.embed(["public speaking", "python"])
    np.testing.assert_allclose(np.array(ada["offered_vectors"]), expected, atol=1e-6)
    assert np.linalg.norm(ada["offer_vector"]) == pytest.approx(1.0, abs=1e-5)


def test_the_store_refuses_vectors_from_another_encoder(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_people(write_csv(tmp_path / "a.csv", BASE_ROWS), workspace.store, workspace.embedder)
    records = embed_people(workspace.store.people(), workspace.embedder)
    with pytest.raises(StoreError, match="holds vectors from 'fake-hashing-v1'"):
        workspace.store.upsert(records, "all-MiniLM-L6-v2")


def test_the_programme_round_trips(workspace: Workspace) -> None:
    assert workspace.store.programme() is None
    first = Programme(name="Pilot", start_date=dt.date(2027, 1, 4), end_date=dt.date(2027, 3, 26))
    workspace.store.set_programme(first)
    second = first.model_copy(update={"name": "Pilot 2", "min_meetings": 5})
    workspace.store.set_programme(second)
    assert Store(workspace.settings.store_dir).programme() == second
