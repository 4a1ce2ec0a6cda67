"""Sign-in accounts for a few demo people of each role (demo only: one shared password)."""

from __future__ import annotations

from companion.accounts import Account
from companion.matching import Matcher
from companion.models import Role
from companion.workspace import Workspace

DEMO_PASSWORD = "mentorkit-demo"


def create_demo_accounts(workspace: Workspace) -> list[Account]:
    """mentee1, mentee2, mentor1, both1 and coordinator, replacing earlier demo accounts.

    mentor1 is mentee1's best suggested mentor, so that the loop closes with the printed
    sign-ins: mentee1 requests mentor1, who sees the request and accepts it."""
    people = workspace.store.people()
    mentees = [p for p in people if p.role == Role.MENTEE]
    both = [p for p in people if p.role == Role.BOTH]
    picks: dict[str, str | None] = {}
    if mentees:
        picks["mentee1"] = mentees[0].id
        matcher = Matcher(workspace)
        suggested = [s.mentor_id for s in matcher.suggest(mentees[0].id)]
        mentor = next(
            (m for m in suggested if matcher.by_id[m].role == Role.MENTOR),
            suggested[0] if suggested else None,
        )
        if mentor is not None:
            picks["mentor1"] = mentor
    if len(mentees) > 1:
        picks["mentee2"] = mentees[1].id
    if both:
        picks["both1"] = both[0].id
    accounts = workspace.accounts
    made = [
        accounts.add(name, DEMO_PASSWORD, person_id=pid, replace=True)
        for name, pid in picks.items()
    ]
    made.append(accounts.add("coordinator", DEMO_PASSWORD, coordinator=True, replace=True))
    return made
