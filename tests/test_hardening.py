"""Issue #8's findings that live in the store, the ledger, the notes and the files:
collision-free match ids (and their migration), self-healing tables, private files,
damaged notes and keys, and a notes key that may live outside the data dir."""

from __future__ import annotations

import datetime as dt
import os
import stat
import threading
from pathlib import Path

import lancedb
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from companion.cli import app
from companion.imports import import_people
from companion.lance import append_rows, open_or_create, open_table, replace_rows, upsert_rows
from companion.matching import Matcher, MatchLedger, MatchReview, Status
from companion.matching.ledger import MATCH_ID, MatchEvent
from companion.notes import Notebook, NotesKeyError, SessionNote, Viewer
from companion.notes.crypto import NoteCipher, load_or_create_key
from companion.settings import Settings
from companion.workspace import Workspace
from tests.conftest import write_csv
from tests.test_review import row

runner = CliRunner()
NOTE = "We rehearsed the board pitch; Cato will send the revised deck by Friday."


@pytest.fixture
def hyphens(workspace: Workspace, tmp_path: Path) -> Workspace:
    """People whose ids joined with '-' collide: (a-b, c) and (a, b-c)."""
    rows = [
        row("a-b", "mentee", name="Abe Bell"),
        row("a", "mentee", name="Ana Ruiz"),
        row("c", "mentor", name="Cato Diaz", capacity="1"),
        row("b-c", "mentor", name="Bea Chen", capacity="1"),
    ]
    import_people(write_csv(tmp_path / "org.csv", rows), workspace.store, workspace.embedder)
    return workspace


def review(workspace: Workspace) -> MatchReview:
    return MatchReview(Matcher(workspace))


def test_match_ids_never_collide_when_person_ids_contain_hyphens(hyphens: Workspace) -> None:
    first = review(hyphens).request("a-b", "c")
    review(hyphens).respond("c", "a-b", accept=True)
    second = review(hyphens).request("a", "b-c")
    assert first.id != second.id and MATCH_ID.fullmatch(first.id) and MATCH_ID.fullmatch(second.id)
    matches = MatchLedger(hyphens.settings.store_dir).matches()
    assert matches[first.id].status == Status.ACCEPTED
    assert (matches[first.id].mentee_id, matches[first.id].mentor_id) == ("a-b", "c")
    assert matches[second.id].status == Status.REQUESTED
    assert MatchLedger(hyphens.settings.store_dir).loads()["c"] == 1


def legacy_event(seq: int, mentee: str, mentor: str, action: str, status: Status) -> MatchEvent:
    return MatchEvent(
        seq=seq,
        at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=seq),
        actor=mentee if action == "request" else mentor,
        actor_role="mentee" if action == "request" else "mentor",
        action=action,
        match_id="a-b-c-1",  # what the old code gave both pairs
        mentee_id=mentee,
        mentor_id=mentor,
        status=status,
    )


def test_a_ledger_with_colliding_old_ids_is_migrated_and_the_notes_follow(
    hyphens: Workspace,
) -> None:
    settings = hyphens.settings
    MatchLedger(settings.store_dir).append(
        [
            legacy_event(1, "a-b", "c", "request", Status.REQUESTED),
            legacy_event(2, "a-b", "c", "accept", Status.ACCEPTED),
            legacy_event(3, "a", "b-c", "request", Status.REQUESTED),
        ]
    )
    key = load_or_create_key(settings.data_dir / "keys" / "notes.key")
    legacy = SessionNote(
        id="20261102T100000000000-abcd1234",
        pair_id="a-b-c-1",
        author_id="c",
        session_date=dt.date(2026, 11, 2),
        written_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
        text=NOTE,
    )
    folder = settings.notes_dir / "a-b-c-1"
    folder.mkdir(parents=True)
    (folder / f"{legacy.id}.note").write_bytes(
        NoteCipher(key).encrypt(legacy.model_dump_json().encode())
    )

    ledger = MatchLedger(settings.store_dir)  # migrates on open
    matches = ledger.matches()
    assert len(matches) == 2 and all(MATCH_ID.fullmatch(i) for i in matches)
    by_pair = {(m.mentee_id, m.mentor_id): m for m in matches.values()}
    accepted, requested = by_pair[("a-b", "c")], by_pair[("a", "b-c")]
    assert accepted.status == Status.ACCEPTED and len(accepted.events) == 2
    assert requested.status == Status.REQUESTED and len(requested.events) == 1
    assert ledger.resolve("a-b-c-1") == "a-b-c-1"  # two pairs had it: no guess
    assert len(MatchLedger(settings.store_dir).events()) == 3  # a second open changes nothing

    notes = Notebook(hyphens).store.notes(Viewer(person_id="c", role="mentor"), accepted.id)
    assert [n.text for n in notes] == [NOTE] and notes[0].pair_id == accepted.id
    assert not folder.exists()


