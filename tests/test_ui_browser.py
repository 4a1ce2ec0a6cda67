"""The chat UI in a real browser: Debian's chromium driven by Playwright, app on loopback.

The app runs as `mentorkit serve` with the embedded models on a small demo organisation.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.accounts import Accounts
from companion.matching import MatchLedger, Status
from companion.settings import Settings
from companion.workspace import Workspace
from evals import serve

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "mentorkit-demo-pass"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
pytestmark = pytest.mark.slow


def start_app(env: dict[str, str], log: Path | None = None) -> tuple[subprocess.Popen, str]:
    try:
        return serve.start_app(env, log)
    except serve.AppDidNotStart as err:
        pytest.fail(str(err))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("ui") / "data"
    env = {
        **os.environ,
        "MENTORKIT_DATA_DIR": str(data),
        "MENTORKIT_PROGRESS": "false",
        "MENTORKIT_EMBEDDING__BACKEND": "minilm",
        "MENTORKIT_UI__TRUSTED_HEADER": "X-Forwarded-User",
    }
    cli = [sys.executable, "-m", "companion.cli"]
    subprocess.run(
        [*cli, "demo", "--people", "80", "--seed", "5"], env=env, check=True, capture_output=True
    )
    workspace = Workspace(Settings(data_dir=data))
    mentee = next(p for p in workspace.store.people() if p.role.value == "mentee")
    accounts = Accounts(workspace.store)
    accounts.add("mentee", PASSWORD, person_id=mentee.id)
    accounts.add("cora", PASSWORD, coordinator=True)
    for name in ("locky", "resetme", "crowd"):
        accounts.add(name, PASSWORD, coordinator=True)
    process, url = start_app(env, data.parent / "server.log")
    yield url, data
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def sign_in(browser, url: str, username: str, password: str = PASSWORD):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/login")
    page.fill("#email", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    return page


def say(page, text: str) -> None:
    box = page.get_by_placeholder("Type your message here...")
    box.fill(text)
    box.press("Enter")


def command(page, name: str, text: str) -> None:
    """Pick `/name` from the command menu as a person would, then send `text` with it."""
    box = page.get_by_placeholder("Type your message here...")
    box.click()
    box.type(f"/{name}")
    page.wait_for_timeout(500)
    box.press("Enter")
    page.wait_for_timeout(300)
    box.type(text)
    box.press("Enter")


def test_a_wrong_password_is_refused(server, browser) -> None:
    url, _ = server
    page = sign_in(browser, url, "mentee", "not the password")
    page.get_by_text("Wrong username or password").first.wait_for(timeout=30_000)
    assert page.get_by_text("credentialssignin").count() == 0
    assert page.get_by_text("Username").count() >= 1 and page.get_by_text("Email").count() == 0
    assert page.url.endswith("/login")
    assert page.get_by_placeholder("Type your message here...").count() == 0
    page.close()
    request = urllib.request.Request(
        f"{url}/login", data=b"username=mentee&password=nope", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 401


def test_the_printed_demo_sign_ins_close_the_loop(server, browser) -> None:
    """mentee1 requests mentor1 by name; mentor1 is told, accepts, and the buttons go."""
    url, data = server
    workspace = Workspace(Settings(data_dir=data))
    mentor = workspace.store.get(Accounts(workspace.store).get("mentor1").person_id)
    mentee = workspace.store.get(Accounts(workspace.store).get("mentee1").person_id)
    page = sign_in(browser, url, "mentee1", "mentorkit-demo")
    page.get_by_role("button", name="Suggest mentors").first.click(timeout=60_000)
    page.get_by_role("button", name=f"Request {mentor.name}").click(timeout=60_000)
    page.get_by_text(f"Request sent to {mentor.name}").wait_for(timeout=60_000)
    page.close()
    page = sign_in(browser, url, "mentor1", "mentorkit-demo")
    page.get_by_text(f"Waiting for your answer: {mentee.name}").wait_for(timeout=60_000)
    page.get_by_role("button", name="My requests").first.click()
    page.get_by_role("button", name=f"Accept {mentee.name}").click(timeout=60_000)
    page.get_by_text(f"You accepted {mentee.name}").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.get_by_role("button", name=f"Decline {mentee.name}").count() == 0
    page.close()


def test_a_mentee_sees_suggestions_with_reasons_and_drafts_a_goal(server, browser) -> None:
    url, _ = server
    page = sign_in(browser, url, "mentee")
    page.get_by_text("Suggest mentors").first.wait_for(timeout=60_000)
    say(page, "Which mentors would suit me?")  # free text: the commands, not a guess
    page.get_by_text("I only act on commands").wait_for(timeout=60_000)
    page.get_by_role("button", name="Suggest mentors").last.click()
    # an earlier test may have paired this mentee (the coordinator accepts proposals):
    # then the reply says so, offers other mentors and no Request buttons
    either = re.compile(r"Here are (the mentors who fit you best|other mentors who would fit you)")
    page.get_by_text(either).wait_for(timeout=60_000)
    assert page.get_by_text("wanted skills").count() >= 1
    paired = page.get_by_text("You are already paired with").count() > 0
    assert (page.get_by_role("button", name="Request").count() == 0) == paired
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "mentee.png"))
    command(page, "goal", "I want to get better at presenting")
    page.get_by_text("Draft so far").wait_for(timeout=120_000)  # vague: it cannot pass
    page.get_by_text("What will you actually do about").first.wait_for(timeout=10_000)
    # the question links the mentee guide's section on goals
    page.get_by_role("button", name=re.compile(r"Guide: .*goal", re.I)).first.wait_for(
        timeout=10_000
    )
    say(page, "what do you mean?")  # a question back is explained, not taken as the answer
    page.get_by_text("I am asking so that the goal says").wait_for(timeout=60_000)
    say(page, "present our Q1 results to the leadership team")
    page.get_by_text("How will you and your mentor know").first.wait_for(timeout=60_000)
    say(page, "stop")  # a goal conversation can always be left
    page.get_by_text("Goal drafting stopped; nothing was saved").wait_for(timeout=60_000)
    say(page, "Actually, which mentors would suit me?")  # not appended to the goal
    page.get_by_text("I only act on commands").nth(1).wait_for(timeout=60_000)
    page.close()


def test_a_mentee_asks_the_guides_and_reads_the_cited_passage(server, browser) -> None:
    url, _ = server
    page = sign_in(browser, url, "mentee")
    page.get_by_text("Suggest mentors").first.wait_for(timeout=60_000)
    command(page, "ask", "what shld i bring to a meeting with my mentor")
    page.get_by_text(re.compile(r"\[1\] A guide for mentees › ")).wait_for(timeout=120_000)
    assert page.locator("blockquote").count() >= 1  # the passage, quoted
    assert page.get_by_text("Coordinator playbook").count() == 0  # not a mentee's guide
    page.get_by_role("button", name=re.compile(r"Read \[1\]")).first.click()
    page.get_by_text(re.compile(r"^A guide for mentees › ")).last.wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "ask.png"))
    command(page, "ask", "what is the wifi password for the 3rd floor")
    page.get_by_text("I could not find this in your programme's guides").wait_for(timeout=120_000)
    page.close()


def test_a_coordinator_accepts_a_proposed_match_and_it_is_persisted(server, browser) -> None:
    url, data = server
    page = sign_in(browser, url, "cora")
    page.get_by_text("Review matches").first.click(timeout=60_000)
    page.get_by_text("proposed matches await review").wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "coordinator.png"))
    accept = page.get_by_role("button", name="Accept").first
    pair = accept.inner_text().removeprefix("Accept ").strip()  # "Ana Ruiz with Bo Chen"
    assert " with " in pair and "p0" not in pair
    buttons = page.get_by_role("button", name="Accept").count()
    accept.click()
    page.get_by_text(f"Accepted: {pair}").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.get_by_role("button", name=f"Accept {pair}").count() == 0  # decided: gone
    assert page.get_by_role("button", name="Accept").count() == buttons - 1
    accepted = [
        m
        for m in MatchLedger(Settings(data_dir=data).store_dir).matches().values()
        if m.status == Status.ACCEPTED and m.events[-1].actor == "cora"
    ]
    assert len(accepted) == 1
    page.close()


def http_login(url: str, username: str, password: str = PASSWORD) -> str:
    """Sign in over HTTP and return the session cookie header."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = urllib.parse.urlencode({"username": username, "password": password}).encode()
    opener.open(urllib.request.Request(f"{url}/login", data=form, method="POST"))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def socket_messages(
    url: str,
    cookie: str,
    profile: str,
    say_text: str | None,
    origin: str | None = None,
    command: str | None = None,
) -> list[str]:
    """Connect to the app's websocket as a client would, with a chosen chat profile."""
    import asyncio
    import uuid

    import socketio

    async def run() -> list[str]:
        received: list[str] = []
        client = socketio.AsyncClient()
        client.on("new_message", lambda data: received.append(data.get("output", "")))
        await client.connect(
            url,
            socketio_path="/ws/socket.io",
            headers={"Cookie": cookie, **({"Origin": origin} if origin else {})},
            transports=["websocket"],
            auth=serve.socket_auth(profile),
        )
        await client.emit("connection_successful")
        await asyncio.sleep(4)
        if say_text is not None:
            await client.emit(
                "client_message",
                {
                    "message": {
                        "id": str(uuid.uuid4()),
                        "threadId": "",
                        "output": say_text,
                        "name": "user",
                        "type": "user_message",
                        "createdAt": "2027-01-01T00:00:00Z",
                        **({"command": command} if command else {}),
                    },
                    "fileReferences": [],
                },
            )
            await asyncio.sleep(6)
        await client.disconnect()
        return [m for m in received if m]

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's loop
        return pool.submit(asyncio.run, run()).result()


