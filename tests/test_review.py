"""The mentee-driven flow, coordinator review, the audit trail and the capacity race."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.imports import import_people
from companion.matching import CapacityError, Matcher, MatchError, MatchLedger, MatchReview, Status
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import write_csv

runner = CliRunner()


def row(pid: str, role: str, **fields: str) -> dict[str, str]:
    base = {
        "id": pid,
        "name": f"Person {pid}",
        "email": f"{pid}@example.com",
        "role": role,
        "seniority": "2" if role == "mentee" else "4",
        "team": f"team-{pid}",
        "skills_wanted": "python" if role == "mentee" else "",
        "skills_offered": "" if role == "mentee" else "python",
        "capacity": "0" if role == "mentee" else "1",
    }
    return {**base, **fields}


@pytest.fixture
def org(workspace: Workspace, tmp_path: Path) -> Workspace:
    rows = [
        row("mentor", "mentor"),
        row("other", "mentor", capacity="2"),
        row("boss", "mentor"),
        row("a", "mentee", manager_id="boss"),
        row("b", "mentee"),
        row("c", "mentee"),
    ]
    import_people(write_csv(tmp_path / "org.csv", rows), workspace.store, workspace.embedder)
    return workspace


def review() -> MatchReview:
    return MatchReview(Matcher(Workspace(Settings())))


def test_request_accept_and_the_audit_trail(org: Workspace) -> None:
    match = review().request("a", "mentor", reason="I want to learn python")
    assert match.status == Status.REQUESTED
    with pytest.raises(MatchError, match="already asked"):
        review().request("a", "mentor")
    accepted = review().respond("mentor", "a", accept=True, reason="happy to")
    assert accepted.status == Status.ACCEPTED
    events = MatchLedger(org.settings.store_dir).events()
    assert [(e.actor, e.actor_role, e.action, e.status.value, e.reason) for e in events] == [
        ("a", "mentee", "request", "requested", "I want to learn python"),
        ("mentor", "mentor", "accept", "accepted", "happy to"),
    ]
    assert all(e.at.tzinfo is not None for e in events)
    assert [e.seq for e in events] == [1, 2]
    # The mentor is now full: nobody else is suggested them, nor may request them.
    assert "mentor" not in {s.mentor_id for s in Matcher(Workspace(Settings())).suggest("b")}
    with pytest.raises(MatchError, match=r"cannot request Person mentor \(mentor\)"):
        review().request("b", "mentor")


def test_a_request_must_be_for_an_allowed_mentor(org: Workspace) -> None:
    with pytest.raises(MatchError, match="in the same reporting line"):
        review().request("a", "boss")
    with pytest.raises(MatchError, match="not a mentor"):
        review().request("a", "b")


def test_decline_and_coordinator_reject_need_no_acceptance(org: Workspace) -> None:
    review().request("b", "mentor")
    assert review().respond("mentor", "b", accept=False, reason="no time").status == Status.DECLINED
    with pytest.raises(MatchError, match="no open request"):
        review().respond("mentor", "b", accept=True)
    match = review().request("b", "other")
    with pytest.raises(MatchError, match="needs a reason"):
        review().review(match.id, accept=False, by="Cora")
    rejected = review().review(match.id, accept=False, by="Cora", reason="pair b with a peer")
    assert rejected.status == Status.REJECTED
    assert rejected.events[-1].actor_role == "coordinator"


def test_override_breaking_a_rule_needs_force_and_is_recorded(org: Workspace) -> None:
    with pytest.raises(MatchError, match="breaks: in the same reporting line; pass --force"):
        review().override("a", "boss", by="Cora", reason="only python expert")
    match = review().override("a", "boss", by="Cora", reason="only python expert", force=True)
    assert match.status == Status.ACCEPTED and match.forced
    # the pair's score is recorded, chosen by hand or not (outcomes compare scores)
    assert match.score == review().matcher.explain("a", "boss").score
    event = match.events[-1]
    assert (event.actor, event.action, event.forced, event.broken_rules) == (
        "Cora",
        "override",
        True,
        ["reporting_line"],
    )


def test_override_replaces_the_mentees_open_and_accepted_matches(org: Workspace) -> None:
    first = review().request("b", "mentor")
    review().respond("mentor", "b", accept=True)
    second = review().override("b", "other", by="Cora", reason="better fit")
    matches = MatchLedger(org.settings.store_dir).matches()
    assert matches[first.id].status == Status.SUPERSEDED
    assert matches[second.id].status == Status.ACCEPTED


def test_coordinator_accepts_a_proposed_match_and_capacity_is_rechecked(org: Workspace) -> None:
    cohort = Matcher(Workspace(Settings())).cohort()
    proposals = review().propose(cohort, by="Cora")
    assert {m.status for m in proposals} == {Status.PROPOSED}
    to_mentor = [m for m in proposals if m.mentor_id == "mentor"]
    assert len(to_mentor) == 1  # capacity 1
    other_mentee = next(m for m in ("b", "c") if m != to_mentor[0].mentee_id)
    review().override(other_mentee, "mentor", by="Cora", reason="taking the place", force=False)
    with pytest.raises(CapacityError, match="has no free place: 1 of 1 taken"):
        review().review(to_mentor[0].id, accept=True, by="Cora")


def test_two_acceptances_for_the_last_place_one_wins_one_gets_a_clear_error(
    org: Workspace,
) -> None:
    review().request("b", "mentor")
    review().request("c", "mentor")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def accept(mentee: str) -> None:
        reviewer = review()
        barrier.wait()
        try:
            outcomes[mentee] = reviewer.respond("mentor", mentee, accept=True).status
        except CapacityError as err:
            outcomes[mentee] = err

    threads = [threading.Thread(target=accept, args=(m,)) for m in ("b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [m for m, o in outcomes.items() if o == Status.ACCEPTED]
    errors = [o for o in outcomes.values() if isinstance(o, CapacityError)]
    assert len(wins) == 1 and len(errors) == 1
    assert "no free place" in str(errors[0])
    accepted = [
        m
        for m in MatchLedger(org.settings.store_dir).matches().values()
        if m.status == Status.ACCEPTED
    ]
    assert len(accepted) == 1


def test_review_cli_and_audit_cli(org: Workspace) -> None:
    assert runner.invoke(app, ["request", "c", "other"]).exit_code == 0
    listed = runner.invoke(app, ["matches", "list"])
    match_id = MatchLedger(Settings().store_dir).events()[0].match_id
    assert match_id in listed.stdout and "requested" in listed.stdout
    ok = runner.invoke(app, ["review", "accept", match_id, "--by", "Cora"])
    assert ok.exit_code == 0 and "accepted" in ok.stdout
    refused = runner.invoke(
        app, ["review", "override", "a", "boss", "--by", "Cora", "--reason", "x"]
    )
    assert refused.exit_code == 1 and "pass --force" in refused.stderr
    forced = runner.invoke(
        app,
        [
            "review",
            "override",
            "a",
            "boss",
            "--by",
            "Cora",
            "--reason",
            "agreed with HR",
            "--force",
        ],
    )
    assert forced.exit_code == 0 and "forced: reporting_line" in forced.stdout
    audit = runner.invoke(app, ["matches", "audit"]).stdout
    override_id = MatchLedger(Settings().store_dir).events()[-1].match_id
    assert f"Cora (coordinator) override {override_id} -> accepted: agreed with HR" in audit
    assert "forced past: reporting_line" in audit


def test_requesting_the_proposed_mentor_confirms_the_proposal(org: Workspace) -> None:
    matcher = Matcher(Workspace(Settings()))
    proposals = MatchReview(matcher).propose(matcher.cohort(), by="Cora")
    proposal = next(m for m in proposals if m.mentee_id == "b")
    confirmed = review().request("b", proposal.mentor_id)
    assert confirmed.id == proposal.id and confirmed.status == Status.REQUESTED
    assert [e.action for e in confirmed.events] == ["propose", "request"]
    with pytest.raises(MatchError, match=r"Person b \(b\) has already asked .* not answered yet"):
        review().request("b", proposal.mentor_id)


def _propose(review: MatchReview, pairs: list[tuple[str, str, float]]) -> None:
    from companion.matching.ledger import new_match_id

    with review.ledger.locked():
        matches = review.ledger.matches()
        events = [
            review._event(
                None,
                actor="Cora",
                actor_role="coordinator",
                action="propose",
                match_id=new_match_id(set(matches)),
                mentee_id=mentee,
                mentor_id=mentor,
                status=Status.PROPOSED,
                score=score,
            )
            for mentee, mentor, score in pairs
        ]
        review._commit(matches, events)


def test_bulk_accept_takes_the_best_first_and_skips_what_no_longer_fits(org: Workspace) -> None:
    _propose(review(), [("a", "mentor", 0.9), ("b", "mentor", 0.8), ("c", "other", 0.5)])
    before = len(MatchLedger(org.settings.store_dir).events())
    accepted, skipped = review().accept_above(0.6, by="Cora", dry_run=True)
    assert [m.mentee_id for m in accepted] == ["a"]
    assert [(m.mentee_id, "no free place" in why) for m, why in skipped] == [("b", True)]
    assert len(MatchLedger(org.settings.store_dir).events()) == before  # a dry run writes nothing
    accepted, skipped = review().accept_above(0.6, by="Cora")
    status = {m.mentee_id: m.status for m in MatchLedger(org.settings.store_dir).matches().values()}
    assert status == {"a": Status.ACCEPTED, "b": Status.PROPOSED, "c": Status.PROPOSED}
    last = MatchLedger(org.settings.store_dir).events()[-1]
    assert (last.actor, last.action, last.reason) == (
        "Cora",
        "review-accept",
        "bulk accept: score at least 0.60",
    )
    with pytest.raises(MatchError, match="between 0 and 1"):
        review().accept_above(1.5, by="Cora")


def test_bulk_accept_from_the_cli_previews_then_accepts_by_name(org: Workspace) -> None:
    import json

    _propose(review(), [("a", "mentor", 0.9), ("c", "other", 0.5)])
    preview = runner.invoke(app, ["review", "accept-above", "0.4", "--by", "Cora", "--dry-run"])
    assert preview.exit_code == 0, preview.output
    assert (
        "Would accept 2" in preview.output and "Person a (a) with Person mentor" in preview.output
    )
    done = runner.invoke(app, ["review", "accept-above", "60%", "--by", "Cora", "--json"])
    assert json.loads(done.output)["accepted"] and not json.loads(done.output)["skipped"]
    bad = runner.invoke(app, ["review", "accept-above", "lots", "--by", "Cora"])
    assert bad.exit_code != 0 and "between 0 and 1" in bad.output


def test_the_workspace_is_the_one_place_store_backed_services_come_from(org: Workspace) -> None:
    from companion.goals import Goals
    from companion.llm import FakeChatModel, LLMGateway, LLMSettings
    from companion.models import Profile
    from companion.notes import Notebook

    gateway = LLMGateway(LLMSettings(), general=FakeChatModel(local=False), local=FakeChatModel())
    workspace = Workspace(org.settings, gateway=gateway)
    assert Matcher(workspace).ledger is workspace.ledger
    assert Notebook(workspace).store.ledger is workspace.ledger
    assert Goals(workspace).store is workspace.goal_store
    assert Notebook(workspace).gateway is gateway
    review().request("a", "mentor")
    events = MatchLedger(org.settings.store_dir).events()
    assert events and all(isinstance(e.actor_role, Profile) for e in events)
    assert events[-1].actor_role is Profile.MENTEE
    bad = runner.invoke(app, ["notes", "list", "m-000000000000", "--as", "a", "--role", "boss"])
    assert bad.exit_code != 0 and "mentee" in bad.output and "coordinator" in bad.output
