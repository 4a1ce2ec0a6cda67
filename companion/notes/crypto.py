"""Encryption at rest for confidential notes: Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from MENTORKIT_NOTES_KEY, else from `keys/notes.key` under the data dir,
created on first use with mode 0600 (owner read/write only).
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken


class NotesKeyError(RuntimeError):
    pass


def load_or_create_key(path: Path) -> bytes:
    """The key in `path`, creating it (0600, never overwritten) if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as f:
        f.write(Fernet.generate_key())
    return path.read_bytes().strip()


class NoteCipher:
    """Encrypts and decrypts note payloads with one key."""

    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except ValueError:
            raise NotesKeyError(
                "the notes key is not a valid Fernet key (32 url-safe base64 bytes)"
            ) from None

    def encrypt(self, plaintext: bytes) -> bytes:
        return self._fernet.encrypt(plaintext)

    def decrypt(self, token: bytes) -> bytes:
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise NotesKeyError(
                "a note could not be decrypted: wrong key or damaged file"
            ) from None
