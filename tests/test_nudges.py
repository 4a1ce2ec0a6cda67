"""Nudges: made once per occasion, shown in the app, emailed through a real SMTP server
(aiosmtpd on 127.0.0.1, STARTTLS with a certificate made here); a refusing or absent
server leaves them pending, and the next run sends each exactly once."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from companion.cli import app
from companion.lifecycle import Meetings, Nudges
from companion.settings import Settings, SmtpSettings
from companion.workspace import Workspace
from tests.conftest import PROGRAMME_START

START = PROGRAMME_START


def days(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


class Inbox:
    """What the server received; `refuse` makes it answer 550 to every recipient."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 Message accepted"


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp.pem", folder / "smtp.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[Inbox, SmtpSettings]]:
    cert_file, key_file = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        yield inbox, SmtpSettings(host="127.0.0.1", port=port, sender="programme@example.com",
                                  ca_file=cert_file, timeout_seconds=5)  # fmt: skip
    finally:
        controller.stop()


def at(day: int, smtp: SmtpSettings | None = None) -> Workspace:
    return Workspace(Settings(today=days(day), smtp=smtp or SmtpSettings()))


def test_nudges_are_made_once_per_occasion_and_shown_in_the_app(programme: str) -> None:
    assert Nudges(at(6)).plan() == []
    first = Nudges(at(7)).send()
    assert {(n.person_id, n.kind) for n in first.planned} == {
        ("ben", "first-session"),
        ("ada", "first-session"),
    }
    assert "Ada Okafor" in next(n.text for n in first.planned if n.person_id == "ben")
    assert Nudges(at(7)).send().planned == []  # the same day again: nothing new
    assert Nudges(at(9)).send().planned == []  # the same occasion later: nothing new
    inbox = Nudges(at(8)).inbox("ben")
    assert [n.kind for n in inbox] == ["first-session"]
    with pytest.raises(ValueError, match="not a member"):
        Nudges(at(8)).mark_shown("cy", [inbox[0].id])
    Nudges(at(8)).mark_shown("ben", [inbox[0].id])
    assert Nudges(at(8)).inbox("ben") == []
    Meetings(at(10)).log(programme, days(10), 30, "ben")
    kinds = {(n.person_id, n.kind) for n in Nudges(at(31)).send().planned}
    assert kinds == {(p, k) for p in ("ben", "ada") for k in ("no-meeting", "checkin-due")}


def test_email_goes_over_starttls_exactly_once(
    programme: str, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    report = Nudges(at(7, settings)).send()
    assert len(report.emailed) == 2 and report.failed == {}
    assert sorted(to for tos, _ in inbox.messages for to in tos) == [
        "ada@example.com",
        "ben@example.com",
    ]
    assert "Subject: Book your first mentoring meeting" in inbox.messages[0][1]
    again = Nudges(at(8, settings)).send()
    assert again.emailed == [] and len(inbox.messages) == 2


def test_a_refusing_or_absent_server_keeps_nudges_pending_until_one_accepts(
    programme: str, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    inbox.refuse = True
    refused = Nudges(at(7, settings)).send()
    assert refused.emailed == [] and len(refused.failed) == 2
    assert all("550" in error for error in refused.failed.values())
    absent = settings.model_copy(update={"port": _free_port()})
    down = Nudges(at(7, absent)).send()
    assert len(down.failed) == 2 and down.planned == []
    pending = Nudges(at(7)).all()
    assert all(n.emailed_at is None and n.attempts == 2 for n in pending)
    inbox.refuse = False
    sent = Nudges(at(8, settings)).send()
    assert len(sent.emailed) == 2 and len(inbox.messages) == 2
    assert Nudges(at(9, settings)).send().emailed == []


def test_a_server_whose_certificate_is_not_trusted_is_not_sent_to(
    programme: str, smtp: tuple[Inbox, SmtpSettings]
) -> None:
    inbox, settings = smtp
    untrusted = settings.model_copy(update={"ca_file": None})
    report = Nudges(at(7, untrusted)).send()
    assert len(report.failed) == 2 and inbox.messages == []
    assert all("SSL" in e or "certificate" in e for e in report.failed.values())


def test_nudges_send_from_the_command_line_is_idempotent(programme: str) -> None:
    runner = CliRunner()
    dry = runner.invoke(app, ["nudges", "send", "--dry-run", "--today", days(7).isoformat()])
    assert dry.exit_code == 0 and "Would make 2 new nudges" in dry.stdout
    assert "Email is off" in dry.stdout
    first = runner.invoke(app, ["nudges", "send", "--today", days(7).isoformat()])
    assert "Made 2 new nudges" in first.stdout and "to Ben Tran (first-session)" in first.stdout
    second = runner.invoke(app, ["nudges", "send", "--today", days(7).isoformat()])
    assert "Made 0 new nudges" in second.stdout and "Nothing new is due" in second.stdout


def test_reminders_overtaken_by_events_are_withdrawn(programme: str) -> None:
    from companion.lifecycle import Endings
    from companion.models import Profile

    Nudges(at(7)).send()
    Meetings(at(8)).log(programme, days(8), 30, "ben")
    assert Nudges(at(9)).inbox("ben") == []  # they met since: no "book your first meeting"
    Nudges(at(30, None)).send()
    assert sorted(n.kind for n in Nudges(at(30)).inbox("ada")) == ["checkin-due", "no-meeting"]
    Endings(at(31)).end(programme, "ben", Profile.MENTEE, "schedule or workload")
    kinds = [n.kind for n in Nudges(at(31)).inbox("ada")]
    assert kinds == ["pair-ended"]  # no "book a meeting"; the day-30 check-in gave way
    told = Nudges(at(31)).inbox("ada")[0].text
    assert "with Ben Tran has ended (schedule or workload); Ben Tran ended it" in told
    closing = Nudges(at(32)).send().planned
    assert {(n.person_id, n.occasion) for n in closing} == {("ben", "closing"), ("ada", "closing")}
    Nudges(at(40)).send()  # made "on day 40": not shown before that day
    assert all(n.created_on <= days(33) for n in Nudges(at(33)).inbox("ben"))
