"""Printing a benchmark's table and writing its JSON result, the same way for every eval."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from companion.files import write_atomic

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    def cell(value: Any) -> str:
        return f"{value:,.3f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
    }


def write_result(name: str, result: dict[str, Any], out: Path | None = None) -> Path:
    """Write `result` as JSON, atomically, to `out` or evals/results/NAME.json."""
    path = out or RESULTS_DIR / f"{name}.json"
    document = {"benchmark": name, "machine": machine(), **result}
    write_atomic(path, lambda f: f.write(json.dumps(document, indent=2) + "\n"))
    return path


def write_report(name: str, result: dict[str, Any], text: str, out: Path | None = None) -> None:
    """Print `text`, then write `result` as JSON and `text` as markdown beside it."""
    print(text)
    path = write_result(name, result, out)
    markdown = path.with_suffix(".md")
    write_atomic(markdown, lambda f: f.write(text + "\n"))
    print(f"wrote {path} and {markdown}")
