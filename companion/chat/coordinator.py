"""The coordinator's part of the chat: proposals to review a page at a time, a decision per
button (a rejection asks for its reason), bulk acceptance above a chosen score (previewed,
then confirmed), skill gaps and the dashboard."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from companion.chat.replies import ActionSpec, Reply
from companion.matching import Matcher, MatchError, MatchReview, Status, shown_score
from companion.matching.review import parse_score
from companion.models import Profile

if TYPE_CHECKING:
    from companion.chat.assistant import Assistant

PAGE = 8


def _steps(scores: list[float]) -> list[tuple[float, int]]:
    """Thresholds worth a button: the scores (rounded down) that take in the best quarter,
    half, three quarters and all of the open proposals, each with how many it takes in."""
    ranked = sorted(scores, reverse=True)
    steps: dict[int, float] = {}
    for share in (0.25, 0.5, 0.75, 1.0):
        floor = math.floor(ranked[max(math.ceil(share * len(ranked)) - 1, 0)] * 100) / 100
        steps.setdefault(sum(s >= floor for s in ranked), floor)
    return [(t, n) for n, t in steps.items()]


class CoordinatorView:
    """What a coordinator does in the chat; a rejection waiting for its reason is in memory."""

    def __init__(self, chat: Assistant) -> None:
        self.chat = chat
        self.pending_reject: str | None = None

    def _review(self) -> MatchReview:
        self.chat.require(Profile.COORDINATOR)
        return MatchReview(Matcher(self.chat.workspace))

    def review(self, start: int = 0, limit: int = PAGE) -> Reply:
        """Open proposals, best first, a page at a time (proposing the cohort if none)."""
        review = self._review()
        matcher, ledger = review.matcher, review.ledger
        open_ = [m for m in ledger.matches().values() if m.status == Status.PROPOSED]
        if not open_:
            review.propose(matcher.cohort(), by=self.chat.account.username)
            open_ = [m for m in ledger.matches().values() if m.status == Status.PROPOSED]
        start = max(0, min(start, max(len(open_) - 1, 0)))
        shown = sorted(open_, key=lambda m: (-(m.score or 0), m.id))[start : start + limit]
        lines = [
            f"{len(open_)} proposed matches await review (best first; "
            f"{start + 1}-{start + len(shown)} shown):"
        ]
        actions: list[ActionSpec] = []
        for m in shown:
            reasons = matcher.explain(m.mentee_id, m.mentor_id)
            pair = f"{self.chat.name(m.mentee_id)} with {self.chat.name(m.mentor_id)}"
            mentor = self.chat.describe(m.mentor_id, wants=False)
            lines.append(
                f"- {self.chat.describe(m.mentee_id)} with {mentor}: score "
                f"{shown_score(reasons.score, reasons.components)}: "
                f"{reasons.reasons.summary} `{m.id}`"
            )
            actions += [
                ActionSpec("review_accept", f"Accept {pair}", {"match_id": m.id}),
                ActionSpec("review_reject", f"Reject {pair}", {"match_id": m.id}),
            ]
        if start + limit < len(open_):
            actions.append(ActionSpec("review", f"Next {limit}", {"start": start + limit}))
        if open_:
            actions.append(ActionSpec("bulk", "Accept all above a score…", {}))
        return Reply("\n".join(lines), actions)

    def pair_name(self, match_id: str) -> str:
        match = self.chat.ledger.matches().get(match_id)
        if match is None:
            return match_id
        return f"{self.chat.name(match.mentee_id)} with {self.chat.name(match.mentor_id)}"

    def decide(self, match_id: str, accept: bool, reason: str = "") -> Reply:
        """Accept a proposal; a rejection first asks for its reason (the next message)."""
        review = self._review()
        if not accept and not reason.strip():
            self.pending_reject = match_id
            return Reply(
                f"Why reject {self.pair_name(match_id)}? Type the reason (it goes in the audit "
                "trail), or 'cancel'."
            )
        review.review(match_id, accept, self.chat.account.username, reason)
        verdict = "Accepted" if accept else "Rejected"
        return Reply(f"{verdict}: **{self.pair_name(match_id)}**.")

    def reject_reason(self, text: str) -> Reply:
        match_id, self.pending_reject = self.pending_reject, None
        if match_id is None or text.strip().lower() in ("cancel", "stop"):
            return Reply("Nothing was rejected.")
        try:
            return self.decide(match_id, False, text.strip())
        except MatchError as err:
            return Reply(f"Sorry, that did not work: {err}", refused=True)

    def bulk(self, text: str = "") -> Reply:
        """`/accept 0.7`: what accepting every proposal scoring at least 0.7 would do, with a
        button to confirm. Without a score: how many proposals reach each usual threshold,
        a button for each."""
        review = self._review()
        if text.strip():
            score = parse_score(text)
            if score is None:
                return Reply(
                    f"{text.strip()[:40]!r} is not a score. Give one between 0 and 1, "
                    "e.g. `/accept 0.7` (or 70%).",
                    refused=True,
                )
            accepted, skipped = review.accept_above(score, self.chat.account.username, True)
            if not accepted:
                return Reply(f"No open proposal scores {score:.2f} or more.")
            lines = [
                f"Accepting every proposal scoring at least **{score:.2f}** would pair "
                f"{len(accepted)}:"
            ]
            lines += [
                f"- {m.score or 0:.2f} {self.chat.name(m.mentee_id)} with "
                f"{self.chat.name(m.mentor_id)}"
                for m in accepted[:15]
            ]
            if len(accepted) > 15:
                lines.append(f"- … and {len(accepted) - 15} more")
            if skipped:
                lines.append(f"{len(skipped)} would be skipped (a full mentor, a rule, a pair).")
            label = f"Accept these {len(accepted)}"
            return Reply("\n".join(lines), [ActionSpec("bulk_accept", label, {"score": score})])
        scores = [
            m.score or 0.0 for m in review.ledger.matches().values() if m.status == Status.PROPOSED
        ]
        if not scores:
            return Reply("No proposals are open. /review proposes the cohort's matches.")
        actions = [
            ActionSpec("bulk", f"{n} scoring {t:.2f}+", {"score": t}) for t, n in _steps(scores)
        ]
        many = "proposal is" if len(scores) == 1 else "proposals are"
        return Reply(
            f"{len(scores)} {many} open, scoring {min(scores):.2f} to {max(scores):.2f}. "
            "Pick a threshold below to see who would be paired before anything is accepted, "
            "or type `/accept` and any score (e.g. `/accept 0.72`).",
            actions,
        )

    def bulk_accept(self, score: float) -> Reply:
        accepted, skipped = self._review().accept_above(score, self.chat.account.username)
        text = f"Accepted {len(accepted)} proposal(s) scoring at least {score:.2f}."
        if skipped:
            text += f" Skipped {len(skipped)}:\n" + "\n".join(
                f"- {self.chat.name(m.mentee_id)} with {self.chat.name(m.mentor_id)}: {why}"
                for m, why in skipped[:10]
            )
        return Reply(text)

    def gaps(self) -> Reply:
        self.chat.require(Profile.COORDINATOR)
        groups = Matcher(self.chat.workspace).skill_gaps()[:10]
        if not groups:
            return Reply("Every wanted skill is covered by at least one mentor.")
        return Reply(
            "Skills no mentor covers (recruit for these):\n"
            + "\n".join(f"- **{g.label}**: {g.mentees} mentee(s)" for g in groups)
        )

    def dashboard(self) -> Reply:
        self.chat.require(Profile.COORDINATOR)
        from companion.chat.plots import dashboard_figures

        figures = dashboard_figures(Matcher(self.chat.workspace))
        return Reply("Programme dashboard:", figures=figures)

    def outcomes(self, text: str = "") -> Reply:
        """The outcomes view: the report's plots, a few lines to read, the report to share.
        '/outcomes by location' (or any attribute) groups the fairness part."""
        self.chat.require(Profile.COORDINATOR)
        from companion.outcomes.errors import UnknownGrouping
        from companion.outcomes.report import outcomes_view

        asked = re.search(r"\bby\s+([A-Za-z][\w-]*)", text)
        try:
            said, figures, path = outcomes_view(
                self.chat.workspace, asked.group(1) if asked else "department"
            )
        except UnknownGrouping as err:
            return Reply(f"Sorry: {str(err).removeprefix('--by: ')}", refused=True)
        return Reply(said, figures=figures, files=[(path.name, path)])
