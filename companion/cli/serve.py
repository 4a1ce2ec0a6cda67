"""`mentorkit serve`: the chat UI on 127.0.0.1, with its auth secret in the data dir."""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import typer

from companion.cli.options import DataDir, echo, workspace_for

REPO = Path(__file__).resolve().parents[2]


def auth_secret(folder: Path) -> str:
    """CHAINLIT_AUTH_SECRET, generated once into the data dir (mode 0600) when not set."""
    path = folder / "ui" / "auth_secret"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port"),
    data_dir: Path | None = DataDir,
) -> None:
    """Serve the chat UI (Chainlit) for mentees, mentors and coordinators."""
    settings = workspace_for(data_dir).settings
    env = dict(os.environ)
    env["MENTORKIT_DATA_DIR"] = str(settings.data_dir)
    env.setdefault("CHAINLIT_AUTH_SECRET", auth_secret(settings.data_dir))
    env["CHAINLIT_APP_ROOT"] = str(REPO / "ui")  # our config, not a generated one in the cwd
    if not settings.ui.origins:  # the address served here; behind a proxy, set your own
        names = [host, "localhost"] if host == "127.0.0.1" else [host]
        env["MENTORKIT_UI__ORIGINS"] = json.dumps([f"http://{n}:{port}" for n in names])
    echo(f"mentorkit is serving on http://{host}:{port}", err=True)
    os.execvpe(
        sys.executable,
        [
            sys.executable,
            "-m",
            "chainlit",
            "run",
            str(REPO / "app.py"),
            "--headless",
            "--host",
            host,
            "--port",
            str(port),
        ],
        env,
    )
