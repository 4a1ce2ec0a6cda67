"""`mentorkit suggest | match | request | respond | review | matches | skills`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from companion.cli.options import AsJson, DataDir, echo, exits_on, workspace_for
from companion.matching import Match, Matcher, MatchError, MatchReview, Status, shown_parts
from companion.matching.export import write_cohort
from companion.matching.review import parse_score
from retrieval import AssignmentTooLarge

review_app = typer.Typer(help="Coordinator review of matches.", no_args_is_help=True)
matches_app = typer.Typer(help="Matches and their audit trail.", no_args_is_help=True)
skills_app = typer.Typer(help="Skill supply and demand.", no_args_is_help=True)
By = typer.Option(..., "--by", help="The coordinator's name, for the audit trail.")
Reason = typer.Option("", "--reason", help="Why, for the audit trail.")


clear_errors = exits_on(MatchError, AssignmentTooLarge)
SHOWN_PAIRS = 50  # on the terminal; --out holds them all


def matcher_for(data_dir: Path | None) -> Matcher:
    workspace = workspace_for(data_dir)
    if workspace.store.count() == 0:
        raise MatchError("no people in the store; run `mentorkit import FILE` or `mentorkit demo`")
    return Matcher(workspace)


@clear_errors
def suggest_command(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    top: int | None = typer.Option(None, "--top", min=1, max=100, help="How many (default 5)."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """The best mentors for one mentee, with score components and reasons."""
    matcher = matcher_for(data_dir)
    suggestions = matcher.suggest(mentee_id, top)
    if as_json:
        echo(json.dumps([s.model_dump() for s in suggestions], indent=2))
        return
    mentee = matcher.by_id[mentee_id]
    wants = ", ".join(mentee.skills_wanted) or "no skills listed (matched on goals)"
    echo(f"Mentors for {mentee.name} ({mentee_id}), who wants: {wants}")
    now = sorted(matcher.by_id[m].name for m in matcher.current_mentors(mentee_id))
    if now:
        echo(f"Already paired with {', '.join(now)}; these are other mentors who would fit.")
    before = sorted(matcher.by_id[m].name for m in matcher.previous_mentors(mentee_id))
    if before:
        echo(f"Not suggested again (an earlier relationship ended): {', '.join(before)}.")
    if not suggestions:
        echo(f"No mentor is allowed for {mentee.name}: {matcher.why_no_mentor(mentee_id)}.")
    for rank, s in enumerate(suggestions, start=1):
        score, parts = shown_parts(s.score, s.components, digits=3)
        echo(f"{rank}. {s.mentor_id}  {s.mentor_name} ({s.mentor_title})  score {score}")
        echo(f"   {parts}")
        echo(f"   {s.reasons.summary}")


@clear_errors
def match_command(
    top_k: int | None = typer.Option(
        None, "--top-k", min=1, max=50, help="Suggestions per mentee."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write JSON, or CSV if it ends in .csv."),
    propose: bool = typer.Option(False, "--propose", help="Record the assignment as proposals."),
    by: str = typer.Option("coordinator", "--by", help="Who proposes, with --propose."),
    data_dir: Path | None = DataDir,
) -> None:
    """Suggestions for every mentee and one optimal assignment under all rules and capacities."""
    matcher = matcher_for(data_dir)
    result = matcher.cohort(top_k)
    s = result.summary
    echo(
        f"{s.mentees} mentees: {s.assigned} assigned, {s.unmatched} unmatched "
        f"({s.already_matched} already paired). Total score {s.total_score:.3f} "
        f"(greedy would reach {s.greedy_total_score:.3f})."
    )
    if s.method != "exact":
        echo(
            f"Too many people for one exact assignment: solved on the {s.method} pairs "
            "(at 10,000 people that kept 99.99% of the exact optimum). Matching by track or "
            "department gives smaller, exact cohorts."
        )
    pairs = sorted(
        (m for m in result.mentees if m.assigned is not None), key=lambda m: m.mentee_name
    )
    if pairs:
        echo("Pairs (mentee -> mentor, score):")
    for mentee in pairs[:SHOWN_PAIRS]:
        a = mentee.assigned
        assert a is not None
        echo(
            f"  {mentee.mentee_name} ({mentee.mentee_id}) -> {a.mentor_name} ({a.mentor_id}), "
            f"{shown_parts(a.score, a.components, digits=3)[0]}"
        )
    if len(pairs) > SHOWN_PAIRS:
        echo(f"  ... and {len(pairs) - SHOWN_PAIRS:,} more: see --out")
    for mentee in result.mentees:
        if mentee.unmatched_reason:
            who = f"{mentee.mentee_name} ({mentee.mentee_id})"
            echo(f"  unmatched {who}: {mentee.unmatched_reason}")
    if out is not None:
        write_cohort(result, out)
        echo(f"Wrote {out}")
    else:
        echo("Every mentee's suggestions with reasons: add --out pairs.csv (or .json).")
    if propose:
        proposed = MatchReview(matcher).propose(result, by)
        echo(f"Recorded {len(proposed)} proposals for review (`mentorkit matches list`).")


@clear_errors
def request_command(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    mentor_id: str = typer.Argument(..., metavar="MENTOR_ID"),
    reason: str = Reason,
    data_dir: Path | None = DataDir,
) -> None:
    """A mentee asks one of their suggested mentors."""
    match = MatchReview(matcher_for(data_dir)).request(mentee_id, mentor_id, reason)
    echo(f"Requested: {match.id} ({mentee_id} asks {mentor_id}); waiting for the mentor.")


@clear_errors
def respond_command(
    mentor_id: str = typer.Argument(..., metavar="MENTOR_ID"),
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    answer: str = typer.Argument(..., metavar="accept|decline"),
    reason: str = Reason,
    data_dir: Path | None = DataDir,
) -> None:
    """A mentor accepts or declines a mentee's request."""
    if answer not in ("accept", "decline"):
        raise MatchError(f"answer must be accept or decline, not {answer!r}")
    match = MatchReview(matcher_for(data_dir)).respond(
        mentor_id, mentee_id, answer == "accept", reason
    )
    echo(f"{match.id} is now {match.status.value}.")


