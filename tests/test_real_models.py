"""The product path end to end on the real bundled encoder (marked slow; runs in CI)."""

from __future__ import annotations

import numpy as np
import pytest

from companion.demo import run_demo
from companion.settings import Settings
from companion.workspace import Workspace
from embeddings import MiniLMEncoder


@pytest.mark.slow
def test_the_demo_embeds_with_the_bundled_model_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MENTORKIT_EMBEDDING__BACKEND")
    settings = Settings()
    assert settings.embedding.backend == "minilm"
    workspace = Workspace(settings)
    summary = run_demo(workspace, size=50, seed=11)
    assert summary.report.inserted and workspace.store.embedding_model() == "all-MiniLM-L6-v2"

    person = next(p for p in workspace.store.people() if p.skills_wanted)
    row = next(r for r in workspace.store.vectors().to_pylist() if r["id"] == person.id)
    expected = MiniLMEncoder().encode(person.skills_wanted)
    np.testing.assert_allclose(np.array(row["wanted_vectors"]), expected, atol=1e-5)


@pytest.mark.slow
def test_a_lived_in_demo_on_the_bundled_model_has_health_to_show(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`mentorkit demo` starts the programme weeks ago and lives it: pairs met, drifted,
    stalled and ended; check-in comments carry the sentiment the encoder reads."""
    from companion.lifecycle import CheckIns, Health, HealthStatus
    from companion.models import Profile, Viewer

    monkeypatch.delenv("MENTORKIT_EMBEDDING__BACKEND")
    workspace = Workspace(Settings())
    summary = run_demo(workspace, size=120, seed=7, history=True)
    assert summary.history["pairs"] > 10 and summary.history["meetings"] > summary.history["pairs"]
    statuses = {p.status for p in Health(workspace).pairs()}
    assert statuses == {HealthStatus.HEALTHY, HealthStatus.AT_RISK, HealthStatus.STALLED}
    answers = CheckIns(workspace).visible(Viewer(role=Profile.COORDINATOR))
    said = {c.comment: c.sentiment for c in answers if c.comment}
    assert said.get("Really useful, I left with three things to try this week.") in (
        None, "positive")  # fmt: skip
    assert said.get("We have not managed to meet since the first session.") in (None, "negative")
    assert "positive" in said.values() and "negative" in said.values()
    again = run_demo(workspace, size=120, seed=7, history=True)
    assert again.history == {}  # a second run keeps the first run's history
