"""Nudges: a short message to one member of a pair, worded from a template in prompts/
(check-in due, no meeting for a while, first meeting not yet held, or a coordinator's).

Each nudge has an id made of what it is about (kind, pair, person and the occasion: which
check-in, since which meeting), so planning the same day twice finds nothing new. A nudge
is shown in the companion at the person's next visit, and emailed when SMTP is set: an
email that fails stays pending with its error and is tried again on the next run; one
that went is marked sent at once and never sent again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import lancedb
import pyarrow as pa
from pydantic import BaseModel

from companion.guides import GuideLibrary, GuideLink, Topic, audiences_for, link_for
from companion.lance import open_table, upsert_rows
from companion.lifecycle.checkins import CheckIns
from companion.lifecycle.meetings import Meetings, member_of, pair_of
from companion.matching.ledger import Match, Status
from companion.models import Profile
from companion.settings import SmtpSettings
from prompts import render

if TYPE_CHECKING:
    from companion.workspace import Workspace

NUDGES = "nudges"
_SCHEMA = pa.schema([("id", pa.string()), ("person_id", pa.string()), ("data", pa.string())])
Kind = Literal["checkin-due", "no-meeting", "first-session", "coordinator", "pair-ended"]
SUBJECTS = {
    "checkin-due": "Your mentoring check-in is due",
    "no-meeting": "Time to book your next mentoring meeting",
    "first-session": "Book your first mentoring meeting",
    "coordinator": "A note from your mentoring coordinator",
    "pair-ended": "Your mentoring relationship has ended",
}


GUIDED: dict[str, Topic] = {"no-meeting": Topic.RESTART, "coordinator": Topic.RESTART}
TEMPLATES = {
    "checkin-due": "nudge_checkin_due",
    "no-meeting": "nudge_no_meeting",
    "first-session": "nudge_first_session",
    "coordinator": "nudge_from_coordinator",
    "pair-ended": "nudge_pair_ended",
}


class Nudge(BaseModel):
    id: str
    person_id: str
    match_id: str
    kind: Kind
    occasion: str
    text: str
    created_on: dt.date
    shown_at: dt.datetime | None = None
    emailed_at: dt.datetime | None = None
    attempts: int = 0
    last_error: str = ""
    guide: GuideLink | None = None  # the library's section that helps, when one does

    @property
    def email_pending(self) -> bool:
        return self.emailed_at is None


class DeliveryReport(BaseModel):
    planned: list[Nudge]
    emailed: list[str] = []
    failed: dict[str, str] = {}
    email: bool = False  # whether SMTP is configured


def _id(kind: str, match_id: str, person_id: str, occasion: str) -> str:
    key = f"{kind}|{match_id}|{person_id}|{occasion}"
    return "nu-" + hashlib.sha256(key.encode()).hexdigest()[:12]


class Nudges:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.rules = workspace.settings.lifecycle
        self.today = workspace.settings.current_date()
        self._db = lancedb.connect(str(workspace.settings.store_dir))
        self._links: dict[tuple[Topic, Profile], GuideLink | None] = {}

    # the store

    def all(self) -> list[Nudge]:
        table = open_table(self._db, NUDGES)
        rows = [] if table is None else table.to_arrow().to_pylist()
        return sorted((Nudge.model_validate_json(r["data"]) for r in rows), key=lambda n: n.id)

    def _save(self, nudges: list[Nudge]) -> None:
        if nudges:
            rows = [{"id": n.id, "person_id": n.person_id, "data": n.model_dump_json()}
                    for n in nudges]  # fmt: skip
            upsert_rows(self._db, NUDGES, "id", pa.Table.from_pylist(rows, schema=_SCHEMA))

    # what is due

    def _make(self, match: Match, person: str, kind: Kind, occasion: str, **values) -> Nudge:
        names = self.names
        other = match.mentor_id if person == match.mentee_id else match.mentee_id
        first = names.get(person, person).split()[0]
        text = render(
            TEMPLATES[kind],
            first_name=first,
            other_name=names.get(other, other),
            **{k: str(v) for k, v in values.items()},
        )
        role = Profile.MENTEE if person == match.mentee_id else Profile.MENTOR
        guide = self._guide(GUIDED[kind], role) if kind in GUIDED else None
        if guide is not None:
            text += f"\n\nFrom your programme's guides: {guide.label()}."
        return Nudge(
            guide=guide,
            id=_id(kind, match.id, person, occasion),
            person_id=person,
            match_id=match.id,
            kind=kind,
            occasion=occasion,
            text=text,
            created_on=self.today,
        )

    def _guide(self, topic: Topic, role: Profile) -> GuideLink | None:
        key = (topic, role)
        if key not in self._links:
            self._links[key] = link_for(GuideLibrary(self.workspace), topic, audiences_for([role]))
        return self._links[key]

    def plan(self) -> list[Nudge]:
        """Nudges due today that were never made before."""
        known = {n.id for n in self.all()}
        meetings, checkins = self._meetings, self._checkins
        found: list[Nudge] = []
        for match in self.workspace.ledger.matches().values():
            if match.status not in (Status.ACCEPTED, Status.ENDED) or match.accepted_on is None:
                continue
            for person in (match.mentee_id, match.mentor_id):
                due = checkins.due(match, person)
                if due is not None:  # an ended pair's closing check-in too
                    found.append(self._make(match, person, "checkin-due", due.due,
                                            cycle=due.due.replace("day-", "day ")))  # fmt: skip
            if match.status != Status.ACCEPTED:
                continue
            pace = meetings.pace(match)
            for person in (match.mentee_id, match.mentor_id):
                since = pace.last_meeting or match.accepted_on
                quiet = (self.today - since).days
                if pace.last_meeting is None and quiet >= self.rules.nudge_first_session_days:
                    found.append(self._make(match, person, "first-session", "first", days=quiet))
                elif pace.last_meeting and quiet >= self.rules.nudge_quiet_days:
                    occasion = f"since-{pace.last_meeting.isoformat()}"
                    found.append(self._make(match, person, "no-meeting", occasion, days=quiet))
        return [n for n in found if n.id not in known]

    def from_coordinator(self, match_id: str, reason: str) -> list[Nudge]:
        """A coordinator's nudge to both members (once per pair per day)."""
        match = pair_of(self.workspace, match_id, Status.ACCEPTED)
        made = [
            self._make(match, person, "coordinator", self.today.isoformat(), reason=reason)
            for person in (match.mentee_id, match.mentor_id)
        ]
        known = {n.id for n in self.all()}
        new = [n for n in made if n.id not in known]
        self._save(new)
        return new

    def pair_ended(self, match: Match, by: str, outcome: str) -> None:
        """Tell the member(s) who did not end the pair that it has ended, and why."""
        who = self.names.get(by, "your programme coordinator")
        made = [
            self._make(match, person, "pair-ended", "ended", outcome=outcome, who=who)
            for person in (match.mentee_id, match.mentor_id)
            if person != by
        ]
        self._save(made)

    # delivery

    @cached_property
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.workspace.store.people()}

    @cached_property
    def _meetings(self) -> Meetings:
        return Meetings(self.workspace)

    @cached_property
    def _checkins(self) -> CheckIns:
        return CheckIns(self.workspace)

    def inbox(self, person_id: str) -> list[Nudge]:
        """Nudges this person has not seen in the companion yet and that are still true."""
        mine = [n for n in self.all() if n.person_id == person_id and n.shown_at is None]
        matches = self.workspace.ledger.matches()
        return [n for n in mine if self.still_true(n, matches)]

    def still_true(self, nudge: Nudge, matches: dict[str, Match]) -> bool:
        """A nudge overtaken by events is withdrawn, never shown or sent: the check-in was
        answered, a meeting was logged since, the pair ended; or it was made for a day
        still to come (`--today` in the future)."""
        if nudge.created_on > self.today:
            return False
        match = matches.get(nudge.match_id)
        if match is None:
            return False
        if nudge.kind == "checkin-due":
            due = self._checkins.due(match, nudge.person_id)
            return due is not None and due.due == nudge.occasion
        if nudge.kind == "pair-ended":
            return True
        if match.status != Status.ACCEPTED:
            return False
        if nudge.kind in ("no-meeting", "first-session"):
            last = self._meetings.pace(match).last_meeting
            return last is None or nudge.occasion == f"since-{last.isoformat()}"
        return True

    def mark_shown(self, person_id: str, nudge_ids: list[str]) -> None:
        now = self.workspace.settings.current_time()
        mine = [n for n in self.all() if n.id in nudge_ids]
        for nudge in mine:
            member_of(pair_of(self.workspace, nudge.match_id), person_id)
            nudge.shown_at = now
        self._save(mine)

    def send(self, dry_run: bool = False) -> DeliveryReport:
        """Make today's nudges, then email every pending one (when SMTP is set)."""
        planned = self.plan()
        smtp = self.workspace.settings.smtp
        report = DeliveryReport(planned=planned, email=smtp.host is not None)
        if dry_run:
            return report
        self._save(planned)
        if smtp.host is None:
            return report
        emails = {p.id: p.email for p in self.workspace.store.people()}
        matches = self.workspace.ledger.matches()
        pending = [n for n in self.all() if n.email_pending and self.still_true(n, matches)]
        for nudge in pending:
            nudge.attempts += 1
            try:
                deliver(smtp, emails.get(nudge.person_id, ""), SUBJECTS[nudge.kind], nudge.text)
            except (OSError, smtplib.SMTPException, ValueError) as err:
                nudge.last_error = f"{type(err).__name__}: {err}"[:300]
                report.failed[nudge.id] = nudge.last_error
            else:
                nudge.emailed_at = self.workspace.settings.current_time()
                nudge.last_error = ""
                report.emailed.append(nudge.id)
            self._save([nudge])  # each outcome kept at once: never sent twice, never lost
        return report


def deliver(smtp: SmtpSettings, to: str, subject: str, text: str) -> None:
    """Send one plain-text email; raises on any refusal."""
    if not to or "@" not in to:
        raise ValueError(f"no email address ({to!r})")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = smtp.sender, to, subject
    message.set_content(text + "\n\n-- mentorkit, your mentoring companion\n")
    assert smtp.host is not None
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as client:
        if smtp.starttls:
            context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
            client.starttls(context=context)
        if smtp.user:
            password = smtp.password.get_secret_value() if smtp.password else ""
            client.login(smtp.user, password)
        client.send_message(message)
