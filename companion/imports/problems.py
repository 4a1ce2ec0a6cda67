"""What can be wrong with an import, said so a person can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass

from companion.plain_text import printable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an import file: where (file, line, field) and why."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        """One line, safe to print: the file and field names come from the import file
        (a column or a JSON key), so their control characters are shown escaped."""
        where = [printable(self.file)]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{printable(self.field)}'")
        return f"{', '.join(where)}: {printable(self.message, limit=1000)}"


class ImportFailed(Exception):
    """The import was refused; nothing was written. `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or ""))
        super().__init__("\n".join(str(p) for p in self.problems))
