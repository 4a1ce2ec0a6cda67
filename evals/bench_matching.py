"""Matching speed at 1,000 / 10,000 / 100,000 people, against a brute-force baseline.

    python -m evals.bench_matching [--tiers 1000 10000 100000] [--profile-sample 2000]

Each tier runs in its own process (so peak memory is the tier's own) on a synthetic
organisation from the demo generator, with the bundled encoder:

- embed, cold and cached: skill phrases all; profile texts (title+bio, goals) for a
  sample of `--profile-sample` people, timed and scaled to the tier (cold embedding of
  100,000 people's profiles takes over half an hour on 2 cores). People outside the sample
  get, as profile vectors, the normalised mean of their phrase vectors: real embeddings
  with the same structure, which is all the timings below depend on;
- build: the Population and the faiss indexes;
- suggest: one mentee's top 10 with reasons, p50/p95 over 200 mentees, against the
  brute-force baseline (numpy: score every mentor, mask the rules, sort), both on one
  BLAS thread;
- assign: the whole cohort, optimal (and greedy), when it fits one dense problem; the
  whole cohort on the sparse path (each mentee's best 30 mentors from the index, then
  scipy's sparse assignment), with its total beside the dense optimum where that fits;
  and the target case of 5,000 mentees x 1,000 mentors with their capacities.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
from threadpoolctl import ThreadpoolController

from companion.demo import generate_organisation
from companion.matching.cohort import SPARSE_CANDIDATES, SPARSE_PER_MENTOR, plan_cohort
from companion.matching.population import build_population
from companion.models import Person
from companion.vectors import mentor_titles
from embeddings import CachingEmbedder, EmbeddingCache, l2_normalise, make_encoder
from evals.report import markdown_table, write_result
from retrieval import (
    MatchRules,
    MentorIndex,
    RuleChecker,
    ScoreWeights,
    SkillGapScorer,
    assign_greedily,
    assign_with_capacity,
    total_of,
)
from retrieval.assignment import MAX_CELLS

FLOOR = 0.4


def vector_table(ids: list[str], offer, goals, offered, wanted) -> pa.Table:
    """The shape Store.vectors() returns, built from numpy without the store."""
    dim = offer.shape[1]

    def fixed(matrix: np.ndarray) -> pa.Array:
        return pa.FixedSizeListArray.from_arrays(pa.array(matrix.ravel(), pa.float32()), dim)

    def nested(lists: list[np.ndarray]) -> pa.Array:
        offsets = np.zeros(len(lists) + 1, dtype=np.int32)
        np.cumsum([len(x) for x in lists], out=offsets[1:])
        flat = np.vstack(lists) if any(len(x) for x in lists) else np.zeros((0, dim), np.float32)
        return pa.ListArray.from_arrays(pa.array(offsets), fixed(flat))

    return pa.table(
        {
            "id": ids,
            "offer_vector": fixed(offer),
            "goals_vector": fixed(goals),
            "offered_vectors": nested(offered),
            "wanted_vectors": nested(wanted),
        }
    )


def embed(people: list[Person], sample: int, cache_path: Path) -> tuple[pa.Table, dict, dict]:
    encoder = make_encoder("minilm")
    encoder.encode(["load the model"])
    titles = mentor_titles(people)
    phrases = [p for person in people for p in (*person.skills_offered, *person.skills_wanted)]
    phrases += titles
    chosen = people[:sample]
    profiles = [t for person in chosen for t in (person.offer_text, person.goals_text)]
    figures = {}
    for run in ("cold", "cached"):
        embedder = CachingEmbedder(encoder, EmbeddingCache(cache_path), progress=False)
        started = time.perf_counter()
        phrase_vectors = embedder.embed(phrases)
        phrase_s = time.perf_counter() - started
        started = time.perf_counter()
        profile_vectors = embedder.embed(profiles)
        profile_s = (time.perf_counter() - started) * len(people) / len(chosen)
        figures[run] = {
            "phrase_s": phrase_s,
            "profile_s": profile_s,
            "total_s": phrase_s + profile_s,
            "profiles_scaled_from": len(chosen),
        }
    cursor, offered, wanted, offer, goals = 0, [], [], [], []
    for i, person in enumerate(people):
        o, w = len(person.skills_offered), len(person.skills_wanted)
        offered.append(phrase_vectors[cursor : cursor + o])  # titles come after all phrases
        wanted.append(phrase_vectors[cursor + o : cursor + o + w])
        cursor += o + w
        if i < len(chosen):
            offer.append(profile_vectors[2 * i])
            goals.append(profile_vectors[2 * i + 1])
        else:  # outside the sample: the mean of their own phrase vectors
            offer.append(offered[-1].mean(axis=0) if o else np.zeros(384, np.float32))
            goals.append(wanted[-1].mean(axis=0) if w else np.zeros(384, np.float32))
    table = vector_table(
        [p.id for p in people],
        l2_normalise(np.array(offer)),
        l2_normalise(np.array(goals)),
        offered,
        wanted,
    )
    title_vectors = dict(
        zip(titles, phrase_vectors[len(phrase_vectors) - len(titles) :], strict=True)
    )
    return table, figures, title_vectors


def percentiles(times: list[float]) -> dict[str, float]:
    ms = np.array(times) * 1000
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95))}


def run_tier(size: int, sample: int) -> dict:
    people = generate_organisation(size, seed=7).people
    with tempfile.TemporaryDirectory() as folder:
        vectors, embed_figures, titles = embed(
            people, min(sample, size), Path(folder) / "cache.sqlite"
        )
    started = time.perf_counter()
    pop = build_population(people, vectors, titles=titles)
    scorer = SkillGapScorer(pop, ScoreWeights(), FLOOR)
    checker = RuleChecker(pop, MatchRules())
    population_s = time.perf_counter() - started
    started = time.perf_counter()
    index = MentorIndex(pop, scorer, checker)
    index_s = time.perf_counter() - started
    mentees, mentors = pop.mentees(), pop.mentors()
    probe = np.random.default_rng(1).choice(mentees, size=min(200, len(mentees)), replace=False)
    fast, brute, agree = [], [], 0
    threads = ThreadpoolController()
    for mentee in probe.tolist():
        started = time.perf_counter()
        ranked = index.suggest(mentee, 10)
        for r in ranked:
            scorer.reasons(mentee, r.mentor)
        fast.append(time.perf_counter() - started)
        started = time.perf_counter()
        with threads.limit(limits=1):  # the same thread budget as the index path
            parts = scorer.components(np.array([mentee]), mentors)
            total = total_of(parts)[0]
            allowed = checker.allowed(np.array([mentee]), mentors)[0]
            valid = np.flatnonzero(allowed)
            best = valid[np.argsort(-total[valid], kind="stable")[:10]]
            for j in best.tolist():
                scorer.reasons(mentee, int(mentors[j]))
        brute.append(time.perf_counter() - started)
        agree += [r.mentor for r in ranked] == mentors[best].tolist()
    result = {
        "people": size,
        "mentees": len(mentees),
        "mentors": len(mentors),
        "embed": embed_figures,
        "build_population_s": population_s,
        "build_index_s": index_s,
        "suggest": percentiles(fast),
        "suggest_brute_force": percentiles(brute),
        "suggest_same_as_brute_force": agree / len(probe),
    }
    result["cohort"] = assign_case(scorer, checker, pop, mentees, mentors)
    result["cohort_sparse"] = sparse_case(index, pop, mentees)
    target_mentees, target_mentors = mentees[:5000], mentors[:1000]
    if len(target_mentees) == 5000 and len(target_mentors) == 1000:
        result["assign_5000x1000"] = assign_case(
            scorer, checker, pop, target_mentees, target_mentors
        )
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def assign_case(scorer, checker, pop, mentees, mentors) -> dict:
    places = int(pop.remaining[mentors].sum())
    if len(mentees) * places > MAX_CELLS:
        return {"skipped": f"{len(mentees)} x {places} places is over the dense limit"}
    started = time.perf_counter()
    parts = scorer.components(mentees, mentors)
    scores = total_of(parts)
    allowed = checker.allowed(mentees, mentors)
    score_s = time.perf_counter() - started
    started = time.perf_counter()
    optimal = assign_with_capacity(scores, allowed, pop.remaining[mentors])
    optimal_s = time.perf_counter() - started
    started = time.perf_counter()
    greedy = assign_greedily(scores, allowed, pop.remaining[mentors])
    greedy_s = time.perf_counter() - started
    rows_o, rows_g = np.flatnonzero(optimal >= 0), np.flatnonzero(greedy >= 0)
    return {
        "mentees": len(mentees),
        "mentors": len(mentors),
        "places": places,
        "score_s": score_s,
        "assign_s": optimal_s,
        "total_s": score_s + optimal_s,
        "greedy_s": greedy_s,
        "optimal_total": float(scores[rows_o, optimal[rows_o]].sum()),
        "greedy_total": float(scores[rows_g, greedy[rows_g]].sum()),
    }


def sparse_case(index, pop, mentees) -> dict:
    """The whole cohort on each mentee's best SPARSE_CANDIDATES mentors and each mentor's
    best SPARSE_PER_MENTOR mentees (the path used past the dense limit), timed; the dense
    optimum beside it where that fits."""
    started = time.perf_counter()
    plan = plan_cohort(index, mentees, pop.remaining[index.mentors], set(), 10, sparse=True)
    return {
        "candidates_per_mentee": SPARSE_CANDIDATES,
        "candidates_per_mentor": SPARSE_PER_MENTOR,
        "total_s": time.perf_counter() - started,
        "optimal_total": plan.total,
        "greedy_total": plan.greedy_total,
        "assigned": sum(1 for a in plan.assigned if a),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--profile-sample", type=int, default=2000)
    parser.add_argument("--tier", type=int, help=argparse.SUPPRESS)  # one tier, in a child
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.tier:
        print(json.dumps(run_tier(args.tier, args.profile_sample)))
        return
    tiers = []
    for size in args.tiers:
        print(f"tier {size:,} people ...", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "evals.bench_matching",
                "--tier",
                str(size),
                "--profile-sample",
                str(args.profile_sample),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        tiers.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(report(tiers))
    print(f"wrote {write_result('bench_matching', {'tiers': tiers}, args.out)}")


def report(tiers: list[dict]) -> str:
    rows = []
    for t in tiers:
        cohort = t["cohort"]
        rows.append(
            (
                f"{t['people']:,}",
                f"{t['mentees']:,} x {t['mentors']:,}",
                t["embed"]["cold"]["total_s"],
                t["embed"]["cached"]["total_s"],
                t["build_index_s"],
                t["suggest"]["p50_ms"],
                t["suggest"]["p95_ms"],
                t["suggest_brute_force"]["p95_ms"],
                f"{t['suggest_brute_force']['p95_ms'] / t['suggest']['p95_ms']:.1f}x",
                cohort.get("total_s", "over the dense limit"),
                t["cohort_sparse"]["total_s"],
                t["peak_rss_mb"],
            )
        )
    table = markdown_table(
        [
            "people",
            "mentees x mentors",
            "embed cold s",
            "embed cached s",
            "index s",
            "suggest p50 ms",
            "suggest p95 ms",
            "brute p95 ms",
            "speed-up",
            "assign all s (dense)",
            "assign all s (sparse)",
            "peak RSS MB",
        ],
        rows,
    )
    for t in tiers:
        sparse, dense = t["cohort_sparse"], t["cohort"]
        line = (
            f"\n{t['people']:,} people, sparse cohort (best {sparse['candidates_per_mentee']} "
            f"mentors per mentee, best {sparse.get('candidates_per_mentor', 0)} mentees per "
            f"mentor): total {sparse['optimal_total']:.2f}, {sparse['assigned']:,} pairs"
        )
        if "optimal_total" in dense:
            line += (
                f"; dense optimum {dense['optimal_total']:.2f} "
                f"({sparse['optimal_total'] / max(dense['optimal_total'], 1e-9):.5f}x)"
            )
        table += line
    targets = [t["assign_5000x1000"] for t in tiers if "assign_5000x1000" in t]
    if targets:
        a = targets[-1]
        table += (
            f"\n\n5,000 mentees x 1,000 mentors ({a['places']:,} places): scoring "
            f"{a['score_s']:.2f} s + optimal assignment {a['assign_s']:.2f} s = "
            f"{a['total_s']:.2f} s; greedy {a['greedy_s']:.2f} s; optimal total "
            f"{a['optimal_total']:.1f} vs greedy {a['greedy_total']:.1f}"
        )
    return table


if __name__ == "__main__":
    main()
