"""How well the guidance library finds the passage that answers a question: hybrid search
(full-text and vector fused by reciprocal rank) against full-text alone and vector alone,
side by side in one run, on the starter guides and the real encoder.

Questions are in evals/data/guide_questions_{dev,test}.jsonl, written the way people ask
(fragments, typos, "my mentee"), each with the sections that answer it (guide id and
heading path) and the role asking; some have no answer in the guides. A retrieved passage
is relevant when its guide and heading are among the question's answers.

Reported per mode: recall@3 (share of a question's answering sections in the top 3, over
the questions that have an answer), the share with at least one of them in the top 3,
MRR (reciprocal rank of the first relevant passage, within the top 10) and milliseconds
per query. And for the answer's relevance floor
(companion.guides.answer.RELEVANT): answerable questions answered, and questions with no
answer declined. `--calibrate` picks that floor on the dev split only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from companion.guides import GuideLibrary, Hit, Mode, audiences_for, search
from companion.guides.answer import RELEVANT
from companion.models import Profile
from companion.settings import Settings
from companion.workspace import Workspace
from evals.report import markdown_table, write_report

DATA = Path(__file__).resolve().parent / "data"
DEPTH = 10


def load(split: str) -> list[dict[str, Any]]:
    lines = (DATA / f"guide_questions_{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _relevant(hit: Hit, answers: list[dict[str, str]]) -> bool:
    return any(
        hit.chunk.guide_id == a["guide"] and hit.chunk.heading == a["heading"] for a in answers
    )


def _scores(hits: list[Hit], answers: list[dict[str, str]]) -> tuple[float, float]:
    """recall@3 and the reciprocal rank of the first relevant passage."""
    found = {(h.chunk.guide_id, h.chunk.heading) for h in hits[:3] if _relevant(h, answers)}
    recall = len(found) / len({(a["guide"], a["heading"]) for a in answers})
    first = next((rank for rank, h in enumerate(hits, start=1) if _relevant(h, answers)), None)
    return recall, (1 / first if first else 0.0)


def run_mode(library: GuideLibrary, questions: list[dict[str, Any]], mode: Mode) -> dict:
    recalls, reciprocal, times, best, any3 = [], [], [], [], []
    for q in questions:
        audiences = audiences_for([Profile(q["role"])])
        start = time.perf_counter()
        hits = search(library, q["question"], audiences, k=DEPTH, mode=mode)
        times.append((time.perf_counter() - start) * 1000)
        best.append(max((h.similarity for h in hits[:3]), default=0.0))
        if q["answers"]:
            recall, rr = _scores(hits, q["answers"])
            recalls.append(recall)
            reciprocal.append(rr)
            any3.append(rr >= 1 / 3)
    return {
        "recall_at_3": statistics.fmean(recalls),
        "answered_at_3": statistics.fmean(any3),
        "mrr": statistics.fmean(reciprocal),
        "ms_per_query": statistics.median(times),
        "best_similarity": best,
    }


def declines(questions: list[dict[str, Any]], best: list[float], floor: float) -> dict:
    answerable = [b >= floor for q, b in zip(questions, best, strict=True) if q["answers"]]
    none = [b < floor for q, b in zip(questions, best, strict=True) if not q["answers"]]
    return {
        "answered": sum(answerable) / max(len(answerable), 1),
        "declined": sum(none) / max(len(none), 1),
        "answerable": len(answerable),
        "unanswerable": len(none),
    }


def calibrate(questions: list[dict[str, Any]], best: list[float]) -> float:
    """The floor that best separates answerable from unanswerable (balanced accuracy)."""
    candidates = [round(0.15 + 0.01 * i, 2) for i in range(40)]

    def balanced(floor: float) -> float:
        d = declines(questions, best, floor)
        return d["answered"] + d["declined"]

    for floor in candidates:
        d = declines(questions, best, floor)
        print(f"floor {floor:.2f}: answered {d['answered']:.0%}, declined {d['declined']:.0%}")
    return max(candidates, key=lambda f: (balanced(f), -abs(f - 0.3)))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "test"], default="test")
    parser.add_argument("--calibrate", action="store_true", help="Choose the floor on dev.")
    parser.add_argument("--limit", type=int, default=0, help="First N questions (a slice).")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    split = "dev" if args.calibrate else args.split
    questions = load(split)[: args.limit or None]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), progress=False)
        library = GuideLibrary(Workspace(settings))
        library.table()  # the starter guides, embedded once before timing
        results = {mode.value: run_mode(library, questions, mode) for mode in Mode}
    best = results[Mode.HYBRID.value].pop("best_similarity")
    for mode in (Mode.TEXT, Mode.VECTOR):
        results[mode.value].pop("best_similarity")
    floor = calibrate(questions, best) if args.calibrate else RELEVANT
    result = {
        "split": split,
        "questions": len(questions),
        "modes": results,
        "floor": floor,
        "floor_calibrated_here": args.calibrate,
        "no_answer": declines(questions, best, floor),
    }
    rows = [
        [mode, r["recall_at_3"], r["answered_at_3"], r["mrr"], f"{r['ms_per_query']:.1f}"]
        for mode, r in results.items()
    ]
    d = result["no_answer"]
    text = (
        f"Guide search, {split} split ({len(questions)} questions)\n\n"
        + markdown_table(
            ["search", "recall@3", "a passage that answers in top 3", "MRR", "ms/query"], rows
        )  # fmt: skip
        + f"\n\nRelevance floor {floor:.2f}: {d['answered']:.0%} of {d['answerable']} "
        f"answerable questions answered, {d['declined']:.0%} of {d['unanswerable']} "
        "with no answer in the guides declined."
    )
    name = "guides_calibration" if args.calibrate else f"guides_{split}"
    write_report(name, result, text, args.out)
    return result


if __name__ == "__main__":
    main()
