"""Matching quality on two benchmarks: mentorkit against four baselines, same runs.

    python -m evals.matching [--people 1000] [--seeds 7 8 9] [--benchmarks onet people]
                             [--backend minilm] [--out FILE]

Two benchmarks over the same kind of demo organisation: "onet", where people write their
skills in O*NET's words, and "people" (evals/people_style.py), where they write them as
people do. Ground truth, hidden from every system (they see only the people's profiles):
a mentee in occupation A aims at occupation T and needs the skill and knowledge elements
where T's level exceeds A's, weighted by T's importance. A mentor in occupation M covers
element k as far as M's level closes the gap: clip((L_M - L_A) / (L_T - L_A), 0, 1).
Relevance is the gap-weighted mean coverage, in [0, 1]; on the people-style benchmark a
wanted tool counts for a fifth, covered when M works with a tool of its O*NET category.

Every system ranks the same candidates (the mentors the programme's rules allow), so
differences are ranking quality alone. nDCG@10 uses relevance as the gain; recall@10 is
the share of the ideal top 10 (ties included) found in the system's top 10. Reported as
mean ± sd over seeds that no weight was chosen on.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from tqdm import tqdm

from companion.demo import DemoOrganisation, generate_organisation
from companion.demo.onet import Onet, load_onet
from companion.imports import import_people
from companion.imports.formats import write_people_csv
from companion.matching import Matcher
from companion.settings import Settings
from companion.workspace import Workspace
from evals.people_style import TECH_SHARE, HiddenKeys, rewrite, tool_coverage
from evals.report import markdown_table, write_report
from retrieval import assign_greedily, assign_with_capacity, total_of
from retrieval.assignment import total_score

K = 10
BENCHMARKS = ("onet", "people")
TITLES = {
    "onet": "O*NET benchmark (skills in O*NET's words)",
    "people": "People-style benchmark (skills as people write them)",
}
REPORT_SEEDS = (7, 8, 9)  # never used to choose weights: see evals.tune_matching


def relevance(onet: Onet, current: str, target: str, mentor: str) -> float:
    mine, goal, theirs = onet.ratings[current], onet.ratings[target], onet.ratings[mentor]
    weight_sum = covered = 0.0
    for key, rating in goal.items():
        if key not in mine or key not in theirs:
            continue
        gap = rating.level - mine[key].level
        if gap <= 0:
            continue
        weight = gap * rating.importance / 5
        weight_sum += weight
        covered += weight * min(max((theirs[key].level - mine[key].level) / gap, 0.0), 1.0)
    return covered / weight_sum if weight_sum else 0.0


def ndcg_and_recall(ranked_gain: np.ndarray, all_gain: np.ndarray) -> tuple[float, float]:
    discounts = 1 / np.log2(np.arange(2, K + 2))
    ideal = np.sort(all_gain)[::-1][:K]
    idcg = float((ideal * discounts[: len(ideal)]).sum())
    dcg = float((ranked_gain[:K] * discounts[: len(ranked_gain[:K])]).sum())
    if len(ideal) == 0 or idcg == 0:
        return 1.0, 1.0
    threshold = ideal[-1]
    relevant = int((all_gain >= threshold).sum())
    found = int((ranked_gain[:K] >= threshold).sum())
    return dcg / idcg, found / min(K, relevant)


def ground_truth(
    onet: Onet, organisation: DemoOrganisation, pop, mentees, mentors, hidden: HiddenKeys | None
) -> np.ndarray:
    """Relevance of every mentor to every mentee, from O*NET alone (never the profiles)."""
    occupation, target = organisation.occupation, organisation.target
    gains = np.zeros((len(mentees), len(mentors)))
    for i, e in enumerate(
        tqdm(mentees.tolist(), desc="ground truth", unit="mentee", leave=False, disable=None)
    ):
        mentee = pop.ids[e]
        tools = hidden.wanted_categories.get(mentee, set()) if hidden else set()
        for j, m in enumerate(mentors.tolist()):
            mentor_soc = occupation[pop.ids[m]]
            gain = relevance(onet, occupation[mentee], target[mentee], mentor_soc)
            if tools:
                gain = (1 - TECH_SHARE) * gain + TECH_SHARE * tool_coverage(onet, tools, mentor_soc)
            gains[i, j] = gain
    return gains


def tfidf_scores(matcher: Matcher, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
    """Keyword matching: TF-IDF of what a mentee wants vs what a mentor offers."""
    want, offer = texts(matcher, mentees, mentors)
    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(want + offer)
    return (vectoriser.transform(want) @ vectoriser.transform(offer).T).toarray()


def bm25_scores(matcher: Matcher, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
    """Keyword matching by BM25 (bm25s): mentors' offers as documents, a mentee's wants
    as the query."""
    want, offer = texts(matcher, mentees, mentors)
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(offer, show_progress=False), show_progress=False)
    queries = bm25s.tokenize(want, return_ids=False, show_progress=False)
    return np.vstack([retriever.get_scores(q) for q in queries])


def texts(matcher: Matcher, mentees: np.ndarray, mentors: np.ndarray) -> tuple[list, list]:
    people = matcher.people
    want = [" ".join([*people[i].skills_wanted, people[i].goals]) for i in mentees.tolist()]
    offer = [
        " ".join([*people[j].skills_offered, people[j].title, people[j].bio])
        for j in mentors.tolist()
    ]
    return want, offer


def build(organisation: DemoOrganisation, workspace: Workspace) -> Matcher:
    path = workspace.settings.data_dir / "eval" / "people.csv"
    write_people_csv(organisation.people, path)
    import_people(path, workspace.store, workspace.embedder)
    return Matcher(workspace)


@dataclass
class Prepared:
    """One benchmark organisation, imported and matched, with its hidden relevance."""

    benchmark: str
    seed: int
    matcher: Matcher
    mentees: np.ndarray
    mentors: np.ndarray
    allowed: np.ndarray
    gains: np.ndarray


def prepare(benchmark: str, people: int, seed: int, backend: str, data_dir: Path) -> Prepared:
    onet = load_onet()
    organisation, hidden = generate_organisation(people, seed), None
    if benchmark == "people":
        organisation, hidden = rewrite(organisation, onet, seed)
    settings = Settings(data_dir=data_dir, embedding={"backend": backend}, progress=False)
    matcher = build(organisation, Workspace(settings))
    pop = matcher.population
    mentees, mentors = pop.mentees(), pop.mentors()
    return Prepared(
        benchmark=benchmark,
        seed=seed,
        matcher=matcher,
        mentees=mentees,
        mentors=mentors,
        allowed=matcher.checker.allowed(mentees, mentors),
        gains=ground_truth(onet, organisation, pop, mentees, mentors, hidden),
    )


def ranking_quality(prepared: Prepared, scores: np.ndarray) -> dict[str, float]:
    """Mean nDCG@10 and recall@10 of one system's scores over every mentee."""
    ndcgs, recalls = [], []
    for i in range(len(prepared.mentees)):
        valid = np.flatnonzero(prepared.allowed[i])
        if len(valid) == 0:
            continue
        order = valid[np.argsort(-scores[i, valid], kind="stable")]
        ndcg, recall = ndcg_and_recall(prepared.gains[i, order], prepared.gains[i, valid])
        ndcgs.append(ndcg)
        recalls.append(recall)
    return {"ndcg@10": float(np.mean(ndcgs)), "recall@10": float(np.mean(recalls))}


