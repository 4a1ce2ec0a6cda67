"""Importing people as a coordinator does: cold, warm, and after a few edits.

    python -m evals.bench_import [--people 10000] [--edited 100]

A demo organisation is written to a CSV file and imported by the real command
(`mentorkit import FILE --data-dir DIR`, a fresh process each time, start-up included):

- cold: into an empty data folder, nothing cached: every text embedded (the baseline);
- warm: the same file again: every person reported unchanged, nothing embedded or written;
- edited: the file with `--edited` people's bios rewritten: those embedded and written.

Each run's wall time, and its ratio to the cold run in the same command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from companion.demo import generate_organisation
from companion.imports.formats import write_people_csv
from evals.report import markdown_table, write_result


def run_import(csv_path: Path, data_dir: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "companion.cli",
            "import",
            str(csv_path),
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - started, done.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--edited", type=int, default=100)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    people = generate_organisation(args.people, seed=7).people
    runs = {}
    with tempfile.TemporaryDirectory() as folder:
        csv_path, data_dir = Path(folder) / "people.csv", Path(folder) / "data"
        write_people_csv(people, csv_path, ";")
        for name in ("cold", "warm"):
            print(f"{name} import of {args.people:,} people ...", flush=True)
            runs[name] = run_import(csv_path, data_dir)
        edited = [
            p.model_copy(update={"bio": f"{p.bio} Lately also {i} new things."})
            if i < args.edited
            else p
            for i, p in enumerate(people)
        ]
        write_people_csv(edited, csv_path, ";")
        print(f"import with {args.edited:,} bios edited ...", flush=True)
        runs["edited"] = run_import(csv_path, data_dir)
    cold = runs["cold"][0]
    rows = [
        (name, seconds, f"{seconds / cold:.3f}x", said) for name, (seconds, said) in runs.items()
    ]
    table = markdown_table(["import", "seconds", "vs cold", "the command said"], rows)
    print(table)
    result = {
        "people": args.people,
        "edited": args.edited,
        "runs": {name: {"seconds": s, "output": said} for name, (s, said) in runs.items()},
    }
    print(f"wrote {write_result('bench_import', result, args.out)}")
    return result


if __name__ == "__main__":
    main()