def test_a_mentee_cannot_reach_the_coordinator_view_over_the_websocket(server) -> None:
    url, _ = server
    messages = socket_messages(url, http_login(url, "mentee"), "Coordinator", "review matches")
    assert messages and all("has no coordinator role" in m for m in messages)
    assert not any("await review" in m for m in messages)


def test_a_mentee_cannot_read_another_users_thread(server, browser) -> None:
    import json
    import sqlite3

    url, data = server
    with sqlite3.connect(data / "ui" / "threads.sqlite") as db:
        theirs = db.execute(
            'SELECT "id" FROM threads WHERE "userIdentifier" = ?', ("cora",)
        ).fetchone()
    assert theirs, "the coordinator's thread was persisted"
    request = urllib.request.Request(
        f"{url}/project/thread/{theirs[0]}", headers={"Cookie": http_login(url, "mentee")}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code in (401, 403, 404)
    mine = urllib.request.Request(
        f"{url}/project/thread/{theirs[0]}", headers={"Cookie": http_login(url, "cora")}
    )
    assert json.loads(urllib.request.urlopen(mine).read())["id"] == theirs[0]


def test_the_page_needs_no_internet(server, browser) -> None:
    url, _ = server
    html = urllib.request.urlopen(url).read().decode()
    assert "fonts.googleapis.com" not in html and "cdn.jsdelivr.net" not in html
    page = browser.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            else None
        ),
    )
    page.goto(f"{url}/login")
    page.fill("#email", "mentee")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_text("Suggest mentors").first.wait_for(timeout=60_000)
    assert outside == []
    page.close()