def evaluate(benchmark: str, people: int, seed: int, backend: str, data_dir: Path) -> dict:
    prepared = prepare(benchmark, people, seed, backend, data_dir)
    matcher, mentees, mentors = prepared.matcher, prepared.mentees, prepared.mentors
    pop = matcher.population
    started = time.perf_counter()
    parts = matcher.scorer.components(mentees, mentors)
    mentorkit = total_of(parts)
    rng = np.random.default_rng(seed)
    systems: dict[str, Callable[[], np.ndarray]] = {
        "mentorkit": lambda: mentorkit,
        "mentorkit, skills only": lambda: parts["skills"],
        "profile cosine": lambda: pop.goals_vectors[mentees] @ pop.offer_vectors[mentors].T,
        "TF-IDF keywords": lambda: tfidf_scores(matcher, mentees, mentors),
        "BM25 keywords": lambda: bm25_scores(matcher, mentees, mentors),
        "random": lambda: rng.random((len(mentees), len(mentors))),
    }
    quality = {name: ranking_quality(prepared, make()) for name, make in systems.items()}
    violations = sum(
        1
        for mentee in mentees.tolist()
        for r in matcher.index.suggest(mentee, K)
        if matcher.checker.broken(mentee, r.mentor)
    )
    capacity = pop.remaining[mentors]
    optimal = assign_with_capacity(mentorkit, prepared.allowed, capacity)
    greedy = assign_greedily(mentorkit, prepared.allowed, capacity)
    return {
        "benchmark": benchmark,
        "people": people,
        "seed": seed,
        "encoder": backend,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "systems": quality,
        "rule_violations_in_suggestions": violations,
        "assignment": {
            "optimal_total": total_score(mentorkit, optimal),
            "greedy_total": total_score(mentorkit, greedy),
            "optimal_assigned": int((optimal >= 0).sum()),
            "greedy_assigned": int((greedy >= 0).sum()),
        },
        "seconds_scoring": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(REPORT_SEEDS))
    parser.add_argument("--benchmarks", nargs="+", default=list(BENCHMARKS), choices=BENCHMARKS)
    parser.add_argument("--backend", default="minilm", choices=["minilm", "fake"])
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default evals/results)")
    args = parser.parse_args(argv)
    runs = []
    for benchmark in args.benchmarks:
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as folder:
                runs.append(evaluate(benchmark, args.people, seed, args.backend, Path(folder)))
    result = {"people": args.people, "seeds": args.seeds, "runs": runs, "summary": summary(runs)}
    write_report("matching", result, report(result, args.backend), args.out)
    return result


