"""The domain model: people taking part in a programme, and the programme itself."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from companion.emails import checked_email
from companion.plain_text import refusal

# email-validator's verdict, as pydantic's EmailStr gives it (companion/emails.py)
Email = Annotated[str, AfterValidator(checked_email), Field(json_schema_extra={"format": "email"})]
_ID_CHARACTERS = re.compile(r"[A-Za-z0-9._-]+")
MAX_PHRASES = 50  # per list: each phrase is embedded, so a list of 20,000 would stall an import
EMAIL_LOCAL_MAX = 64  # RFC 5321, 4.5.3.1.1: the part before the @
EMAIL_MAX = 254  # RFC 5321's 256-octet path, less its angle brackets


# Rows read back from the store were valid when written, perhaps under older rules: the
# rules on hostile text below guard what comes in, and never make stored people unreadable.
STORED = {"stored": True}


def _stored(info: ValidationInfo) -> bool:
    return bool((info.context or {}).get("stored"))


def _safe_id(value: str, info: ValidationInfo) -> str:
    """An id is used in file names and on command lines: it cannot pass for a folder or an
    option, and holds only ASCII letters, digits, '.', '_' and '-'."""
    if _stored(info):
        return value
    if not _ID_CHARACTERS.fullmatch(value):
        raise ValueError("an id may hold only ASCII letters, digits, '.', '_' and '-'")
    if value.startswith("."):
        raise ValueError("an id may not start with '.' ('.' and '..' name folders)")
    if value.startswith("-"):
        raise ValueError("an id may not start with '-' (it would read as a command-line option)")
    return value


def _single_line(value: str, info: ValidationInfo) -> str:
    if not _stored(info) and (why := refusal(value)):
        raise ValueError(why)
    return value


def _multi_line(value: str, info: ValidationInfo) -> str:
    if not _stored(info) and (why := refusal(value, multiline=True)):
        raise ValueError(why)
    return value


PersonId = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_safe_id),
]
LIST_FIELDS = ("languages", "skills_offered", "skills_wanted", "exclude")
# Every text field is one of these two (see companion.plain_text for what each refuses).
Text = Annotated[str, AfterValidator(_single_line)]
FreeText = Annotated[str, AfterValidator(_multi_line)]
Phrase = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_single_line),
]


class Profile(StrEnum):
    """The capacity in which someone acts, one name everywhere: an account's roles, a chat
    profile, a notes viewer, a ledger event's actor and the CLI's --role."""

    MENTEE = "mentee"
    MENTOR = "mentor"
    COORDINATOR = "coordinator"


class Role(StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    BOTH = "both"

    @property
    def mentors(self) -> bool:
        return self in (Role.MENTOR, Role.BOTH)

    @property
    def mentees(self) -> bool:
        return self in (Role.MENTEE, Role.BOTH)


@lru_cache(maxsize=1)
def _known_timezones() -> frozenset[str]:
    import zoneinfo

    return frozenset(zoneinfo.available_timezones())


def _dedupe(phrases: list[str]) -> list[str]:
    """Keep the first spelling of each phrase, compared case-insensitively."""
    seen: set[str] = set()
    kept = []
    for phrase in phrases:
        key = phrase.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(phrase)
    return kept


class Person(BaseModel):
    """Someone in the programme: a mentee, a mentor, or both.

    Text fields refuse control and bidirectional characters; only the free text of
    `goals` and `bio` may hold tabs and line breaks. Ids are unique ignoring case (an
    import checks that across rows and against the store).
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: PersonId = Field(description="Stable identifier, unique in the organisation.")
    name: Text = Field(min_length=1, max_length=200, description="Full name.")
    email: Email = Field(description="Work email address.")
    role: Role = Field(description="mentee, mentor or both.")
    title: Text = Field("", max_length=200, description="Job title.")
    department: Text = Field("", max_length=200, description="Department.")
    team: Text = Field("", max_length=200, description="Team within the department.")
    manager_id: PersonId | None = Field(None, description="Id of this person's line manager.")
    seniority: int = Field(ge=1, le=5, description="1 (entry) to 5 (executive).")
    location: Text = Field("", max_length=200, description="Office or city.")
    timezone: str = Field("UTC", description="IANA time zone, e.g. Europe/London.")
    languages: list[Phrase] = Field(
        default_factory=list, max_length=MAX_PHRASES, description="Languages spoken."
    )
    skills_offered: list[Phrase] = Field(
        default_factory=list,
        max_length=MAX_PHRASES,
        description="Short phrases: what this person can teach.",
    )
    skills_wanted: list[Phrase] = Field(
        default_factory=list,
        max_length=MAX_PHRASES,
        description="Short phrases: what this person wants to learn.",
    )
    goals: FreeText = Field("", max_length=2000, description="What a mentee wants to grow toward.")
    bio: FreeText = Field("", max_length=4000, description="What a mentor has done.")
    capacity: int = Field(2, ge=0, le=50, description="How many mentees a mentor takes.")
    track: Text | None = Field(None, max_length=100, description="Optional programme track.")
    exclude: list[PersonId] = Field(
        default_factory=list,
        max_length=1000,
        description="Ids this person must never be paired with.",
    )

    @field_validator("seniority", "capacity", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a whole number is needed, not true or false")
        return value

    @field_validator("role", mode="before")
    @classmethod
    def _role_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value  # "Mentee" is fine

    @field_validator("email", mode="before")
    @classmethod
    def _rfc_lengths(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not _stored(info):
            address = value.strip()
            local = address.rpartition("@")[0]
            if len(local) > EMAIL_LOCAL_MAX:
                raise ValueError(
                    f"the part before '@' has {len(local)} characters; "
                    f"RFC 5321 allows at most {EMAIL_LOCAL_MAX}"
                )
            if len(address) > EMAIL_MAX:
                raise ValueError(
                    f"the address has {len(address)} characters; RFC 5321 allows at most "
                    f"{EMAIL_MAX}"
                )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if value not in _known_timezones():
            raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London")
        return value

    @field_validator("languages", "skills_offered", "skills_wanted", "exclude")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return _dedupe(values)

    @field_validator("track")
    @classmethod
    def _blank_track_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("manager_id")
    @classmethod
    def _not_own_manager(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("id"):
            raise ValueError("a person cannot be their own manager")
        return value

    @field_validator("exclude")
    @classmethod
    def _not_excluding_self(cls, values: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("id") in values:
            raise ValueError("a person cannot exclude themselves")
        return values

    @property
    def offer_text(self) -> str:
        """What a mentor brings, as one text: title and bio."""
        return ". ".join(part for part in (self.title, self.bio) if part)

    @property
    def goals_text(self) -> str:
        """What a mentee is after, as one text: goals, else the skills they want."""
        return self.goals or "; ".join(self.skills_wanted)


class Programme(BaseModel):
    """A mentoring programme: its name, its dates and how often pairs should meet."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text = Field(min_length=1, max_length=200, description="Programme name.")
    start_date: dt.date = Field(description="First day of the programme.")
    end_date: dt.date = Field(description="Last day of the programme.")
    min_meetings: int = Field(3, ge=1, le=100, description="Meetings each pair should hold.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Programme:
        if self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")
        return self


class Viewer(BaseModel):
    """Who is asking: a person (mentee or mentor) or a coordinator. Every read of
    something not public checks it where the data is read."""

    person_id: str | None = None
    role: Profile
