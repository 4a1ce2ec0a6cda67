"""A small slice of each eval runs in CI: it must run end to end and write its results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evals import matching


@pytest.mark.slow
def test_matching_eval_slice_runs_on_the_real_encoder(tmp_path: Path) -> None:
    out = tmp_path / "matching.json"
    result = matching.main(["--people", "150", "--seeds", "3", "--out", str(out)])
    written = json.loads(out.read_text())
    assert [r["benchmark"] for r in written["runs"]] == ["onet", "people"]
    for run in written["runs"]:
        assert run["rule_violations_in_suggestions"] == 0
        systems = run["systems"]
        assert set(systems) == {
            "mentorkit",
            "mentorkit, skills only",
            "profile cosine",
            "TF-IDF keywords",
            "BM25 keywords",
            "random",
        }
        assert systems["mentorkit"]["ndcg@10"] > systems["random"]["ndcg@10"]
        assert run["assignment"]["optimal_total"] >= run["assignment"]["greedy_total"]
    assert set(result["summary"]) == {"onet", "people"}
    report = out.with_suffix(".md").read_text()
    assert "| mentorkit |" in report and "People-style benchmark" in report


def test_people_style_benchmark_hides_its_relevance_from_the_systems() -> None:
    """Systems see only Person records: no occupation code, no O*NET element name as
    written by the generator's own vocabulary, and the skills differ from the O*NET run."""
    from companion.demo import generate_organisation
    from companion.demo.onet import load_onet
    from evals.people_style import rewrite

    onet = load_onet()
    plain = generate_organisation(300, 5)
    styled, hidden = rewrite(plain, onet, 5)
    soc = re.compile(r"\b\d\d-\d{4}\.\d\d\b")
    for before, after in zip(plain.people, styled.people, strict=True):
        text = after.model_dump_json()
        assert not soc.search(text)
        assert set(type(after).model_fields) == set(type(before).model_fields)
        assert (before.id, before.name, before.title) == (after.id, after.name, after.title)
    offered = [s for p in styled.people for s in p.skills_offered]
    canonical = {onet.element(k).lower() for r in onet.ratings.values() for k in r}
    assert sum(s.lower() in canonical for s in offered) < 0.05 * len(offered)
    assert sum(s != s.lower() for s in offered) > 0.1 * len(offered)  # mixed case
    assert hidden.wanted_categories  # some mentees want a tool, judged by its category
    assert styled.occupation == plain.occupation and styled.target == plain.target


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


def test_import_bench_reports_cold_warm_and_edited_runs(tmp_path: Path) -> None:
    from evals import bench_import

    out = tmp_path / "bench_import.json"
    result = bench_import.main(["--people", "60", "--edited", "4", "--out", str(out)])
    said = {name: run["output"] for name, run in result["runs"].items()}
    assert "60 new" in said["cold"] and "60 unchanged" in said["warm"]
    # few enough to name: which four were updated
    assert re.search(r"0 new, 4 updated \((p\d+, ){3}p\d+\), 56 unchanged", said["edited"])
    assert json.loads(out.read_text())["people"] == 60


def test_outcome_statistics_eval_covers_the_truth_and_rarely_cries_wolf(tmp_path: Path) -> None:
    from evals import outcomes_stats

    result = outcomes_stats.main(["--seeds", "12", "--out", str(tmp_path / "o.json")])
    by = {(r["metric"], r["truth"]): r for r in result["scenarios"]}
    assert by[("engagement", 4.0)]["coverage"] >= 0.75
    assert by[("engagement", 0.0)]["interval_excludes_zero"] <= 0.25
    assert abs(by[("engagement", 4.0)]["adjusted_mean"] - 4.0) < 1.0  # the raw one is ~6
    assert by[("engagement", 4.0)]["raw_mean"] > 5.0


@pytest.mark.slow
def test_guide_search_eval_puts_the_three_searches_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evals import guides

    monkeypatch.setenv("MENTORKIT_EMBEDDING__BACKEND", "minilm")
    out = tmp_path / "guides.json"
    result = guides.main(["--split", "dev", "--out", str(out)])
    modes = result["modes"]
    assert set(modes) == {"hybrid", "text", "vector"}
    # paraphrased questions: the encoder carries the search, fusion keeps it
    assert modes["hybrid"]["recall_at_3"] > modes["text"]["recall_at_3"] + 0.1
    assert modes["hybrid"]["answered_at_3"] >= 0.75
    assert result["no_answer"]["answered"] >= 0.8 and result["no_answer"]["declined"] >= 0.5
    assert json.loads(out.read_text())["questions"] == 62
