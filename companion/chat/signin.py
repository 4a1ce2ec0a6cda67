"""Sign-in protection: failed attempts rate-limited per username and per client address
(the `limits` library, moving windows), and sessions that end when the password changes.

A lockout expires by itself as the window moves on; a successful sign-in clears the
username's count. Counts live in the server's memory: a restart forgets them.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from companion.accounts import Accounts

SIGNED_IN_AT = "signed_in_at"  # the metadata key in a session token: when it was issued


@dataclass(frozen=True)
class Lockout:
    seconds: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        return (
            "Too many failed sign-ins for this account or from this address. "
            f"Try again in {minutes} minute{'s' if minutes > 1 else ''}."
        )


class SignInLimiter:
    """Counts failed sign-ins; `locked` says whether another attempt may even be checked."""

    def __init__(self, per_username: str, per_address: str) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_username = parse(per_username)
        self._per_address = parse(per_address)

    def _keys(self, username: str, address: str) -> list[tuple[object, str]]:
        return [
            (self._per_username, f"user:{username.strip().lower()}"),
            (self._per_address, f"addr:{address}"),
        ]

    def locked(self, username: str, address: str) -> Lockout | None:
        for limit, key in self._keys(username, address):
            if not self._limiter.test(limit, key):  # type: ignore[arg-type]
                stats = self._limiter.get_window_stats(limit, key)  # type: ignore[arg-type]
                return Lockout(max(1, int(stats.reset_time - time.time())))
        return None

    def failed(self, username: str, address: str) -> None:
        for limit, key in self._keys(username, address):
            self._limiter.hit(limit, key)  # type: ignore[arg-type]

    def succeeded(self, username: str) -> None:
        limit, key = self._keys(username, "")[0]
        self._limiter.clear(limit, key)  # type: ignore[arg-type]


class SessionCheck:
    """Whether a signed-in session still stands: its account exists and its password has not
    been reset since the session began. Account times are cached for a few seconds."""

    def __init__(self, accounts: Accounts, cache_seconds: float = 5.0) -> None:
        self.accounts = accounts
        self.cache_seconds = cache_seconds
        self._cache: tuple[float, dict[str, dt.datetime]] = (-math.inf, {})

    def _valid_after(self) -> dict[str, dt.datetime]:
        at, values = self._cache
        if time.monotonic() - at > self.cache_seconds:
            values = self.accounts.sessions_valid_after()
            self._cache = (time.monotonic(), values)
        return values

    def still_valid(self, username: str, signed_in_at: float | None) -> bool:
        since = self._valid_after().get(username)
        if since is None or signed_in_at is None:
            return False
        return signed_in_at >= since.timestamp()
