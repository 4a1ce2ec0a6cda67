"""Options every command shares, and how they become Settings."""

from __future__ import annotations

from pathlib import Path

import typer

from companion.settings import Settings
from companion.workspace import Workspace

DataDir = typer.Option(
    None,
    "--data-dir",
    envvar="MENTORKIT_DATA_DIR",
    help="Data folder (store, caches). Default: $XDG_DATA_HOME/mentorkit, "
    "else ~/.local/share/mentorkit.",
    file_okay=False,
)
AsJson = typer.Option(False, "--json", help="Print JSON instead of text.")


def workspace_for(data_dir: Path | None) -> Workspace:
    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    return Workspace(settings)
