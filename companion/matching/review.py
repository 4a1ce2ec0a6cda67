"""The mentee-driven flow and coordinator review, each step recorded in the ledger.

- a mentee requests one of their suggested mentors;
- the mentor accepts or declines the request;
- a coordinator accepts or rejects an open match, or overrides: pairs a mentee with any
  mentor, where breaking a rule needs `force` and a reason, and is recorded as forced.

Capacity and the mentee's existing pair are checked again, under the ledger's lock, at
the moment of acceptance.
"""

from __future__ import annotations

import datetime as dt

from companion.matching.ledger import (
    CapacityError,
    Match,
    MatchError,
    MatchEvent,
    Status,
    new_match_id,
)
from companion.matching.service import CohortResult, Matcher
from companion.models import Profile
from retrieval import RULE_NAMES


def parse_score(text: str) -> float | None:
    """A score as people type it: 0.7, .7, 70% or 70 (read as a percentage)."""
    raw = text.strip().rstrip("%").strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    if 1 < value <= 100:
        value /= 100
    return value if 0 <= value <= 1 else None


class MatchReview:
    """Changes to matches, made through the ledger with the matcher's rules."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.ledger = matcher.ledger

    def _event(self, match: Match | None, **fields) -> MatchEvent:
        """An event for `match` (or a new one); its sequence number is given at commit."""
        if match is not None:
            fields.setdefault("match_id", match.id)
            fields.setdefault("mentee_id", match.mentee_id)
            fields.setdefault("mentor_id", match.mentor_id)
            fields.setdefault("score", match.score)
        return MatchEvent(seq=0, at=self.matcher.now(), **fields)

    def _commit(self, matches: dict[str, Match], events: list[MatchEvent]) -> None:
        self.ledger.commit(matches, events)

    def _acceptance(
        self,
        matches: dict[str, Match],
        match: Match,
        actor: str,
        role: Profile,
        action: str,
        reason: str,
        forced: bool = False,
        broken: list[str] | None = None,
    ) -> list[MatchEvent]:
        """Events that make `match` accepted, or an error if capacity or the mentee forbid it."""
        mentor = self.matcher.by_id[match.mentor_id]
        taken = sum(
            1
            for m in matches.values()
            if m.mentor_id == match.mentor_id and m.status == Status.ACCEPTED
        )
        broken = list(broken or [])
        if taken >= mentor.capacity:
            if not forced:
                raise CapacityError(
                    f"{mentor.id} ({mentor.name}) has no free place: {taken} of {mentor.capacity} "
                    "taken"
                )
            broken.append("capacity")
        events = [
            self._event(
                match,
                actor=actor,
                actor_role=role,
                action=action,
                status=Status.ACCEPTED,
                reason=reason,
                forced=forced,
                broken_rules=broken,
            )
        ]
        for other in matches.values():
            if (
                other.mentee_id == match.mentee_id
                and other.id != match.id
                and (other.status.open or other.status == Status.ACCEPTED)
            ):
                if other.status == Status.ACCEPTED and not forced and action != "override":
                    raise MatchError(f"{match.mentee_id} is already paired with {other.mentor_id}")
                events.append(
                    self._event(
                        other,
                        actor=actor,
                        actor_role=role,
                        action="supersede",
                        status=Status.SUPERSEDED,
                        reason=f"paired with {match.mentor_id} instead",
                    )
                )
        return events

    def _broken(self, mentee_id: str, mentor_id: str) -> list[str]:
        m = self.matcher
        return m.checker.broken(
            m.row(mentee_id, Profile.MENTEE), m.row(mentor_id, Profile.MENTOR), check_capacity=False
        )

    def name(self, person_id: str) -> str:
        """How people are named in messages: their name, with the id a coordinator needs."""
        person = self.matcher.by_id.get(person_id)
        return f"{person.name} ({person_id})" if person else person_id

    def request(self, mentee_id: str, mentor_id: str, reason: str = "") -> Match:
        """The mentee asks a mentor among their best suggestions. Asking the mentor a
        coordinator proposed for them confirms that proposal: it becomes their request."""
        pool = self.matcher.settings.request_pool
        suggestions = {s.mentor_id: s for s in self.matcher.suggest(mentee_id, pool)}
        self.matcher.row(mentor_id, Profile.MENTOR)
        mentee, mentor = self.name(mentee_id), self.name(mentor_id)
        if mentor_id not in suggestions:
            broken = self._broken(mentee_id, mentor_id)
            why = (
                ("it would break: " + ", ".join(RULE_NAMES[r] for r in broken))
                if broken
                else (f"they are not among {mentee}'s {pool} best suggestions")
            )
            raise MatchError(f"{mentee} cannot request {mentor}: {why}")
        with self.ledger.locked():
            matches = self.ledger.matches()
            proposed = None
            for m in matches.values():
                if m.mentee_id == mentee_id and m.status == Status.ACCEPTED:
                    raise MatchError(f"{mentee} already has a mentor: {self.name(m.mentor_id)}")
                if (m.mentee_id, m.mentor_id) == (mentee_id, mentor_id):
                    if m.status == Status.REQUESTED:
                        raise MatchError(
                            f"{mentee} has already asked {mentor}, who has not answered yet"
                        )
                    if m.status == Status.PROPOSED:
                        proposed = m
            event = self._event(
                proposed,
                actor=mentee_id,
                actor_role=Profile.MENTEE,
                action="request",
                match_id=proposed.id if proposed else new_match_id(matches),
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                status=Status.REQUESTED,
                reason=reason or ("confirms the coordinator's proposal" if proposed else ""),
                score=suggestions[mentor_id].score,
            )
            self._commit(matches, [event])
        return self.ledger.matches()[event.match_id]

    def respond(self, mentor_id: str, mentee_id: str, accept: bool, reason: str = "") -> Match:
        """The mentor accepts or declines a mentee's request."""
        with self.ledger.locked():
            matches = self.ledger.matches()
            match = next(
                (
                    m
                    for m in matches.values()
                    if (m.mentee_id, m.mentor_id) == (mentee_id, mentor_id)
                    and m.status == Status.REQUESTED
                ),
                None,
            )
            if match is None:
                raise MatchError(f"{mentor_id} has no open request from {mentee_id}")
            if accept:
                events = self._acceptance(
                    matches, match, mentor_id, Profile.MENTOR, "accept", reason
                )
            else:
                events = [
                    self._event(
                        match,
                        actor=mentor_id,
                        actor_role=Profile.MENTOR,
                        action="decline",
                        status=Status.DECLINED,
                        reason=reason,
                    )
                ]
            self._commit(matches, events)
        return self.ledger.matches()[match.id]

    def review(self, match_id: str, accept: bool, by: str, reason: str = "") -> Match:
        """A coordinator accepts or rejects an open match (requested or proposed)."""
        if not accept and not reason.strip():
            raise MatchError("a rejection needs a reason (--reason)")
        match_id = self.ledger.resolve(match_id)
        with self.ledger.locked():
            matches = self.ledger.matches()
            match = matches.get(match_id)
            if match is None:
                raise MatchError(f"no match {match_id!r}")
            if not match.status.open:
                raise MatchError(f"{match_id} is {match.status.value}, not open for review")
            if accept:
                broken = self._broken(match.mentee_id, match.mentor_id)
                if broken:
                    raise MatchError(
                        f"{match_id} now breaks: "
                        f"{', '.join(RULE_NAMES[r] for r in broken)}; use override"
                    )
                events = self._acceptance(
                    matches, match, by, Profile.COORDINATOR, "review-accept", reason
                )
            else:
                events = [
                    self._event(
                        match,
                        actor=by,
                        actor_role=Profile.COORDINATOR,
                        action="review-reject",
                        status=Status.REJECTED,
                        reason=reason,
                    )
                ]
            self._commit(matches, events)
        return self.ledger.matches()[match_id]

    def override(
        self, mentee_id: str, mentor_id: str, by: str, reason: str, force: bool = False
    ) -> Match:
        """A coordinator pairs a mentee with a mentor of their choosing."""
        if not reason.strip():
            raise MatchError("an override needs a reason (--reason)")
        broken = self._broken(mentee_id, mentor_id)
        if broken and not force:
            raise MatchError(
                f"pairing {mentee_id} with {mentor_id} breaks: "
                f"{', '.join(RULE_NAMES[r] for r in broken)}; pass --force to "
                "override, and say why in --reason"
            )
        with self.ledger.locked():
            matches = self.ledger.matches()
            match = Match(
                id=new_match_id(matches),
                mentee_id=mentee_id,
                mentor_id=mentor_id,
                status=Status.ACCEPTED,
                score=self.matcher.explain(
                    mentee_id, mentor_id
                ).score,  # what it scores, chosen or not
                forced=force,
                created_at=dt.datetime.now(dt.UTC),
                updated_at=dt.datetime.now(dt.UTC),
                events=[],
            )
            events = self._acceptance(
                matches,
                match,
                by,
                Profile.COORDINATOR,
                "override",
                reason,
                forced=force,
                broken=broken,
            )
            self._commit(matches, events)
        return self.ledger.matches()[match.id]

    def propose(self, cohort: CohortResult, by: str) -> list[Match]:
        """Record a cohort assignment as proposed matches, replacing earlier open proposals."""
        with self.ledger.locked():
            matches = self.ledger.matches()
            events: list[MatchEvent] = []
            new_ids: list[str] = []
            taken = set(matches)
            for result in cohort.mentees:
                if result.assigned_mentor_id is None:
                    continue
                pair = (result.mentee_id, result.assigned_mentor_id)
                if any(
                    (m.mentee_id, m.mentor_id) == pair and m.status.open for m in matches.values()
                ):
                    continue
                for old in matches.values():
                    if old.mentee_id == result.mentee_id and old.status == Status.PROPOSED:
                        events.append(
                            self._event(
                                old,
                                actor=by,
                                actor_role=Profile.COORDINATOR,
                                action="supersede",
                                status=Status.SUPERSEDED,
                                reason="a newer assignment",
                            )
                        )
                match_id = new_match_id(taken)
                taken.add(match_id)
                new_ids.append(match_id)
                events.append(
                    self._event(
                        None,
                        actor=by,
                        actor_role=Profile.COORDINATOR,
                        action="propose",
                        match_id=match_id,
                        mentee_id=pair[0],
                        mentor_id=pair[1],
                        status=Status.PROPOSED,
                        score=result.assigned_score,
                        reason="optimal cohort assignment",
                    )
                )
            if events:
                self._commit(matches, events)
        found = self.ledger.matches()
        return [found[i] for i in new_ids]

    def accept_above(
        self, min_score: float, by: str, dry_run: bool = False
    ) -> tuple[list[Match], list[tuple[Match, str]]]:
        """Accept every proposal scoring at least `min_score`, best first, in one commit.

        Returns (accepted, skipped with the reason): a proposal is skipped when its mentor
        has filled up (by the proposals accepted before it), its mentee is already paired, or
        it now breaks a rule. With `dry_run`, nothing is written: what would happen.
        """
        if not 0.0 <= min_score <= 1.0:
            raise MatchError(f"the score must be between 0 and 1, not {min_score}")
        reason = f"bulk accept: score at least {min_score:.2f}"
        with self.ledger.locked():
            matches = self.ledger.matches()
            state = dict(matches)
            chosen = sorted(
                (
                    m
                    for m in matches.values()
                    if m.status == Status.PROPOSED and (m.score or 0.0) >= min_score
                ),
                key=lambda m: (-(m.score or 0.0), m.id),
            )
            events: list[MatchEvent] = []
            accepted: list[Match] = []
            skipped: list[tuple[Match, str]] = []
            for match in chosen:
                if state[match.id].status != Status.PROPOSED:
                    skipped.append((match, "superseded by an earlier acceptance"))
                    continue
                broken = self._broken(match.mentee_id, match.mentor_id)
                try:
                    if broken:
                        raise MatchError(f"breaks {', '.join(RULE_NAMES[r] for r in broken)}")
                    made = self._acceptance(
                        state, state[match.id], by, Profile.COORDINATOR, "review-accept", reason
                    )
                except MatchError as err:
                    skipped.append((match, str(err)))
                    continue
                for event in made:  # later proposals see this one's effect
                    state[event.match_id] = state[event.match_id].model_copy(
                        update={"status": event.status}
                    )
                events += made
                accepted.append(match)
            if events and not dry_run:
                self._commit(matches, events)
        return accepted, skipped
