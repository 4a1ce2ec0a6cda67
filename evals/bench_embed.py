"""Embedding speed on a demo organisation: naive baseline vs mentorkit cold vs cached.

    python -m evals.bench_embed [--people 1000] [--backend minilm] [--out FILE]

The baseline encodes every text occurrence with the same encoder, no deduplication and
no cache: what a straightforward import would do. mentorkit deduplicates, serves the
content-hash cache and encodes the rest; "cold" starts from an empty cache, "cached"
runs again on the same cache. Figures are texts served per second, and ratios against
the baseline run side by side in the same process.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from companion.demo import generate_organisation
from embeddings import CachingEmbedder, EmbeddingCache, make_encoder
from evals.report import markdown_table, write_result


def texts_of(size: int, seed: int) -> tuple[list[str], list[str]]:
    people = generate_organisation(size, seed).people
    phrases = [p for person in people for p in (*person.skills_offered, *person.skills_wanted)]
    profiles = [t for person in people for t in (person.offer_text, person.goals_text) if t]
    return phrases, profiles


def timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(encoder, phrases: list[str], profiles: list[str], batch_size: int) -> dict:
    """Seconds and texts/s for the baseline, mentorkit cold and mentorkit cached, side by side."""

    def naive(texts: list[str]) -> None:
        for start in range(0, len(texts), batch_size):
            encoder.encode(texts[start : start + batch_size])

    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        cache = EmbeddingCache(Path(folder) / "cache.sqlite")
        embedder = CachingEmbedder(encoder, cache, batch_size, progress=True)
        plans = {
            "baseline (no dedupe, no cache)": (lambda: naive(phrases), lambda: naive(profiles)),
            "mentorkit cold (empty cache)": (
                lambda: embedder.embed(phrases, "skill phrases"),
                lambda: embedder.embed(profiles, "profiles"),
            ),
            "mentorkit cached": (
                lambda: embedder.embed(phrases, "skill phrases"),
                lambda: embedder.embed(profiles, "profiles"),
            ),
        }
        for name, (do_phrases, do_profiles) in plans.items():
            print(f"running: {name}")
            phrase_s, profile_s = timed(do_phrases), timed(do_profiles)
            runs[name] = {
                "phrase_seconds": phrase_s,
                "profile_seconds": profile_s,
                "phrases_per_s": len(phrases) / phrase_s,
                "profiles_per_s": len(profiles) / profile_s,
            }
    base = runs["baseline (no dedupe, no cache)"]
    for run in runs.values():
        run["phrase_speedup"] = run["phrases_per_s"] / base["phrases_per_s"]
        run["profile_speedup"] = run["profiles_per_s"] / base["profiles_per_s"]
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backend", default="minilm", choices=["minilm", "fake"])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    phrases, profiles = texts_of(args.people, args.seed)
    encoder = make_encoder(args.backend, args.batch_size)
    encoder.encode(["warm up the model"])  # load once, outside the timings
    print(
        f"{args.people} people: {len(phrases)} skill phrases ({len(set(phrases))} distinct), "
        f"{len(profiles)} profile texts ({len(set(profiles))} distinct)"
    )
    runs = measure(encoder, phrases, profiles, args.batch_size)
    rows = [
        (
            name,
            run["phrases_per_s"],
            f"{run['phrase_speedup']:.1f}x",
            run["profiles_per_s"],
            f"{run['profile_speedup']:.1f}x",
        )
        for name, run in runs.items()
    ]
    print(
        markdown_table(["run", "skill phrases/s", "vs baseline", "profiles/s", "vs baseline"], rows)
    )
    path = write_result(
        "bench_embed",
        {
            "people": args.people,
            "seed": args.seed,
            "model": encoder.model_id,
            "batch_size": args.batch_size,
            "phrases": len(phrases),
            "distinct_phrases": len(set(phrases)),
            "profiles": len(profiles),
            "runs": runs,
        },
        args.out,
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