@review_app.command("accept")
@clear_errors
def review_accept(
    match_id: str = typer.Argument(..., metavar="MATCH_ID"),
    by: str = By,
    reason: str = Reason,
    data_dir: Path | None = DataDir,
) -> None:
    """Accept an open match."""
    match = MatchReview(matcher_for(data_dir)).review(match_id, True, by, reason)
    echo(f"{match.id} is now {match.status.value}.")


@review_app.command("reject")
@clear_errors
def review_reject(
    match_id: str = typer.Argument(..., metavar="MATCH_ID"),
    by: str = By,
    reason: str = Reason,
    data_dir: Path | None = DataDir,
) -> None:
    """Reject an open match (needs --reason)."""
    match = MatchReview(matcher_for(data_dir)).review(match_id, False, by, reason)
    echo(f"{match.id} is now {match.status.value}.")


@review_app.command("accept-above")
@clear_errors
def review_accept_above(
    score: str = typer.Argument(..., metavar="SCORE", help="Lowest score accepted: 0.7 or 70%."),
    by: str = By,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would happen; write nothing."),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Accept every proposed match scoring at least SCORE, best first."""
    min_score = parse_score(score)
    if min_score is None:
        raise MatchError(f"{score!r} is not a score: give one between 0 and 1, or a percentage")
    review = MatchReview(matcher_for(data_dir))
    accepted, skipped = review.accept_above(min_score, by, dry_run)
    if as_json:
        echo(
            json.dumps(
                {
                    "dry_run": dry_run,
                    "accepted": [m.id for m in accepted],
                    "skipped": [{"match_id": m.id, "why": why} for m, why in skipped],
                },
                indent=2,
            )
        )
        return
    verb = "Would accept" if dry_run else "Accepted"
    echo(f"{verb} {len(accepted)} proposed match(es) scoring at least {min_score:.2f}.")
    for m in accepted:
        echo(f"  {m.score or 0:.2f}  {review.name(m.mentee_id)} with {review.name(m.mentor_id)}")
    if skipped:
        echo(f"Skipped {len(skipped)}:")
        for m, why in skipped:
            echo(f"  {review.name(m.mentee_id)} with {review.name(m.mentor_id)}: {why}")


@review_app.command("override")
@clear_errors
def review_override(
    mentee_id: str = typer.Argument(..., metavar="MENTEE_ID"),
    mentor_id: str = typer.Argument(..., metavar="MENTOR_ID"),
    by: str = By,
    reason: str = Reason,
    force: bool = typer.Option(False, "--force", help="Allow breaking rules (recorded)."),
    data_dir: Path | None = DataDir,
) -> None:
    """Pair a mentee with a mentor of your choosing (needs --reason; rules need --force)."""
    match = MatchReview(matcher_for(data_dir)).override(mentee_id, mentor_id, by, reason, force)
    broken = ", ".join(match.events[0].broken_rules) or "no rule broken"
    forced = f" (forced: {broken})" if match.forced else ""
    echo(f"{match.id} is now {match.status.value}{forced}.")


def _match_row(m: Match) -> dict[str, Any]:
    return {
        "id": m.id,
        "mentee_id": m.mentee_id,
        "mentor_id": m.mentor_id,
        "status": m.status.value,
        "score": m.score,
        "forced": m.forced,
        "updated_at": m.updated_at.isoformat(),
    }


@matches_app.command("list")
def list_matches(
    status: Status | None = typer.Option(None, "--status"),
    as_json: bool = AsJson,
    data_dir: Path | None = DataDir,
) -> None:
    """Matches and their current status."""

    ledger = workspace_for(data_dir).ledger
    rows = [_match_row(m) for m in ledger.matches().values() if status in (None, m.status)]
    if as_json:
        echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        forced = " forced" if row["forced"] else ""
        echo(f"{row['id']:28} {row['status']:10} {row['mentee_id']} <- {row['mentor_id']}{forced}")
    echo(f"{len(rows)} matches")


@matches_app.command("audit")
def audit(as_json: bool = AsJson, data_dir: Path | None = DataDir) -> None:
    """Every match event: who, when, what, why."""

    events = workspace_for(data_dir).ledger.events()
    if as_json:
        echo(json.dumps([e.model_dump(mode="json") for e in events], indent=2))
        return
    for e in events:
        extra = f" forced past: {', '.join(e.broken_rules)}" if e.forced else ""
        echo(
            f"{e.at:%Y-%m-%d %H:%M:%S} {e.actor} ({e.actor_role}) {e.action} {e.match_id}"
            f" -> {e.status.value}{': ' + e.reason if e.reason else ''}{extra}"
        )


@skills_app.command("gaps")
@clear_errors
def skill_gaps(as_json: bool = AsJson, data_dir: Path | None = DataDir) -> None:
    """Wanted skills no mentor covers, near-duplicates grouped, by how many mentees want them."""
    groups = matcher_for(data_dir).skill_gaps()
    if as_json:
        echo(json.dumps([g.__dict__ for g in groups], indent=2))
        return
    if not groups:
        echo("Every wanted skill is covered by at least one mentor.")
    for g in groups:
        also = f" (also: {', '.join(g.phrases[1:])})" if len(g.phrases) > 1 else ""
        wants = "mentee wants" if g.mentees == 1 else "mentees want"
        echo(
            f"{g.mentees:4} {wants} {g.label!r}{also}; closest offered: "
            f"{g.closest_offered!r} ({g.closest_similarity:.2f})"
        )
