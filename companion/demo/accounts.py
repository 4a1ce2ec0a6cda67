"""Sign-in accounts for a few demo people of each role (demo only: one shared password)."""

from __future__ import annotations

from companion.accounts import Account, Accounts
from companion.models import Person, Role
from companion.store import Store

DEMO_PASSWORD = "mentorkit-demo"


def create_demo_accounts(store: Store, people: list[Person]) -> list[Account]:
    """mentee1, mentee2, mentor1, both1 and coordinator, replacing earlier demo accounts."""
    picks: dict[str, str | None] = {}
    mentees = [p for p in people if p.role == Role.MENTEE]
    mentors = [p for p in people if p.role == Role.MENTOR and p.capacity >= 2 and p.manager_id]
    both = [p for p in people if p.role == Role.BOTH]
    for name, person in (
        ("mentee1", mentees[:1]),
        ("mentee2", mentees[1:2]),
        ("mentor1", mentors[:1]),
        ("both1", both[:1]),
    ):
        if person:
            picks[name] = person[0].id
    accounts = Accounts(store)
    made = [
        accounts.add(name, DEMO_PASSWORD, person_id=pid, replace=True)
        for name, pid in picks.items()
    ]
    made.append(accounts.add("coordinator", DEMO_PASSWORD, coordinator=True, replace=True))
    return made