def test_an_old_id_that_one_pair_had_still_works_in_the_cli(hyphens: Workspace) -> None:
    MatchLedger(hyphens.settings.store_dir).append(
        [legacy_event(1, "a-b", "c", "request", Status.REQUESTED)]
    )
    ok = runner.invoke(app, ["review", "accept", "a-b-c-1", "--by", "Cora"])
    assert ok.exit_code == 0, ok.output
    assert "accepted" in ok.stdout


LEFTOVER_TABLES = ["people", "programme", "match_events", "goals", "accounts", "questions"]


def leave_uncommitted_folder(store_dir: Path, name: str) -> None:
    """What a first write killed before its commit leaves: a folder, data, no manifest."""
    folder = store_dir / f"{name}.lance"
    (folder / "_versions").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "data" / "half-written.lance").write_bytes(b"\0" * 64)


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda db, n, t: append_rows(db, n, t), id="append"),
        pytest.param(lambda db, n, t: upsert_rows(db, n, "id", t), id="upsert"),
        pytest.param(lambda db, n, t: replace_rows(db, n, t), id="replace"),
        pytest.param(lambda db, n, t: open_or_create(db, n, t.schema).add(t), id="create-empty"),
    ],
)
def test_a_table_whose_first_write_never_committed_is_recreated(tmp_path: Path, write) -> None:
    leave_uncommitted_folder(tmp_path, "things")
    db = lancedb.connect(str(tmp_path))
    assert open_table(db, "things") is None
    write(db, "things", pa.table({"id": ["x"], "v": [1]}))
    assert open_table(db, "things").to_arrow().to_pylist() == [{"id": "x", "v": 1}]


def test_a_leftover_match_events_folder_does_not_break_matching(
    hyphens: Workspace,
) -> None:
    leave_uncommitted_folder(hyphens.settings.store_dir, "match_events")
    assert runner.invoke(app, ["matches", "list"]).exit_code == 0
    requested = runner.invoke(app, ["request", "a", "b-c"])
    assert requested.exit_code == 0, requested.output
    assert len(MatchLedger(hyphens.settings.store_dir).events()) == 1


def test_twenty_parallel_first_ever_requests_create_the_ledger_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    mentees = [row(f"e{i}", "mentee") for i in range(20)]
    mentors = [row(f"m{i}", "mentor", capacity="5") for i in range(5)]
    import_people(
        write_csv(tmp_path / "org.csv", mentees + mentors), workspace.store, workspace.embedder
    )
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def request(i: int) -> None:
        reviewer = MatchReview(Matcher(Workspace(Settings())))
        barrier.wait()
        try:
            reviewer.request(f"e{i}", f"m{i % 5}")
        except BaseException as err:  # noqa: BLE001 (any failure is the finding)
            errors.append(err)

    threads = [threading.Thread(target=request, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = MatchLedger(workspace.settings.store_dir).events()
    assert len(events) == 20 and len({e.match_id for e in events}) == 20


def test_the_data_dir_and_everything_in_it_are_private(hyphens: Workspace) -> None:
    data = hyphens.settings.data_dir
    os.chmod(data, 0o755)  # as the old code left it
    assert runner.invoke(app, ["request", "a-b", "c"]).exit_code == 0
    assert runner.invoke(app, ["respond", "c", "a-b", "accept"]).exit_code == 0
    pair_id = next(iter(MatchLedger(hyphens.settings.store_dir).matches()))
    added = runner.invoke(app, ["notes", "add", pair_id, NOTE, "--as", "c", "--role", "mentor"])
    assert added.exit_code == 0, added.output
    made = runner.invoke(app, ["users", "add", "cato", "--person", "c", "--password", "x" * 12])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    loose = [
        f"{p.relative_to(data)} {stat.S_IMODE(p.stat().st_mode):o}"
        for p in data.rglob("*")
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    ]
    assert loose == []
    assert any(data.rglob("accounts.lance")) and any(data.rglob("*.note"))


@pytest.fixture
def noted(hyphens: Workspace) -> tuple[Workspace, str]:
    review(hyphens).request("a-b", "c")
    pair = review(hyphens).respond("c", "a-b", accept=True).id
    book = Notebook(hyphens)
    book.add(Viewer(person_id="c", role="mentor"), pair, NOTE)
    book.add(Viewer(person_id="a-b", role="mentee"), pair, "Second note, kept apart.")
    return hyphens, pair


def test_a_damaged_note_is_reported_and_the_others_stay_readable(
    noted: tuple[Workspace, str],
) -> None:
    workspace, pair = noted
    first = sorted(workspace.settings.notes_dir.rglob("*.note"))[0]
    first.write_bytes(first.read_bytes()[:-20] + b"garbage!")
    found = Notebook(workspace).store.read(Viewer(person_id="c", role="mentor"), pair)
    assert [n.text for n in found.notes] == ["Second note, kept apart."]
    assert found.damaged == [first.name]
    listed = runner.invoke(app, ["notes", "list", pair, "--as", "c", "--role", "mentor"])
    assert listed.exit_code == 0 and "Second note" in listed.stdout
    assert f"note file {first.name} is damaged" in listed.stderr


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(b"not a key at all", "is not a valid key", id="garbled-key"),
        pytest.param(None, "notes exist but their key", id="deleted-key"),
        pytest.param(
            b"ZmFrZS1rZXktZmFrZS1rZXktZmFrZS1rZXktZmFrZTE=", "not the key they were", id="other-key"
        ),
    ],
)
def test_a_damaged_or_wrong_notes_key_is_a_clear_error_naming_the_key(
    noted: tuple[Workspace, str], damage: bytes | None, message: str
) -> None:
    workspace, pair = noted
    key = workspace.settings.data_dir / "keys" / "notes.key"
    if damage is None:
        key.unlink()
    else:
        key.write_bytes(damage)
    listed = runner.invoke(app, ["notes", "list", pair, "--as", "c", "--role", "mentor"])
    assert listed.exit_code == 1 and message in listed.stderr and str(key) in listed.stderr
    assert "Traceback" not in listed.output
    if damage is None:
        assert not key.exists()  # never silently replaced by a key that opens nothing


