"""How the default matching weights were chosen: cross-validation over both benchmarks.

    python -m evals.tune_matching [--seeds 101 102 103 104] [--people 1000]

Tuning seeds only (101-104 by default); evals.matching reports seeds 7-9, which no choice
here ever sees. Each (benchmark, seed) is one fold. The real scorer gives every component
at weight 1 once per floor; a total is then any weighted sum of them, so the grid is
cheap. Leave-one-fold-out: the weights that do best on the other folds are scored on the
held-out one; the table compares that with today's weights on the same held-out fold.
The final choice is the best on all folds, with seniority and timezone held at 0.05
each at least (a reachable mentor and a weekly slot matter to people though not to the
benchmarks' relevance).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import numpy as np

from evals.matching import BENCHMARKS, Prepared, prepare, ranking_quality
from evals.report import markdown_table, write_report
from retrieval import COMPONENTS, ScoreWeights, SkillGapScorer

FLOORS = (0.35, 0.4, 0.45)
GRID = {
    "skills": (0.2, 0.3, 0.4),
    "profile": (0.3, 0.4, 0.5),
    "role": (0.0, 0.1, 0.2, 0.3),
    "seniority": (0.05, 0.1),
    "timezone": (0.05, 0.1),
}
TODAY = ("0.4", {"skills": 0.4, "profile": 0.4, "role": 0.0, "seniority": 0.1, "timezone": 0.1})


def raw_components(prepared: Prepared, floor: float) -> dict[str, np.ndarray]:
    pop = prepared.matcher.population
    unit = ScoreWeights(**{name: 1.0 for name in COMPONENTS})
    return SkillGapScorer(pop, unit, floor).components(prepared.mentees, prepared.mentors)


def candidates() -> list[tuple[str, dict[str, float]]]:
    names = list(GRID)
    return [
        (str(floor), dict(zip(names, values, strict=True)))
        for floor in FLOORS
        for values in itertools.product(*(GRID[n] for n in names))
    ]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[101, 102, 103, 104])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    folds, raw = [], {}
    for benchmark in BENCHMARKS:
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as folder:
                prepared = prepare(benchmark, args.people, seed, "minilm", Path(folder))
            folds.append(prepared)
            raw[(benchmark, seed)] = {str(f): raw_components(prepared, f) for f in FLOORS}
    grid = [*candidates(), TODAY]
    quality = {}  # (candidate index, fold) -> nDCG@10
    for c, (floor, weights) in enumerate(grid):
        for fold in folds:
            parts = raw[(fold.benchmark, fold.seed)][floor]
            total = sum(weights[n] * parts[n] for n in COMPONENTS)
            quality[(c, fold.benchmark, fold.seed)] = ranking_quality(fold, total)["ndcg@10"]
    keys = [(f.benchmark, f.seed) for f in folds]

    def mean(c: int, over: list) -> float:
        return float(np.mean([quality[(c, *k)] for k in over]))

    rows, held = [], []
    for k in keys:
        rest = [x for x in keys if x != k]
        best = max(range(len(grid) - 1), key=lambda c: mean(c, rest))
        held.append(
            {
                "fold": k,
                "chosen": grid[best],
                "chosen_ndcg": quality[(best, *k)],
                "today_ndcg": quality[(len(grid) - 1, *k)],
            }
        )
        rows.append(
            (
                f"{k[0]} {k[1]}",
                grid[best][0],
                _weights(grid[best][1]),
                quality[(best, *k)],
                quality[(len(grid) - 1, *k)],
            )
        )
    final = max(range(len(grid) - 1), key=lambda c: mean(c, keys))
    result = {"folds": [list(k) for k in keys], "held_out": held, "final": grid[final]}
    lines = [
        "Leave-one-fold-out over both benchmarks and tuning seeds (nDCG@10 on the held-out fold)",
        "",
        markdown_table(
            ["held out", "floor", "weights chosen on the rest", "chosen", "today"], rows
        ),
        "",
        f"Mean held-out nDCG@10: chosen {np.mean([h['chosen_ndcg'] for h in held]):.4f}, "
        f"today's weights {np.mean([h['today_ndcg'] for h in held]):.4f}",
        f"Final (best on every tuning fold): floor {grid[final][0]}, {_weights(grid[final][1])}",
    ]
    write_report("tune_matching", result, "\n".join(lines), args.out)
    return result


def _weights(weights: dict[str, float]) -> str:
    return ", ".join(f"{name} {weights[name]:g}" for name in COMPONENTS)


if __name__ == "__main__":
    main()
