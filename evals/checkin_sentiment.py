"""Check-in comment sentiment: mentorkit's encoder anchors against always saying the
most common label, on comments written the way people write them.

`evals/data/checkin_comments_{dev,test}.jsonl`: 100 comments by a writer who never saw
the code, labelled positive / neutral / negative as a coordinator would read them, split
70/30 by a seeded shuffle. Anchors and their count were chosen on dev; the test split is
reported by default. Negative recall matters most: it is what flags a pair at risk.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from companion.language.sentiment import comment_sentiment
from companion.settings import Settings
from companion.workspace import Workspace
from evals.companion import load
from evals.report import markdown_table, write_report

LABELS = ("positive", "neutral", "negative")


def scores(truth: list[str], said: list[str]) -> dict:
    def recall(label: str) -> float:
        pairs = [(t, s) for t, s in zip(truth, said, strict=True) if t == label]
        return sum(t == s for t, s in pairs) / len(pairs) if pairs else 0.0

    def precision(label: str) -> float:
        pairs = [(t, s) for t, s in zip(truth, said, strict=True) if s == label]
        return sum(t == s for t, s in pairs) / len(pairs) if pairs else 0.0

    f1 = []
    for label in LABELS:
        p, r = precision(label), recall(label)
        f1.append(2 * p * r / (p + r) if p + r else 0.0)
    return {
        "accuracy": sum(t == s for t, s in zip(truth, said, strict=True)) / len(truth),
        "macro_f1": sum(f1) / len(f1),
        "negative_recall": recall("negative"),
        "negative_precision": precision("negative"),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = load(f"checkin_comments_{args.split}.jsonl", None)
    truth = [r["label"] for r in rows]
    embed = Workspace(Settings(embedding={"cache": False})).embedder.embed
    comment_sentiment("warm up", embed)  # the encoder's load and the anchors: once per process
    started = time.perf_counter()
    said = [comment_sentiment(r["comment"], embed).value for r in rows]
    seconds = (time.perf_counter() - started) / len(rows)
    majority = Counter(truth).most_common(1)[0][0]
    result = {
        "split": args.split,
        "comments": len(rows),
        "labels": dict(Counter(truth)),
        "mentorkit": scores(truth, said),
        "baseline": {"rule": f"always '{majority}'", **scores(truth, [majority] * len(rows))},
        "seconds_per_comment": seconds,
    }
    m, b = result["mentorkit"], result["baseline"]
    table = markdown_table(
        ["measure", "mentorkit (encoder anchors)", f"baseline ({b['rule']})"],
        [(name.replace("_", " "), f"{m[name]:.0%}", f"{b[name]:.0%}") for name in m],
    )
    report = (
        f"Check-in sentiment, {args.split} split ({len(rows)} comments: "
        f"{', '.join(f'{v} {k}' for k, v in result['labels'].items())}); "
        f"{seconds * 1000:.0f} ms per comment\n\n{table}"
    )
    write_report(f"checkin_sentiment_{args.split}", result, report, args.out)
    return result


if __name__ == "__main__":
    main()
