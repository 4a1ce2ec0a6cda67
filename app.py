"""The Chainlit UI: thin handlers over companion.chat.Assistant (the same use cases as the CLI).

Run it with `mentorkit serve` (it sets the auth secret and the data layer up first).
"""

from __future__ import annotations

import os

import chainlit as cl
from chainlit.server import app as server
from starlette.requests import Request
from starlette.responses import Response

from companion.accounts import Account, Accounts
from companion.chat.assistant import PROFILES, Assistant, NotAllowed, Reply
from companion.chat.offline import strip_encoded
from companion.chat.persistence import sqlite_data_layer
from companion.settings import Settings
from companion.workspace import Workspace

WORKSPACE = Workspace(Settings())


@server.middleware("http")
async def offline_page(request: Request, call_next):
    response = await call_next(request)
    if not response.headers.get("content-type", "").startswith("text/html"):
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])
    encoding = response.headers.get("content-encoding")
    headers = {
        k: v
        for k, v in response.headers.items()
        if k.lower() not in ("content-length", "content-encoding")
    }
    return Response(strip_encoded(body, encoding), response.status_code, headers)


@cl.data_layer
def data_layer():  # DATABASE_URL selects Chainlit's own PostgreSQL layer instead
    if os.environ.get("DATABASE_URL"):
        from chainlit.data.chainlit_data_layer import ChainlitDataLayer

        return ChainlitDataLayer(database_url=os.environ["DATABASE_URL"])
    return sqlite_data_layer(WORKSPACE.settings.data_dir / "ui" / "threads.sqlite")


def _user(account: Account) -> cl.User:
    return cl.User(
        identifier=account.username,
        metadata={"roles": account.roles, "person_id": account.person_id},
    )


@cl.password_auth_callback
def password_auth(username: str, password: str) -> cl.User | None:
    account = Accounts(WORKSPACE.store).authenticate(username, password)
    return _user(account) if account else None


if WORKSPACE.settings.ui.trusted_header:  # only behind an SSO proxy that sets it

    @cl.header_auth_callback
    def header_auth(headers) -> cl.User | None:
        username = headers.get(WORKSPACE.settings.ui.trusted_header, "")
        account = Accounts(WORKSPACE.store).get(username) if username else None
        return _user(account) if account else None


@cl.set_chat_profiles
async def chat_profiles(current_user: cl.User) -> list[cl.ChatProfile]:
    roles = (current_user.metadata or {}).get("roles", []) if current_user else []
    return [
        cl.ChatProfile(name=PROFILES[r], markdown_description=f"mentorkit for a {r}") for r in roles
    ]


def _assistant() -> Assistant:
    assistant = cl.user_session.get("assistant")
    if assistant is None:
        user = cl.user_session.get("user")
        account = Account(
            username=user.identifier,
            person_id=user.metadata.get("person_id"),
            roles=user.metadata.get("roles", []),
        )
        profile = {v: k for k, v in PROFILES.items()}.get(
            cl.user_session.get("chat_profile"), account.roles[0]
        )
        assistant = Assistant(WORKSPACE, account, profile)
        cl.user_session.set("assistant", assistant)
    return assistant


async def _send(reply: Reply) -> None:
    actions = [cl.Action(name=a.name, label=a.label, payload=a.payload) for a in reply.actions]
    elements = [
        cl.Plotly(name=name, figure=figure, display="inline") for name, figure in reply.figures
    ]
    await cl.Message(content=reply.text, actions=actions, elements=elements).send()


@cl.on_chat_start
async def start() -> None:
    try:
        await _send(_assistant().welcome())
    except NotAllowed as err:
        await _send(Reply(str(err)))


@cl.on_message
async def message(msg: cl.Message) -> None:
    try:
        assistant = _assistant()
    except NotAllowed as err:
        return await _send(Reply(str(err)))
    async with cl.Step(name="working", type="run") as step:
        # A model's tokens stream here as it writes; the reply below is the checked result.
        def on_token(token: str) -> None:
            step.name = "local model draft (unchecked)"
            cl.run_sync(step.stream_token(token))

        reply = await cl.make_async(assistant.handle)(msg.content, on_token)
    await _send(reply)


async def _act(action: cl.Action) -> None:
    try:
        assistant = _assistant()
    except NotAllowed as err:
        return await _send(Reply(str(err)))
    async with cl.Step(name=action.name, type="run"):
        reply = await cl.make_async(assistant.act)(action.name, action.payload or {})
    await _send(reply)


for _name in (
    "suggest",
    "request",
    "requests",
    "respond",
    "review",
    "review_accept",
    "review_reject",
    "dashboard",
):
    cl.action_callback(_name)(_act)