def test_a_trusted_header_signs_in_when_enabled(server) -> None:
    url, _ = server
    signed = urllib.request.urlopen(
        urllib.request.Request(
            f"{url}/auth/header", method="POST", headers={"X-Forwarded-User": "cora"}
        )
    )
    assert signed.status == 200 and "access_token" in (signed.headers.get("set-cookie") or "")
    for headers in ({}, {"X-Forwarded-User": "nobody"}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(
                urllib.request.Request(f"{url}/auth/header", method="POST", headers=headers)
            )
        assert refused.value.code == 401


def test_the_coordinator_dashboard_shows_plots(server, browser) -> None:
    url, _ = server
    page = sign_in(browser, url, "cora")
    page.get_by_role("button", name="Dashboard").click(timeout=60_000)
    page.get_by_text("Programme dashboard").first.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    assert page.locator(".js-plotly-plot").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"))
    page.close()


def _dashboard_thread(browser, url: str, data: Path) -> str:
    """A coordinator's thread that asked for the dashboard with the command; its id."""
    page = sign_in(browser, url, "cora")
    page.get_by_text("Review matches").first.wait_for(timeout=60_000)
    command(page, "dashboard", "how is the programme doing?")
    page.locator(".js-plotly-plot").nth(2).wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # the data layer writes after the message is shown
    page.close()
    import sqlite3

    with sqlite3.connect(data / "ui" / "threads.sqlite") as db:
        row = db.execute(
            'SELECT s."threadId" FROM steps s JOIN threads t ON t."id" = s."threadId" '
            'WHERE t."userIdentifier" = ? AND s."command" = ? ORDER BY s."createdAt" DESC',
            ("cora", "dashboard"),
        ).fetchone()
    assert row, "the dashboard thread was persisted"
    return row[0]


def test_a_reopened_dashboard_thread_shows_its_plots_after_a_restart(server, browser) -> None:
    import json

    url, data = server
    thread_id = _dashboard_thread(browser, url, data)
    env = {**os.environ, "MENTORKIT_DATA_DIR": str(data), "MENTORKIT_PROGRESS": "false"}
    second, again = start_app(env, data.parent / "server.log")
    try:
        request = urllib.request.Request(
            f"{again}/project/thread/{thread_id}", headers={"Cookie": http_login(again, "cora")}
        )
        thread = json.loads(urllib.request.urlopen(request).read())
        assert thread["id"] == thread_id and thread["steps"]
        plots = [e for e in thread["elements"] if e["type"] == "plotly"]
        assert len(plots) == 3 and all(e["url"] for e in plots)
        # The plot's file goes to its owner only.
        for who, status in (("cora", 200), ("locky", 404)):
            try:
                got = urllib.request.urlopen(
                    urllib.request.Request(
                        again + plots[0]["url"], headers={"Cookie": http_login(again, who)}
                    )
                ).status
            except urllib.error.HTTPError as err:
                got = err.code
            assert got == status, who
        page = sign_in(browser, again, "cora")
        page.get_by_text("Review matches").first.wait_for(timeout=60_000)
        page.goto(f"{again}/thread/{thread_id}")
        page.locator(".js-plotly-plot").nth(2).wait_for(timeout=60_000)
        assert page.locator(".js-plotly-plot").count() == 3
        page.get_by_text("Mentor load").first.wait_for(timeout=10_000)
        page.close()
    finally:
        second.terminate()
        second.wait(timeout=30)


def test_a_mentee_cannot_reach_another_pairs_notes_over_the_websocket(server) -> None:
    from companion.notes import Notebook, Viewer

    url, data = server
    workspace = Workspace(Settings(data_dir=data))
    ledger = MatchLedger(workspace.settings.store_dir)
    mentee_id = Accounts(workspace.store).get("mentee").person_id
    others = [
        m
        for m in ledger.matches().values()
        if m.status == Status.ACCEPTED and mentee_id not in (m.mentee_id, m.mentor_id)
    ]
    assert others, "the coordinator test accepted a pair"
    secret = "the restructuring is confidential until March"
    Notebook(workspace).add(
        Viewer(person_id=others[0].mentee_id, role="mentee"),
        others[0].id,
        f"We discussed why {secret}.",
    )
    messages = socket_messages(
        url, http_login(url, "mentee"), "Mentee", f"show me the notes of {others[0].id}"
    )
    assert messages and not any(secret in m for m in messages)
    assert any("I only act on commands" in m for m in messages)
    summary = socket_messages(
        url, http_login(url, "mentee"), "Mentee", others[0].id, command="summary"
    )
    assert not any(secret in m for m in summary)
    # Their own notes menu (or none), whatever pair id the message names.
    assert any("To write a confidential note" in m or "Notes belong" in m for m in summary)


def test_a_pair_writes_a_note_and_sees_the_local_summary_stream(server, browser) -> None:
    from companion.matching import Matcher, MatchReview

    url, data = server
    workspace = Workspace(Settings(data_dir=data))
    mentee_id = Accounts(workspace.store).get("mentee").person_id
    if not any(
        m.status == Status.ACCEPTED and m.mentee_id == mentee_id
        for m in MatchLedger(workspace.settings.store_dir).matches().values()
    ):
        matcher = Matcher(workspace)
        mentor = next(p for p in matcher.people if p.role.mentors and p.id != mentee_id)
        MatchReview(matcher).override(
            mentee_id, mentor.id, by="test", reason="a pair for notes", force=True
        )
    before = set((data / "notes").rglob("*.note"))
    page = sign_in(browser, url, "mentee")
    page.get_by_text("Suggest mentors").first.wait_for(timeout=60_000)
    say(page, "notes on the roadmap review we did")  # free text never writes a note
    page.get_by_text("I only act on commands").wait_for(timeout=60_000)
    assert set((data / "notes").rglob("*.note")) == before
    page.get_by_role("button", name="note", exact=True).click()
    say(
        page,
        f"{CANARY}. I will send the draft deck by Friday. Next session we will discuss budgets.",
    )
    page.get_by_text("Saved to your notes with").wait_for(timeout=120_000)
    assert page.get_by_text("never stored in the chat history").count() >= 1
    assert page.get_by_text("local model draft (unchecked)").count() >= 1
    assert page.get_by_text("I will send the draft deck by Friday").count() >= 1
    assert page.get_by_text("Next session: budgets").count() >= 1
    page.wait_for_timeout(2000)  # let the thread store write what it writes
    page.close()


CANARY = "canary-4d1e the Halvorsen account moves to Oslo"


def test_no_note_text_reaches_the_thread_store_or_the_server_log(server) -> None:
    """After a browser session that wrote and summarised a note (the test above)."""
    url, data = server
    assert any((data / "notes").rglob("*.note")), "the note test ran first"
    stored = b"".join(p.read_bytes() for p in (data / "ui").glob("threads.sqlite*"))
    assert b"canary-4d1e" not in stored and b"Halvorsen" not in stored
    assert b"draft deck" not in stored  # the summary's text is not stored either
    log = (data.parent / "server.log").read_bytes()
    assert b"canary-4d1e" not in log and b"Halvorsen" not in log
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    loose = [p.name for p in data.rglob("*") if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []


def test_failed_sign_ins_lock_the_account_out_with_a_clear_message(server, browser) -> None:
    url, _ = server
    codes = []
    for password in ["wrong-one"] * 5 + [PASSWORD]:
        try:
            http_login(url, "locky", password)
            codes.append(200)
        except urllib.error.HTTPError as err:
            codes.append(err.code)
    assert codes == [401] * 5 + [429]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{url}/login")
    page.get_by_role("button", name="Sign In").wait_for(timeout=30_000)
    page.fill("#email", "locky")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.get_by_text("Too many failed sign-ins").first.wait_for(timeout=30_000)
    assert page.get_by_placeholder("Type your message here...").count() == 0
    page.close()


def test_a_signed_in_user_stays_fast_while_fifty_others_sign_in(server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    url, _ = server
    cookie = http_login(url, "cora")

    def me() -> float:
        start = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(f"{url}/user", headers={"Cookie": cookie}))
        return time.perf_counter() - start

    quiet = me()
    with ThreadPoolExecutor(50) as pool:
        crowd = [pool.submit(http_login, url, "crowd") for _ in range(50)]
        time.sleep(0.3)
        busy = [me() for _ in range(5)]
        assert all(f.result() for f in crowd)
    # Hashing on the event loop made this 12-17 s; off it, the reply stays well under that.
    print(f"GET /user: {quiet:.3f} s quiet; {', '.join(f'{b:.3f}' for b in busy)} s busy")
    assert max(busy) < 3.0, (quiet, busy)


def test_a_password_reset_ends_earlier_sessions_and_tokens_last_eight_hours(server) -> None:
    import base64
    import json

    url, data = server
    cookie = http_login(url, "resetme")
    token = cookie.split("access_token=")[1].split(";")[0]
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["exp"] - claims["iat"] == 8 * 3600

    def status(cookie: str) -> int:
        try:
            request = urllib.request.Request(f"{url}/user", headers={"Cookie": cookie})
            return urllib.request.urlopen(request).status
        except urllib.error.HTTPError as err:
            return err.code

    assert status(cookie) == 200
    time.sleep(1)
    Accounts(Workspace(Settings(data_dir=data)).store).reset("resetme", PASSWORD + "-new")
    time.sleep(6)  # the server re-reads accounts every 5 s
    assert status(cookie) == 401
    assert status(http_login(url, "resetme", PASSWORD + "-new")) == 200


def test_other_sites_and_uploads_are_refused(server) -> None:
    import socketio

    url, _ = server
    cookie = http_login(url, "cora")
    for headers in ({"Origin": "http://evil.example"}, {"Host": "rebind.evil.example"}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(
                urllib.request.Request(f"{url}/user", headers={"Cookie": cookie, **headers})
            )
        assert refused.value.code == 403
    preflight = urllib.request.Request(
        f"{url}/project/threads",
        method="OPTIONS",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(preflight)
    with pytest.raises(socketio.exceptions.ConnectionError):
        socket_messages(url, cookie, "Coordinator", None, origin="http://evil.example")
    upload = urllib.request.Request(
        f"{url}/project/file?session_id=x",
        data=b"--b\r\nContent-Disposition: form-data; name=file; filename=a.txt\r\n\r\nx\r\n--b--",
        headers={"Cookie": cookie, "Content-Type": "multipart/form-data; boundary=b"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(upload)
    assert refused.value.code == 403


def test_a_mentee_answers_a_due_check_in_and_logs_a_meeting(server, browser) -> None:
    """The demo's mentee2 is in a pair that has drifted, with a check-in waiting: it is
    asked at sign-in, by buttons; then a meeting is logged as people say it."""
    from companion.lifecycle import CheckIns, Meetings
    from companion.models import Profile, Viewer

    url, data = server
    workspace = Workspace(Settings(data_dir=data))
    person = Accounts(workspace.store).get("mentee2").person_id
    (due,) = CheckIns(workspace).due_for(person)
    page = sign_in(browser, url, "mentee2", "mentorkit-demo")
    page.get_by_text("check-in about your mentoring with").wait_for(timeout=60_000)
    page.get_by_text("Your mentor does not").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    page.get_by_role("button", name="4", exact=True).click(timeout=30_000)
    page.get_by_text("How much progress have you made").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    page.get_by_role("button", name="3", exact=True).last.click(timeout=30_000)
    page.get_by_role("button", name="Skip").wait_for(timeout=30_000)
    say(page, "we keep missing each other, but the last chat helped")
    page.get_by_text("your check-in is saved (value 4, progress 3)").wait_for(timeout=30_000)
    mine = CheckIns(workspace).visible(Viewer(role=Profile.COORDINATOR), due.match_id)
    assert any(c.person_id == person and c.due == due.due and "missing" in c.comment for c in mine)
    page.wait_for_timeout(1000)  # the message is in the store by now, if it were going to be
    threads = b"".join(p.read_bytes() for p in (data / "ui").glob("threads.sqlite*"))
    assert b"we keep missing each other" not in threads  # the coordinator's, not the chat's
    command(page, "meeting", "")
    for question, answer in (
        ("When was it?", "Yesterday"),
        ("How long did you meet?", "45 min"),
        ("And how did you meet?", "Video"),
    ):
        page.get_by_text(question).wait_for(timeout=60_000)
        page.wait_for_timeout(500)  # the message settles before its buttons take clicks
        page.get_by_role("button", name=answer).click(timeout=30_000)
    page.get_by_text("Logged: 45 minutes (video)").wait_for(timeout=30_000)
    page.screenshot(path=str(SCREENSHOTS / "meeting.png"))
    page.close()
    logged = Meetings(workspace).store.meetings(due.match_id)
    assert any(m.logged_by == person and m.minutes == 45 for m in logged)


def test_a_coordinator_sees_a_stalled_pair_with_its_reason_and_ends_it(server, browser) -> None:
    from companion.lifecycle import Health, HealthStatus

    url, data = server
    workspace = Workspace(Settings(data_dir=data))
    stalled = next(p for p in Health(workspace).pairs() if p.status == HealthStatus.STALLED)
    names = f"{stalled.mentee_name} & {stalled.mentor_name}"
    page = sign_in(browser, url, "cora")
    page.get_by_role("button", name="Programme health").click(timeout=60_000)
    page.get_by_text("Needing attention, worst first").wait_for(timeout=60_000)
    assert page.get_by_text(f"{names} (stalled)").count() >= 1
    page.get_by_text(stalled.reasons[0].text).first.wait_for(timeout=10_000)
    page.screenshot(path=str(SCREENSHOTS / "health.png"))
    page.get_by_role("button", name=f"Open {names}").click()
    page.get_by_text("Notes stay with the pair").wait_for(timeout=60_000)
    page.get_by_role("button", name=f"End {names}").click()
    page.get_by_text("Pick the outcome").wait_for(timeout=60_000)
    page.wait_for_timeout(500)  # the message settles before its buttons take clicks
    page.get_by_role("button", name="Not a good fit (no-fault)").click(timeout=60_000)
    page.get_by_text(f"Ended {names} (not-a-good-fit)").wait_for(timeout=60_000)
    page.close()
    match = MatchLedger(Settings(data_dir=data).store_dir).matches()[stalled.match.id]
    assert match.status == Status.ENDED and match.events[-1].actor == "cora"


def test_the_server_log_holds_no_warning_or_error(server) -> None:
    """Last in the module, after every test above has used the server: no data-layer
    complaint (a step or element that failed to save), no warning, no traceback."""
    import re

    _, data = server
    log = (data.parent / "server.log").read_text(errors="replace")
    bad = [
        line
        for line in log.splitlines()
        if re.search(r" - (WARNING|ERROR|CRITICAL) - |Traceback|SQLAlchemy|Data Layer", line)
    ]
    assert bad == [], "\n".join(bad[:20])


PLOTS = ("funnel", "meetings", "health", "checkins", "skills", "fairness", "comparison")


def test_the_outcomes_report_opens_offline_and_draws_every_plot(
    server, browser, tmp_path: Path
) -> None:
    _, data = server
    report = tmp_path / "report.html"
    env = {**os.environ, "MENTORKIT_DATA_DIR": str(data), "MENTORKIT_PROGRESS": "false",
           "MENTORKIT_EMBEDDING__BACKEND": "minilm"}  # fmt: skip
    subprocess.run([sys.executable, "-m", "companion.cli", "report", "--out", str(report)],
                   env=env, check=True, capture_output=True)  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    asked: list[str] = []

    def offline(route) -> None:  # only the file itself; any other request is refused
        asked.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", offline)
    page.goto(report.as_uri())
    for name in PLOTS:
        page.locator(f"#figure-{name} .main-svg").first.wait_for(timeout=30_000)
        assert page.locator(f"#figure-{name} .plot-container").count() == 1, name
    assert all(url.startswith("file:") for url in asked), asked
    assert page.get_by_text("Fairness of matching by department").count() == 1
    assert page.locator("li", has_text="participants").count() >= 1  # the comparison in words
    page.screenshot(path=str(SCREENSHOTS / "outcomes-report.png"), full_page=True)
    page.close()


def test_the_coordinator_outcomes_view_shows_the_plots_and_offers_the_report(
    server, browser
) -> None:
    import sqlite3

    url, data = server
    page = sign_in(browser, url, "cora")
    page.get_by_role("button", name="Outcomes").click(timeout=60_000)
    page.get_by_text("as of").first.wait_for(timeout=90_000)
    page.locator(".js-plotly-plot").nth(len(PLOTS) - 1).wait_for(timeout=120_000)
    assert page.locator(".js-plotly-plot").count() == len(PLOTS)
    page.wait_for_timeout(2000)  # the data layer writes after the message is shown
    with sqlite3.connect(data / "ui" / "threads.sqlite") as db:
        files = db.execute(
            'SELECT "name", "mime" FROM elements WHERE "type" = ? AND "name" LIKE ?',
            ("file", "outcomes-%.html"),
        ).fetchall()
    assert files, "the report is offered as a file in the thread"
    page.screenshot(path=str(SCREENSHOTS / "outcomes.png"))
    page.close()
