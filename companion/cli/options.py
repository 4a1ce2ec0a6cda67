"""Options every command shares, and how they become Settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import typer

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


def exits_on(*errors: type[Exception]) -> Callable[[F], F]:
    """A command decorator: any of `errors` becomes one line on stderr and exit code 1."""

    def decorate(command: F) -> F:
        @wraps(command)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except errors as err:
                typer.echo(f"error: {err}", err=True)
                raise typer.Exit(1) from None

        return run  # type: ignore[return-value]

    return decorate


def workspace_for(data_dir: Path | None) -> Workspace:
    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    return Workspace(settings)