def test_the_notes_key_can_live_outside_the_data_dir(
    hyphens: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = tmp_path / "secrets" / "notes.key"
    made = runner.invoke(app, ["notes", "keygen", str(key_file)])
    assert made.exit_code == 0 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert runner.invoke(app, ["notes", "keygen", str(key_file)]).exit_code == 1  # never over
    monkeypatch.setenv("MENTORKIT_NOTES_KEY_FILE", str(key_file))
    runner.invoke(app, ["request", "a-b", "c"])
    runner.invoke(app, ["respond", "c", "a-b", "accept"])
    pair = next(iter(MatchLedger(hyphens.settings.store_dir).matches()))
    added = runner.invoke(app, ["notes", "add", pair, NOTE, "--as", "c", "--role", "mentor"])
    assert added.exit_code == 0, added.output
    assert not (hyphens.settings.data_dir / "keys").exists()

    # An operator without the key: everything but notes works; notes refuse, clearly.
    monkeypatch.setenv("MENTORKIT_NOTES_KEY_FILE", str(tmp_path / "elsewhere" / "notes.key"))
    assert runner.invoke(app, ["matches", "list"]).exit_code == 0
    assert runner.invoke(app, ["suggest", "a"]).exit_code == 0
    refused = runner.invoke(app, ["notes", "list", pair, "--as", "c", "--role", "mentor"])
    assert refused.exit_code == 1 and "notes key file" in refused.stderr
    assert NOTE not in refused.output
    with pytest.raises(NotesKeyError):
        Notebook(Workspace(Settings()))


def test_text_from_the_store_is_printed_with_control_characters_escaped(
    noted: tuple[Workspace, str],
) -> None:
    workspace, pair = noted
    hostile = "Retitled\x1b]0;pwned\x07 and cleared\x1b[2J, reversed \u202egpj.exe"
    Notebook(workspace).add(Viewer(person_id="c", role="mentor"), pair, hostile)
    listed = runner.invoke(app, ["notes", "list", pair, "--as", "c", "--role", "mentor"])
    assert listed.exit_code == 0
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "\u202e" not in listed.stdout
    assert "Retitled\\x1b]0;pwned\\x07" in listed.stdout and "\\u202egpj.exe" in listed.stdout
    assert "Second note, kept apart." in listed.stdout  # ordinary text is untouched


def test_people_stored_under_older_rules_stay_readable(hyphens: Workspace) -> None:
    """A name with an escape code or an id like '-rm' was accepted before the import refused
    them: such stores must still load (and print safely), not fail on every command."""
    table = lancedb.connect(str(hyphens.settings.store_dir)).open_table("people")
    table.update(where="id = 'c'", values={"id": "-rm", "name": "Eve\x1b]0;pwned\x07"})
    names = {p.id: p.name for p in hyphens.store.people()}
    assert names["-rm"] == "Eve\x1b]0;pwned\x07" and hyphens.store.get("-rm") is not None
    shown = runner.invoke(app, ["people", "list"])
    assert shown.exit_code == 0 and "Eve\\x1b]0;pwned\\x07" in shown.stdout


def test_a_local_model_that_is_not_running_is_a_clear_error(
    noted: tuple[Workspace, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, pair = noted
    monkeypatch.setenv("MENTORKIT_LOCAL_LLM_MODEL", "ollama/llama3.1")
    monkeypatch.setenv("MENTORKIT_LOCAL_LLM_API_BASE", "http://127.0.0.1:9")  # nothing there
    done = runner.invoke(app, ["notes", "summarise", pair, "--as", "c", "--role", "mentor"])
    assert done.exit_code == 1 and "Traceback" not in done.output
    assert "the local model 'ollama/llama3.1' at http://127.0.0.1:9 did not answer" in done.stderr
