"""Importing people from CSV, JSON and JSONL files."""

from companion.imports.problems import ImportFailed, Problem
from companion.imports.service import ImportReport, import_people

__all__ = ["ImportFailed", "ImportReport", "Problem", "import_people"]
