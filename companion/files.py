"""Files mentorkit writes: private to the user who runs it, and written atomically (a reader
sees the old file or the new one, never half of one)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_atomic(path: Path, write: Callable[[IO[Any]], object], binary: bool = False) -> None:
    """Call `write` on a temporary file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        handle: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", newline="", encoding="utf-8")
        )
        with handle as f:
            write(f)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


PRIVATE_UMASK = 0o077  # new files 0600, new folders 0700: people, hashes, notes, threads


def make_private(data_dir: Path) -> None:
    """From now on this process creates owner-only files; the data dir itself is 0700.

    Called wherever a data dir is opened (the Workspace), so that the CLI, the UI server
    and every store, cache and database under the data dir are covered, whoever starts them.
    """
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if data_dir.stat().st_mode & 0o077 and data_dir.stat().st_uid == os.getuid():
        data_dir.chmod(0o700)
