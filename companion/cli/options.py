"""Options every command shares, and how they become Settings."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

from companion.plain_text import BIDI_CONTROLS
from companion.settings import Settings
from companion.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
DataDir = typer.Option(
    None,
    "--data-dir",
    envvar="MENTORKIT_DATA_DIR",
    help="Data folder (store, caches). Default: $XDG_DATA_HOME/mentorkit, "
    "else ~/.local/share/mentorkit.",
    file_okay=False,
)
AsJson = typer.Option(False, "--json", help="Print JSON instead of text.")


_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def terminal_safe(text: str) -> str:
    """`text` with every control and bidi character escaped (newline and tab kept): a name
    or note holding ESC sequences must not retitle, clear or rewrite the terminal."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def echo(message: object = "", err: bool = False) -> None:
    """What every command prints: anything from the store goes through `terminal_safe`."""
    typer.echo(terminal_safe(str(message)), err=err)


def exits_on(*errors: type[Exception]) -> Callable[[F], F]:
    """A command decorator: any of `errors` becomes one line on stderr and exit code 1."""

    def decorate(command: F) -> F:
        @wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except errors as err:
                echo(f"error: {err}", err=True)
                raise typer.Exit(1) from None

        return run  # type: ignore[return-value]

    return decorate


def workspace_for(data_dir: Path | None) -> Workspace:
    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    return Workspace(settings)
