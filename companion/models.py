"""The domain model: people taking part in a programme, and the programme itself."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from functools import lru_cache
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

PersonId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$"
    ),
]
LIST_FIELDS = ("languages", "skills_offered", "skills_wanted", "exclude")
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


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
    """Someone in the programme: a mentee, a mentor, or both."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: PersonId = Field(description="Stable identifier, unique in the organisation.")
    name: str = Field(min_length=1, max_length=200, description="Full name.")
    email: EmailStr = Field(description="Work email address.")
    role: Role = Field(description="mentee, mentor or both.")
    title: str = Field("", max_length=200, description="Job title.")
    department: str = Field("", max_length=200, description="Department.")
    team: str = Field("", max_length=200, description="Team within the department.")
    manager_id: PersonId | None = Field(None, description="Id of this person's line manager.")
    seniority: int = Field(ge=1, le=5, description="1 (entry) to 5 (executive).")
    location: str = Field("", max_length=200, description="Office or city.")
    timezone: str = Field("UTC", description="IANA time zone, e.g. Europe/London.")
    languages: list[Phrase] = Field(default_factory=list, description="Languages spoken.")
    skills_offered: list[Phrase] = Field(
        default_factory=list, description="Short phrases: what this person can teach."
    )
    skills_wanted: list[Phrase] = Field(
        default_factory=list, description="Short phrases: what this person wants to learn."
    )
    goals: str = Field("", max_length=2000, description="What a mentee wants to grow toward.")
    bio: str = Field("", max_length=4000, description="What a mentor has done.")
    capacity: int = Field(2, ge=0, le=50, description="How many mentees a mentor takes.")
    track: str | None = Field(None, max_length=100, description="Optional programme track.")
    exclude: list[PersonId] = Field(
        default_factory=list, description="Ids this person must never be paired with."
    )

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

    name: str = Field(min_length=1, max_length=200, description="Programme name.")
    start_date: dt.date = Field(description="First day of the programme.")
    end_date: dt.date = Field(description="Last day of the programme.")
    min_meetings: int = Field(3, ge=1, le=100, description="Meetings each pair should hold.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Programme:
        if self.end_date <= self.start_date:
            raise ValueError("end_date must be after start_date")
        return self
