"""Encryption at rest for confidential notes: Fernet (AES-128-CBC + HMAC-SHA256).

Where the key comes from, first match wins:
1. MENTORKIT_NOTES_KEY (the key itself);
2. MENTORKIT_NOTES_KEY_FILE, a file that may live outside the data dir (for example
   readable only by the service account that runs the UI). It is never created: make one
   with `mentorkit notes keygen FILE`;
3. `keys/notes.key` under the data dir, created on first use with mode 0600, but only
   while no note exists (a new key could not open them).

Without access to the key, everything but notes (and agendas built from them) still
works: the notes use cases refuse with a NotesKeyError that says which key is missing.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr


class NotesKeyError(RuntimeError):
    """The notes key is missing, unreadable or wrong; the message names where it looked."""


def write_new_key(path: Path) -> None:
    """Write a fresh key to `path` (0600), never over an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(Fernet.generate_key())


def _read_key(path: Path) -> bytes:
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        raise NotesKeyError(
            f"the notes key file {path} does not exist; notes need it "
            "(create one with `mentorkit notes keygen FILE`)"
        ) from None
    except OSError as err:
        raise NotesKeyError(
            f"cannot read the notes key file {path} ({err.strerror}); notes need it"
        ) from None


def load_or_create_key(path: Path, notes_dir: Path | None = None) -> bytes:
    """The key in `path`, creating it (0600) if it does not exist and no note in `notes_dir`
    needs an old one."""
    if not path.exists():
        if notes_dir is not None and any(notes_dir.glob("*/*.note")):
            raise NotesKeyError(
                f"notes exist but their key {path} is missing; set MENTORKIT_NOTES_KEY or "
                "MENTORKIT_NOTES_KEY_FILE to the key they were written with"
            )
        with contextlib.suppress(FileExistsError):  # another process made it first
            write_new_key(path)
    return _read_key(path)


def notes_key(
    key: SecretStr | None, key_file: Path | None, default_file: Path, notes_dir: Path
) -> tuple[bytes, str]:
    """The key and a description of where it came from (for error messages)."""
    if key is not None:
        return key.get_secret_value().strip().encode(), "MENTORKIT_NOTES_KEY"
    if key_file is not None:
        return _read_key(key_file), str(key_file)
    return load_or_create_key(default_file, notes_dir), str(default_file)


class NoteCipher:
    """Encrypts and decrypts note payloads with one key."""

    def __init__(self, key: bytes, source: str = "the notes key") -> None:
        self.source = source
        try:
            self._fernet = Fernet(key)
        except ValueError:
            raise NotesKeyError(
                f"the notes key in {source} is not a valid key (32 url-safe base64 bytes, "
                "as `mentorkit notes keygen` writes); was it damaged or cut short?"
            ) from None

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise NotesKeyError(
                f"a note could not be decrypted with the key in {self.source}: "
                "wrong key or damaged file"
            ) from None
