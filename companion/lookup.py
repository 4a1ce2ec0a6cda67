"""Finding the person someone meant: an id typed in another case, or a name for an id."""

from __future__ import annotations

from collections.abc import Iterable

from companion.models import Person

SHOWN = 3  # people named in one hint


def did_you_mean(typed: str, people: Iterable[Person]) -> str:
    """'; did you mean P0001 (Ada Lovelace)?' for people whose id differs only in case
    from `typed`, or whose name it is (or, failing those, one of whose names it is: first
    or last); nothing when nobody is that close."""
    key = typed.strip().casefold()
    people = list(people)
    near = [p for p in people if key in (p.id.casefold(), p.name.casefold())]
    if not near and key:  # one of the names: "sara" for Sara Novak
        near = [p for p in people if key in p.name.casefold().split()]
    if not near:
        return ""
    return "; did you mean " + " or ".join(f"{p.id} ({p.name})" for p in near[:SHOWN]) + "?"
