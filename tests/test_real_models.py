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
