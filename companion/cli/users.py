"""`mentorkit users add | reset | list`: sign-in accounts."""

from __future__ import annotations

from pathlib import Path

import typer

from companion.accounts import AccountError, Accounts
from companion.cli.options import DataDir, echo, exits_on, workspace_for

users_app = typer.Typer(help="Sign-in accounts for the chat UI.", no_args_is_help=True)
Password = typer.Option(
    ...,
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="At least 10 characters.",
)


def _accounts(data_dir: Path | None) -> Accounts:
    return workspace_for(data_dir).accounts


@users_app.command("add")
@exits_on(AccountError)
def add(
    username: str = typer.Argument(...),
    person_id: str | None = typer.Option(None, "--person", help="The person who signs in."),
    coordinator: bool = typer.Option(False, "--coordinator", help="Give the coordinator role."),
    password: str = Password,
    data_dir: Path | None = DataDir,
) -> None:
    """Create an account (roles: the person's mentee/mentor roles, plus coordinator if asked)."""
    account = _accounts(data_dir).add(username, password, person_id, coordinator)
    echo(f"Account {account.username}: {', '.join(account.roles)}")


@users_app.command("reset")
@exits_on(AccountError)
def reset(
    username: str = typer.Argument(...), password: str = Password, data_dir: Path | None = DataDir
) -> None:
    """Set a new password."""
    _accounts(data_dir).reset(username, password)
    echo(f"Password reset for {username}.")


@users_app.command("list")
def list_users(data_dir: Path | None = DataDir) -> None:
    """Accounts and their roles (never passwords)."""
    for account in _accounts(data_dir).list():
        echo(f"{account.username:20} {account.person_id or '-':10} {', '.join(account.roles)}")
