"""A small slice of each eval runs in CI: it must run end to end and write its results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals import matching


@pytest.mark.slow
def test_matching_eval_slice_runs_on_the_real_encoder(tmp_path: Path) -> None:
    out = tmp_path / "matching.json"
    result = matching.main(["--people", "150", "--seed", "3", "--out", str(out)])
    written = json.loads(out.read_text())
    assert written["rule_violations_in_suggestions"] == 0
    systems = written["systems"]
    assert set(systems) == {
        "mentorkit",
        "mentorkit, skills only",
        "profile cosine",
        "TF-IDF keywords",
        "random",
    }
    assert systems["mentorkit"]["ndcg@10"] > systems["random"]["ndcg@10"]
    assert result["assignment"]["optimal_total"] >= result["assignment"]["greedy_total"]
    assert "| mentorkit |" in out.with_suffix(".md").read_text()


def test_relevance_is_full_for_a_mentor_in_the_target_occupation() -> None:
    from companion.demo.onet import load_onet

    onet = load_onet()
    analyst, manager = "13-2031.00", "11-3031.00"  # budget analyst -> financial manager
    assert matching.relevance(onet, analyst, manager, manager) == pytest.approx(1.0)
    assert matching.relevance(onet, analyst, manager, analyst) == pytest.approx(0.0)
    assert 0 < matching.relevance(onet, analyst, manager, "13-2011.00") < 1


@pytest.mark.slow
def test_companion_eval_slice_runs_on_the_embedded_model(tmp_path: Path) -> None:
    from evals import companion

    out = tmp_path / "companion.json"
    result = companion.main(["--split", "dev", "--limit", "4", "--out", str(out)])
    written = json.loads(out.read_text())
    assert written["split"] == "dev"
    assert set(written["checker"]["agreement"]) == set(written["checker"]["baseline_always_pass"])
    assert written["conversations"]["final_goals_over_30_words"] == 0
    assert written["summaries"]["bullets_supported"] == 1.0
    assert written["summaries"]["key_facts_kept"] >= 0.75
    assert result["local_model"].startswith("embedded/smollm2")


@pytest.mark.slow
def test_checkin_sentiment_eval_beats_its_baseline(tmp_path: Path) -> None:
    from evals import checkin_sentiment

    result = checkin_sentiment.main(["--split", "test", "--out", str(tmp_path / "s.json")])
    assert result["comments"] == 30
    assert result["mentorkit"]["accuracy"] > result["baseline"]["accuracy"] + 0.2
    assert json.loads((tmp_path / "s.json").read_text())["benchmark"] == "checkin_sentiment_test"
