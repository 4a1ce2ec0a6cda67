"""Accounts for signing in: a username, an Argon2id password hash, a person and roles.

A person's mentee and mentor roles come from their profile; the coordinator role is
given explicitly. Passwords are never stored, only their Argon2id hashes.
"""

from __future__ import annotations

import datetime as dt
import re

import lancedb
import pyarrow as pa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field

from companion.lance import open_table, upsert_rows
from companion.models import Profile
from companion.store import Store

ACCOUNTS = "accounts"
ROLES = tuple(Profile)
_SCHEMA = pa.schema(
    [
        ("username", pa.string()),
        ("person_id", pa.string()),
        ("roles", pa.list_(pa.string())),
        ("password_hash", pa.string()),
        ("updated_at", pa.timestamp("us", tz="UTC")),
    ]
)
_USERNAME = re.compile(r"^[a-z0-9._-]{3,64}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    pass


class Account(BaseModel):
    username: str
    person_id: str | None = Field(None, description="The person signing in, if any.")
    roles: list[Profile]


class Accounts:
    """Accounts in LanceDB beside the people."""

    def __init__(self, store: Store) -> None:
        self.people = store
        self._db = lancedb.connect(str(store.path))
        self._hasher = PasswordHasher()

    def _rows(self) -> dict[str, dict]:
        table = open_table(self._db, ACCOUNTS)
        return {} if table is None else {r["username"]: r for r in table.to_arrow().to_pylist()}

    def roles_for(self, person_id: str | None, coordinator: bool) -> list[Profile]:
        roles: list[Profile] = []
        if person_id is not None:
            person = self.people.get(person_id)
            if person is None:
                raise AccountError(f"no person with id {person_id!r}")
            roles += [
                r
                for r, on in (
                    (Profile.MENTEE, person.role.mentees),
                    (Profile.MENTOR, person.role.mentors),
                )
                if on
            ]
        if coordinator:
            roles.append(Profile.COORDINATOR)
        if not roles:
            raise AccountError("an account needs a person (mentee or mentor) or --coordinator")
        return roles

    def add(
        self,
        username: str,
        password: str,
        person_id: str | None = None,
        coordinator: bool = False,
        replace: bool = False,
    ) -> Account:
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise AccountError("a username is 3-64 characters: letters, digits, '.', '_', '-'")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
        if username in self._rows() and not replace:
            raise AccountError(f"account {username!r} exists; use `mentorkit users reset`")
        roles = self.roles_for(person_id, coordinator)
        row = {
            "username": username,
            "person_id": person_id,
            "roles": roles,
            "password_hash": self._hasher.hash(password),
            "updated_at": dt.datetime.now(dt.UTC),
        }
        upsert_rows(self._db, ACCOUNTS, "username", pa.Table.from_pylist([row], schema=_SCHEMA))
        return Account(username=username, person_id=person_id, roles=roles)

    def reset(self, username: str, password: str) -> Account:
        row = self._rows().get(username.strip().lower())
        if row is None:
            raise AccountError(f"no account {username!r}")
        return self.add(
            row["username"],
            password,
            row["person_id"],
            Profile.COORDINATOR in row["roles"],
            replace=True,
        )

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account when the password matches, else None (no hint which part was wrong)."""
        row = self._rows().get(username.strip().lower())
        if row is None:
            self._hasher.hash(password)  # same work either way: no timing hint
            return None
        try:
            self._hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            return None
        return Account(username=row["username"], person_id=row["person_id"], roles=row["roles"])

    def sessions_valid_after(self) -> dict[str, dt.datetime]:
        """Per username, when its password last changed: sessions begun before then end."""
        return {name: row["updated_at"] for name, row in self._rows().items()}

    def get(self, username: str) -> Account | None:
        row = self._rows().get(username.strip().lower())
        return (
            None
            if row is None
            else Account(username=row["username"], person_id=row["person_id"], roles=row["roles"])
        )

    def list(self) -> list[Account]:
        return [
            Account(username=r["username"], person_id=r["person_id"], roles=r["roles"])
            for r in sorted(self._rows().values(), key=lambda r: r["username"])
        ]