def summary(runs: list[dict]) -> dict:
    """Per benchmark and system: mean and standard deviation over seeds."""
    out: dict[str, dict] = {}
    for benchmark in dict.fromkeys(r["benchmark"] for r in runs):
        mine = [r for r in runs if r["benchmark"] == benchmark]
        out[benchmark] = {
            name: {
                metric: {
                    "mean": float(np.mean([r["systems"][name][metric] for r in mine])),
                    "sd": float(np.std([r["systems"][name][metric] for r in mine])),
                }
                for metric in ("ndcg@10", "recall@10")
            }
            for name in mine[0]["systems"]
        }
    return out


def report(result: dict, backend: str) -> str:
    seeds = ", ".join(map(str, result["seeds"]))
    lines = []
    for benchmark, systems in result["summary"].items():
        base = systems["TF-IDF keywords"]["ndcg@10"]["mean"]
        cosine = systems["profile cosine"]["recall@10"]["mean"]
        rows = [
            (
                name,
                f"{m['ndcg@10']['mean']:.3f} ± {m['ndcg@10']['sd']:.3f}",
                f"{m['recall@10']['mean']:.3f} ± {m['recall@10']['sd']:.3f}",
                f"{m['ndcg@10']['mean'] / base:.2f}x",
                f"{m['recall@10']['mean'] / cosine:.2f}x",
            )
            for name, m in systems.items()
        ]
        lines += [
            f"{TITLES[benchmark]}: {result['people']:,} people, seeds {seeds} (mean ± sd), "
            f"encoder {backend}",
            "",
            markdown_table(
                ["system", "nDCG@10", "recall@10", "nDCG vs TF-IDF", "recall vs profile cosine"],
                rows,
            ),
            "",
        ]
    runs = result["runs"]
    violations = sum(r["rule_violations_in_suggestions"] for r in runs)
    optimal = sum(r["assignment"]["optimal_total"] for r in runs)
    greedy = sum(r["assignment"]["greedy_total"] for r in runs)
    lines += [
        f"Rule violations in mentorkit's top-{K} suggestions, all runs: {violations}",
        f"Assignment total score, all runs: optimal {optimal:.1f} vs greedy {greedy:.1f} "
        f"({optimal / max(greedy, 1e-9):.4f}x)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
