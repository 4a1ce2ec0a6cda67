from __future__ import annotations

import pytest
from typer.testing import CliRunner

from companion.accounts import AccountError, Accounts
from companion.cli import app
from companion.workspace import Workspace


def test_accounts_hash_passwords_and_take_roles_from_the_profile(
    workspace: Workspace, pair: str
) -> None:
    accounts = Accounts(workspace.store)
    ben = accounts.add("ben", "correct horse battery", person_id="ben")
    cora = accounts.add("cora", "another long secret", coordinator=True)
    assert ben.roles == ["mentee"] and cora.roles == ["coordinator"]
    raw = accounts._rows()["ben"]["password_hash"]
    assert raw.startswith("$argon2id$") and "correct horse" not in raw
    assert accounts.authenticate("Ben", "correct horse battery") == ben
    assert accounts.authenticate("ben", "wrong password!!") is None
    assert accounts.authenticate("nobody", "correct horse battery") is None
    accounts.reset("ben", "a brand new secret")
    assert accounts.authenticate("ben", "correct horse battery") is None
    assert accounts.authenticate("ben", "a brand new secret") == ben


@pytest.mark.parametrize(
    ("username", "password", "person", "why"),
    [
        pytest.param("b", "long enough pw", "ben", "3-64 characters", id="short-username"),
        pytest.param("ben", "short", "ben", "at least 10", id="short-password"),
        pytest.param("ghost", "long enough pw", "nobody", "no person", id="unknown-person"),
        pytest.param("lonely", "long enough pw", None, "needs a person", id="no-role"),
    ],
)
def test_bad_accounts_are_refused(
    workspace: Workspace, pair: str, username: str, password: str, person: str | None, why: str
) -> None:
    with pytest.raises(AccountError, match=why):
        Accounts(workspace.store).add(username, password, person_id=person)


def test_users_cli(workspace: Workspace, pair: str) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app,
        [
            "users",
            "add",
            "ada",
            "--person",
            "ada",
            "--coordinator",
            "--password",
            "a long password",
        ],
    )
    assert added.exit_code == 0 and "mentor, coordinator" in added.stdout
    again = runner.invoke(
        app, ["users", "add", "ada", "--person", "ada", "--password", "a long password"]
    )
    assert again.exit_code == 1 and "exists" in again.stderr
    assert "ada" in runner.invoke(app, ["users", "list"]).stdout
