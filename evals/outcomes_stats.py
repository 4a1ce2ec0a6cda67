"""Do the comparison's statistics tell the truth? Synthetic programmes with a known effect
of taking part (and with none), run through the product's own comparison
(`companion.outcomes.compare.compare_metric`) on many seeds.

Each seed: 600 people, seniority 1-5 and six departments; seniority raises both the
chance of taking part and the outcome (a confounder). Numeric metric: engagement with a
planted effect of +4 (or 0). Binary metric: retained with +8 points (or 0). Reported per
scenario: the mean adjusted and raw estimates against the truth, how often the 95%
interval covers the truth (should be near 95%), and how often it excludes zero and how
often p < 0.05 (near 5% under no effect: false positives; high under an effect: power).
The baseline, in the same run, is the raw difference's bias: what a coordinator would
conclude without adjusting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np

from companion.outcomes.compare import compare_metric
from companion.outcomes.control import OutcomeRow
from evals.report import markdown_table, write_report

PEOPLE = 600
SCENARIOS = (("engagement", "numeric", 4.0), ("engagement", "numeric", 0.0),
             ("retained", "binary", 0.08), ("retained", "binary", 0.0))  # fmt: skip
DAY = dt.date(2027, 6, 30)


def population(seed: int, kind: str, effect: float) -> tuple[list[OutcomeRow], set[str]]:
    rng = np.random.default_rng(seed)
    seniority = rng.choice(5, PEOPLE, p=[0.25, 0.3, 0.2, 0.15, 0.1]) + 1
    department = rng.integers(0, 6, PEOPLE)
    took = rng.random(PEOPLE) < 0.05 + 0.06 * seniority
    if kind == "numeric":
        values = 50 + 3 * seniority + 2 * department + rng.normal(0, 10, PEOPLE) + effect * took
    else:
        chance = 0.62 + 0.05 * seniority + 0.01 * department + effect * took
        values = (rng.random(PEOPLE) < chance).astype(float)
    rows = [
        OutcomeRow(f"p{i}", "m", float(values[i]), DAY, int(seniority[i]), f"d{department[i]}")
        for i in range(PEOPLE)
    ]
    return rows, {f"p{i}" for i in np.flatnonzero(took)}


def scenario(metric: str, kind: str, effect: float, seeds: list[int]) -> dict:
    adjusted, raw, covered, excludes, small_p = [], [], 0, 0, 0
    for seed in seeds:
        rows, taking_part = population(seed, kind, effect)
        c = compare_metric(metric, rows, taking_part, seed=seed)
        adjusted.append(c["adjusted_difference"])
        raw.append(c["raw_difference"])
        low, high = c["interval"]
        covered += low <= effect <= high
        excludes += low > 0 or high < 0
        small_p += c["p_value"] < 0.05
    n = len(seeds)
    return {
        "metric": metric, "kind": kind, "truth": effect, "seeds": n,
        "adjusted_mean": float(np.mean(adjusted)), "raw_mean": float(np.mean(raw)),
        "coverage": covered / n, "interval_excludes_zero": excludes / n, "p_below_05": small_p / n,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--out", type=lambda p: __import__("pathlib").Path(p), default=None)
    args = parser.parse_args(argv)
    seeds = list(range(1000, 1000 + args.seeds))
    started = time.perf_counter()
    rows = [scenario(m, k, e, seeds) for m, k, e in SCENARIOS]
    seconds = time.perf_counter() - started
    table = markdown_table(
        ["metric", "planted effect", "adjusted estimate (mean)", "raw difference (mean)",
         "95% interval covers truth", "interval excludes 0", "p < 0.05"],
        [[r["metric"], f"{r['truth']:g}", f"{r['adjusted_mean']:.3f}", f"{r['raw_mean']:.3f}",
          f"{100 * r['coverage']:.1f}%", f"{100 * r['interval_excludes_zero']:.1f}%",
          f"{100 * r['p_below_05']:.1f}%"] for r in rows],
    )  # fmt: skip
    text = (
        f"Outcome comparison on synthetic programmes ({PEOPLE} people, seeds "
        f"{seeds[0]}-{seeds[-1]}): stratified adjustment, bootstrap interval, within-strata "
        f"permutation p; {seconds:.0f} s.\n\n{table}"
    )
    result = {"seeds": len(seeds), "people": PEOPLE, "seconds": seconds, "scenarios": rows}
    write_report("outcomes_stats", result, text, args.out)
    return result


if __name__ == "__main__":
    main()
