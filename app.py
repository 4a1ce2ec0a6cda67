"""The Chainlit UI: thin handlers over companion.chat.Assistant (the same use cases as the CLI).

Run it with `mentorkit serve` (it sets the auth secret and the data layer up first).
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor

import chainlit as cl
import chainlit.config as chainlit_config
from chainlit.auth import decode_jwt
from chainlit.config import config
from chainlit.server import app as server
from starlette.requests import Request
from starlette.responses import Response

from companion.accounts import Account
from companion.chat.assistant import ACTIONS, PROFILES, Assistant, NotAllowed, Reply
from companion.chat.commands import COMMANDS
from companion.chat.elements import ROUTE as ELEMENTS_ROUTE
from companion.chat.elements import LocalElements, session_files
from companion.chat.offline import downstream, strip_encoded
from companion.chat.pair_life import STEPS
from companion.chat.persistence import (
    CONFIDENTIAL_METADATA,
    expect_confidential,
    postgres_data_layer,
    sqlite_data_layer,
)
from companion.chat.signin import SIGNED_IN_AT, SessionCheck, SignInLimiter
from companion.chat.web import RequestGuard
from companion.settings import Settings
from companion.workspace import Workspace

WORKSPACE = Workspace(Settings())  # also makes this process's files private (umask 077)
UI = WORKSPACE.settings.ui
ACCOUNTS = WORKSPACE.accounts
SESSIONS = SessionCheck(ACCOUNTS)
config.project.user_session_timeout = int(UI.session_hours * 3600)
# Chainlit copies each element a session sends into <app root>/.files/<session>, and every
# server removes all of <app root>/.files when it stops: another server from the same app
# root would lose its files mid-session. Each data dir gets its own, private and cleared
# at start (the elements themselves are kept by the data layer).
chainlit_config.FILES_DIRECTORY = session_files(WORKSPACE.settings.data_dir)


def _session_valid(token: str) -> bool:
    try:
        user = decode_jwt(token)
    except Exception:  # noqa: BLE001 (an invalid token: Chainlit refuses it itself)
        return True
    return SESSIONS.still_valid(user.identifier, (user.metadata or {}).get(SIGNED_IN_AT))


server.add_middleware(
    RequestGuard,
    origins=UI.origins,
    limiter=SignInLimiter(UI.failed_signins_per_username, UI.failed_signins_per_address),
    session_valid=_session_valid,
    cookie_name=os.environ.get("CHAINLIT_AUTH_COOKIE_NAME", "access_token"),
)


@server.middleware("http")
async def offline_page(request: Request, call_next):
    response = await downstream(request, call_next)
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


ELEMENTS = LocalElements(WORKSPACE.settings.data_dir / "ui" / "elements")


@server.middleware("http")
async def element_files(request: Request, call_next):
    if request.url.path.startswith(ELEMENTS_ROUTE):
        return await ELEMENTS.respond(request)
    return await downstream(request, call_next)


@cl.data_layer
def data_layer():  # DATABASE_URL selects Chainlit's own PostgreSQL layer instead
    if os.environ.get("DATABASE_URL"):
        return postgres_data_layer(os.environ["DATABASE_URL"], ELEMENTS)
    return sqlite_data_layer(WORKSPACE.settings.data_dir / "ui" / "threads.sqlite", ELEMENTS)


def _user(account: Account) -> cl.User:
    return cl.User(
        identifier=account.username,
        metadata={
            "roles": account.roles,
            "person_id": account.person_id,
            SIGNED_IN_AT: time.time(),
        },
    )


# The Argon2 check takes tens of milliseconds of CPU: it runs off the event loop, in a
# pool of its own as wide as the machine, so that a crowd signing in neither blocks the
# loop nor queues the other work that goes to threads (session checks, the companion).
HASHING = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="argon2")


@cl.password_auth_callback
async def password_auth(username: str, password: str) -> cl.User | None:
    loop = asyncio.get_running_loop()
    account = await loop.run_in_executor(HASHING, ACCOUNTS.authenticate, username, password)
    return _user(account) if account else None


if UI.trusted_header:  # only behind an SSO proxy that sets it

    @cl.header_auth_callback
    async def header_auth(headers) -> cl.User | None:
        username = headers.get(UI.trusted_header, "")
        account = await asyncio.to_thread(ACCOUNTS.get, username) if username else None
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
    expect_confidential(cl.context.session.thread_id, reply.asks_confidential)
    actions = [cl.Action(name=a.name, label=a.label, payload=a.payload) for a in reply.actions]
    elements: list = [
        cl.Plotly(name=name, figure=figure, display="inline") for name, figure in reply.figures
    ]
    elements += [cl.File(name=name, path=str(path), display="inline") for name, path in reply.files]
    metadata = {CONFIDENTIAL_METADATA: True} if reply.confidential else {}
    message = cl.Message(content=reply.text, actions=actions, elements=elements, metadata=metadata)
    await message.send()
    if actions:  # kept so that a decision can take its buttons away
        sent = cl.user_session.get("sent") or {}
        sent[message.id] = message
        cl.user_session.set("sent", sent)


# A button that decides something takes away the buttons for the same thing: a proposal
# once accepted or rejected, a request once answered, a pair once chosen.
DECISIONS = {"review_accept", "review_reject", "respond", "request", "note_pair", "bulk_accept"}
# Buttons of a goal draft go when any of them is pressed (a newer draft brings its own).
GOAL_BUTTONS = {"goal_save", "goal_restart", "goal_skip"}
# Buttons used once: a page turned, a bulk acceptance made (pressing again would redo it).
ONCE = {"review", "bulk_accept", "health_nudge", "health_end_outcome"}
_SUBJECT_KEYS = ("match_id", "mentee_id", "mentor_id")


async def _retire_buttons(action: cl.Action) -> None:
    message = (cl.user_session.get("sent") or {}).get(action.forId)
    if message is None:
        return
    key = next((k for k in _SUBJECT_KEYS if k in (action.payload or {})), None)
    for other in list(message.actions):
        same = (
            other.id == action.id
            or other.name == action.name == "note_pair"
            or action.name in GOAL_BUTTONS
            and other.name in GOAL_BUTTONS
            or action.name in STEPS  # a step of a flow: its question is answered
            or key is not None
            and (other.payload or {}).get(key) == action.payload[key]
        )
        if same:
            await other.remove()
            message.actions.remove(other)


@cl.on_chat_start
async def start() -> None:
    try:
        assistant = _assistant()
    except NotAllowed as err:
        return await _send(Reply(str(err)))
    await cl.context.emitter.set_commands(
        [
            {"id": c.id, "icon": c.icon, "description": c.description, "button": c.button}
            for c in COMMANDS[assistant.profile]
        ]
    )
    await _send(assistant.welcome())


@cl.on_message
async def message(msg: cl.Message) -> None:
    try:
        assistant = _assistant()
    except NotAllowed as err:
        return await _send(Reply(str(err)))
    async with cl.Step(name="working", type="run") as step:
        # The local model's tokens stream here as it writes; the reply below is the checked
        # result. Drafts come from notes: the step is confidential (never stored as text).
        def on_token(token: str) -> None:
            step.name = "local model draft (unchecked)"
            step.metadata = {**(step.metadata or {}), CONFIDENTIAL_METADATA: True}
            cl.run_sync(step.stream_token(token))

        reply = await cl.make_async(assistant.handle)(msg.content, on_token, msg.command)
    await _send(reply)


async def _act(action: cl.Action) -> None:
    try:
        assistant = _assistant()
    except NotAllowed as err:
        return await _send(Reply(str(err)))
    async with cl.Step(name=action.label or action.name, type="run"):  # "Used Yesterday"
        reply = await cl.make_async(assistant.act)(action.name, action.payload or {})
    if action.name in DECISIONS | GOAL_BUTTONS | ONCE | STEPS and not reply.refused:
        await _retire_buttons(action)
    await _send(reply)


for _name in ACTIONS:
    cl.action_callback(_name)(_act)
