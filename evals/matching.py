"""Matching quality on an O*NET benchmark: mentorkit against three baselines, same run.

    python -m evals.matching [--people 1000] [--seed 7] [--backend minilm] [--out FILE]

Ground truth. A mentee in occupation A aims at occupation T: they need the skill and
knowledge elements where T's level exceeds A's, weighted by T's importance. A mentor in
occupation M covers element k as far as M's level closes the gap:
clip((L_M - L_A) / (L_T - L_A), 0, 1). Relevance is the gap-weighted mean coverage, in
[0, 1]. Nothing of this is visible to the systems: they see only the people's profiles.

Every system ranks the same candidates (the mentors the programme's rules allow), so
differences are ranking quality alone. nDCG@10 uses relevance as the gain; recall@10 is
the share of the ideal top 10 (ties included) found in the system's top 10.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
from evals.report import markdown_table, write_report
from retrieval import assign_greedily, assign_with_capacity, total_of
from retrieval.assignment import total_score

K = 10


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


def ground_truth(onet: Onet, organisation: DemoOrganisation, pop, mentees, mentors) -> np.ndarray:
    """Relevance of every mentor to every mentee, from the O*NET ratings alone."""
    occupation, target = organisation.occupation, organisation.target
    return np.array(
        [
            [
                relevance(onet, occupation[pop.ids[e]], target[pop.ids[e]], occupation[pop.ids[m]])
                for m in mentors.tolist()
            ]
            for e in tqdm(mentees.tolist(), desc="ground truth", unit="mentee")
        ]
    )


def tfidf_scores(matcher: Matcher, mentees: np.ndarray, mentors: np.ndarray) -> np.ndarray:
    """Keyword matching: TF-IDF of what a mentee wants vs what a mentor offers."""
    people = matcher.people
    want = [" ".join([*people[i].skills_wanted, people[i].goals]) for i in mentees.tolist()]
    offer = [
        " ".join([*people[j].skills_offered, people[j].title, people[j].bio])
        for j in mentors.tolist()
    ]
    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(want + offer)
    return (vectoriser.transform(want) @ vectoriser.transform(offer).T).toarray()


def build(organisation: DemoOrganisation, workspace: Workspace) -> Matcher:
    path = workspace.settings.data_dir / "eval" / "people.csv"
    write_people_csv(organisation.people, path)
    import_people(path, workspace.store, workspace.embedder)
    return Matcher(workspace)


def evaluate(people: int, seed: int, backend: str, data_dir: Path) -> dict:
    onet = load_onet()
    organisation = generate_organisation(people, seed)
    settings = Settings(data_dir=data_dir, embedding={"backend": backend})
    matcher = build(organisation, Workspace(settings))
    pop = matcher.population
    mentees, mentors = pop.mentees(), pop.mentors()
    started = time.perf_counter()
    parts = matcher.scorer.components(mentees, mentors)
    mentorkit = total_of(parts)
    allowed = matcher.checker.allowed(mentees, mentors)
    rng = np.random.default_rng(seed)
    systems: dict[str, Callable[[], np.ndarray]] = {
        "mentorkit": lambda: mentorkit,
        "mentorkit, skills only": lambda: parts["skills"],
        "profile cosine": lambda: pop.goals_vectors[mentees] @ pop.offer_vectors[mentors].T,
        "TF-IDF keywords": lambda: tfidf_scores(matcher, mentees, mentors),
        "random": lambda: rng.random((len(mentees), len(mentors))),
    }
    scores = {name: make() for name, make in systems.items()}
    gains = ground_truth(onet, organisation, pop, mentees, mentors)
    metrics = {name: {"ndcg@10": [], "recall@10": []} for name in systems}
    for i in range(len(mentees)):
        valid = np.flatnonzero(allowed[i])
        if len(valid) == 0:
            continue
        for name, matrix in scores.items():
            order = valid[np.argsort(-matrix[i, valid], kind="stable")]
            ndcg, recall = ndcg_and_recall(gains[i, order], gains[i, valid])
            metrics[name]["ndcg@10"].append(ndcg)
            metrics[name]["recall@10"].append(recall)
    violations = sum(
        1
        for mentee in mentees.tolist()
        for r in matcher.index.suggest(mentee, K)
        if matcher.checker.broken(mentee, r.mentor)
    )
    capacity = pop.remaining[mentors]
    optimal = assign_with_capacity(mentorkit, allowed, capacity)
    greedy = assign_greedily(mentorkit, allowed, capacity)
    return {
        "people": people,
        "seed": seed,
        "encoder": backend,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "systems": {
            name: {metric: float(np.mean(values)) for metric, values in m.items()}
            for name, m in metrics.items()
        },
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
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="minilm", choices=["minilm", "fake"])
    parser.add_argument("--out", type=Path, default=None, help="JSON path (default evals/results)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        result = evaluate(args.people, args.seed, args.backend, Path(folder))
    base = result["systems"]["TF-IDF keywords"]["ndcg@10"]
    rows = [
        (name, m["ndcg@10"], m["recall@10"], f"{m['ndcg@10'] / base:.2f}x")
        for name, m in result["systems"].items()
    ]
    table = markdown_table(["system", "nDCG@10", "recall@10", "nDCG vs TF-IDF"], rows)
    a = result["assignment"]
    lines = [
        f"Matching quality: {result['mentees']} mentees, {result['mentors']} mentors "
        f"({result['people']} people, seed {result['seed']}, encoder {args.backend})",
        "",
        table,
        "",
        f"Rule violations in mentorkit's top-{K} suggestions: "
        f"{result['rule_violations_in_suggestions']}",
        f"Assignment total score: optimal {a['optimal_total']:.3f} ({a['optimal_assigned']} pairs) "
        f"vs greedy {a['greedy_total']:.3f} ({a['greedy_assigned']} pairs), "
        f"{a['optimal_total'] / max(a['greedy_total'], 1e-9):.4f}x",
    ]
    write_report("matching", result, "\n".join(lines), args.out)
    return result


if __name__ == "__main__":
    main()
