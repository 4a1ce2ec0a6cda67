"""The companion's LLM features on a dev set, through the embedded model by default.

    python -m evals.companion [--limit N] [--out FILE]

Reports: the share of SMART drafts passing all five checks after repair (and how many
ended as questions to the mentee), agenda timing exactness, action-item recall and
precision of note summaries, model bullets dropped as contradictions, and the median
latency of each feature. The dev set is in evals/data (40 goals, 20 notes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from companion.goals import CRITERIA, GoalContext, GoalDraft, StoredGoal, draft_smart_goal
from companion.goals.checker import embedding_similarity
from companion.llm import LLMGateway
from companion.notes import summarise_notes_locally
from companion.sessions import build_agenda, prepare_questions
from companion.settings import Settings
from companion.workspace import Workspace
from evals.report import markdown_table, write_report

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2027, 1, 11)
PROGRAMME_END = dt.date(2027, 6, 25)


def load(name: str, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in (DATA / name).read_text().splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def eval_goals(rows: list[dict], gateway: LLMGateway, workspace: Workspace) -> tuple[dict, list]:
    similarity = embedding_similarity(workspace.embedder.embed)
    drafts, latencies, per_criterion = [], [], Counter()
    for row in tqdm(rows, desc="SMART goals", unit="goal"):
        ctx = GoalContext(
            today=TODAY,
            programme_start=TODAY,
            programme_end=PROGRAMME_END,
            wanted=row["wanted"],
            similarity=similarity,
        )
        draft, seconds = timed(draft_smart_goal, row["text"], ctx, gateway)
        drafts.append(draft)
        latencies.append(seconds)
        per_criterion.update(c.criterion for c in draft.checks if c.passed)
    passed = sum(d.passed for d in drafts)
    return {
        "goals": len(rows),
        "passed_all_five": passed,
        "passed_share": passed / len(rows),
        "ended_as_questions": sum(1 for d in drafts if d.questions),
        "questions_when_failing": all(d.questions for d in drafts if not d.passed),
        "repaired": sum(len(d.repaired) for d in drafts),
        "criterion_pass_share": {c: per_criterion[c] / len(rows) for c in CRITERIA},
        "median_seconds": statistics.median(latencies),
    }, drafts


def active_goal(goal_id: str, draft: GoalDraft) -> StoredGoal:
    """A drafted goal as the agenda and question builders see a kept one."""
    now = dt.datetime.now(dt.UTC)
    return StoredGoal(
        id=goal_id, mentee_id="m", goal=draft.goal, status="active", created_at=now, updated_at=now
    )


def eval_agendas(drafts: list, seed: int = 7) -> dict:
    rng = random.Random(seed)
    exact = counts_ok = 0
    trials = 0
    started = time.perf_counter()
    for i in range(len(drafts)):
        goals = [active_goal(f"g{j}", d) for j, d in enumerate(drafts[i : i + rng.randint(0, 3)])]
        questions = [(f"q{k}", f"question {k}") for k in range(rng.randint(0, 3))]
        for minutes in (15, 20, 30, 45, 50, 60, 90):
            agenda = build_agenda(goals, None, questions, minutes)
            trials += 1
            exact += sum(item.minutes for item in agenda.items) == minutes
            counts_ok += 3 <= len(agenda.items) <= 6
    return {
        "agendas": trials,
        "minutes_exact_share": exact / trials,
        "item_count_ok_share": counts_ok / trials,
        "mean_seconds": (time.perf_counter() - started) / max(trials, 1),
    }


def eval_notes(rows: list[dict], gateway: LLMGateway) -> dict:
    matched = extracted = gold = dropped = topics_found = topics_gold = 0
    latencies = []
    for row in tqdm(rows, desc="note summaries", unit="note"):
        session = dt.date.fromisoformat(row["session_date"])
        summary, seconds = timed(
            summarise_notes_locally, row["text"], session, row["people"], gateway, row["author"]
        )
        latencies.append(seconds)
        found = Counter(
            (a.owner, a.due.isoformat() if a.due else None) for a in summary.action_items
        )
        want = Counter((a["owner"], a["due"]) for a in row["actions"])
        matched += sum((found & want).values())
        extracted += sum(found.values())
        gold += sum(want.values())
        dropped += len(summary.dropped)
        topics_gold += len(row["topics"])
        topics_found += sum(1 for t in row["topics"] if t in summary.next_topics)
    return {
        "notes": len(rows),
        "action_recall": matched / max(gold, 1),
        "action_precision": matched / max(extracted, 1),
        "topic_recall": topics_found / max(topics_gold, 1),
        "bullets_dropped_as_contradictions": dropped,
        "median_seconds": statistics.median(latencies),
    }


def eval_questions(drafts: list) -> dict:
    counts, latencies = [], []
    for i, draft in enumerate(drafts):
        goal = active_goal(f"g{i}", draft)
        questions, seconds = timed(
            prepare_questions, goal, "My manager moved the review.", TODAY, ["presenting"]
        )
        counts.append(len(questions))
        latencies.append(seconds)
    return {
        "sets": len(counts),
        "three_to_five_share": sum(3 <= c <= 5 for c in counts) / len(counts),
        "median_seconds": statistics.median(latencies),
    }


def results_table(result: dict) -> str:
    g, a, n, q = (result[k] for k in ("smart_goals", "agendas", "summaries", "questions"))
    return markdown_table(
        ["feature", "measure", "result", "median latency s"],
        [
            (
                "SMART goals",
                f"pass all five after repair ({g['goals']} goals)",
                f"{g['passed_share']:.0%}; {g['ended_as_questions']} ended as questions",
                g["median_seconds"],
            ),
            (
                "agendas",
                f"minutes sum exactly ({a['agendas']} agendas)",
                f"{a['minutes_exact_share']:.0%}",
                a["mean_seconds"],
            ),
            (
                "note summaries",
                f"action items ({n['notes']} notes)",
                f"recall {n['action_recall']:.0%}, precision {n['action_precision']:.0%}",
                n["median_seconds"],
            ),
            (
                "note summaries",
                "model bullets dropped as contradictions",
                str(n["bullets_dropped_as_contradictions"]),
                n["median_seconds"],
            ),
            (
                "questions",
                "3-5 questions per goal",
                f"{q['three_to_five_share']:.0%}",
                q["median_seconds"],
            ),
        ],
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="Only the first N of each set.")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = Settings()
    workspace = Workspace(settings)
    gateway = LLMGateway(settings.llm)
    goals, drafts = eval_goals(load("companion_goals.jsonl", args.limit), gateway, workspace)
    result = {
        "model": gateway.general.name,
        "local_model": gateway.local.name,
        "smart_goals": goals,
        "agendas": eval_agendas(drafts),
        "summaries": eval_notes(load("companion_notes.jsonl", args.limit), gateway),
        "questions": eval_questions(drafts),
    }
    table = results_table(result)
    report = f"Companion eval on {result['model']} (local: {result['local_model']})\n\n{table}"
    write_report("companion", result, report, args.out)
    return result


if __name__ == "__main__":
    main()
