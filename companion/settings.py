"""One nested Settings object, read from `MENTORKIT_*` environment variables.

Nested fields use a double underscore: `MENTORKIT_EMBEDDING__BATCH_SIZE=32`.
Settings are built once at the edge (the CLI, the UI) and passed in explicitly.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from companion.llm.gateway import LLMSettings
from retrieval import MatchRules, ScoreWeights

FLAT_LLM_VARIABLES = {
    "MENTORKIT_LLM_MODEL": "model",
    "MENTORKIT_LLM_API_BASE": "api_base",
    "MENTORKIT_LLM_API_KEY": "api_key",
    "MENTORKIT_LOCAL_LLM_MODEL": "local_model",
    "MENTORKIT_LOCAL_LLM_API_BASE": "local_api_base",
    "MENTORKIT_LOCAL_LLM_API_KEY": "local_api_key",
}


def default_data_dir() -> Path:
    """The per-user data folder: `$XDG_DATA_HOME/mentorkit`, else `~/.local/share/mentorkit`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mentorkit"


class EmbeddingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["minilm", "fake"] = Field(
        "minilm",
        description="Encoder: 'minilm' is the bundled all-MiniLM-L6-v2 (the product default); "
        "'fake' is a deterministic hashing encoder meant only for fast unit tests.",
    )
    batch_size: int = Field(64, ge=1, le=4096, description="Texts per encoder call.")
    cache: bool = Field(
        True, description="Keep a content-hash cache so unchanged text is never embedded twice."
    )


class ImportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list_separator: str = Field(
        ";", min_length=1, max_length=1, description="Separator of list fields in CSV cells."
    )
    max_bytes: int = Field(
        50_000_000,
        ge=1,
        description="Largest import file, in bytes; no more than one byte past it is ever "
        "read, so an endless file (/dev/zero) is refused too.",
    )
    max_depth: int = Field(
        10,
        ge=2,
        le=100,  # far below the ~1,000 levels at which Python's JSON parser would fail
        description="Deepest nesting of arrays and objects in a JSON import (a person in "
        "an array, with a list of skills, is 3 levels).",
    )
    max_digits: int = Field(
        20,
        ge=1,
        le=1000,  # below Python's 4,300-digit limit on converting text to int
        description="Most digits in a number of an import file; longer numbers are refused.",
    )


class DemoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    people: int = Field(300, ge=20, le=200_000, description="People in the demo organisation.")
    seed: int = Field(7, description="Seed of the demo generator: same seed, same organisation.")


class MatchingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weights: ScoreWeights = Field(
        default_factory=ScoreWeights, description="Weight of each score component."
    )
    rules: MatchRules = Field(
        default_factory=MatchRules, description="Hard constraints, each switchable."
    )
    similarity_floor: float = Field(
        0.4,
        ge=0.05,
        le=0.95,
        description="Cosine under which a wanted skill counts as uncovered by a mentor phrase.",
    )
    top: int = Field(5, ge=1, le=100, description="Suggestions shown per mentee.")
    request_pool: int = Field(
        10, ge=1, le=200, description="A mentee may request any of their best N suggestions."
    )
    gap_group_similarity: float = Field(
        0.4, ge=0.1, le=1.0, description="Cosine at which uncovered wanted skills group together."
    )


class UISettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    trusted_header: str | None = Field(
        None,
        description="Sign users in by this request header (e.g. X-Forwarded-User), set by an "
        "SSO proxy in front of mentorkit. Off by default: only enable it behind such a proxy.",
    )
    origins: list[str] = Field(
        default_factory=list,
        description="Origins the UI is served at (e.g. https://mentoring.example.org). "
        "Requests whose Origin or Host is another are refused (cross-site requests, "
        "websockets, DNS rebinding). `mentorkit serve` adds its own address.",
    )
    session_hours: float = Field(
        8.0, gt=0, le=24 * 30, description="How long a sign-in lasts before signing in again."
    )
    failed_signins_per_username: str = Field(
        "5/15 minutes",
        description="Failed sign-ins allowed per username in a moving window, then a lockout "
        "until the window moves on (syntax of the `limits` library).",
    )
    failed_signins_per_address: str = Field(
        "20/15 minutes", description="Failed sign-ins allowed per client address, likewise."
    )


class LifecycleSettings(BaseModel):
    """After the match: check-ins, health rules and reminders. Each health rule's threshold
    is here, so a programme can tune what counts as drifting."""

    model_config = ConfigDict(extra="forbid")

    checkin_first_day: int = Field(
        30, ge=1, le=365, description="Days after acceptance of the first check-in."
    )
    checkin_every_days: int = Field(
        30, ge=1, le=365, description="Days between check-ins after the first."
    )
    stalled_after_days: int = Field(
        21, ge=1, le=365, description="No meeting for this long: stalled."
    )
    goal_within_days: int = Field(
        14, ge=1, le=365, description="No confirmed goal this long after acceptance: at risk."
    )
    checkin_overdue_days: int = Field(
        14, ge=1, le=365, description="A check-in unanswered this long past due: at risk."
    )
    low_rating: int = Field(
        2, ge=1, le=5, description="A rating at or below this in the last check-in: at risk."
    )
    nudge_quiet_days: int = Field(
        14, ge=1, le=365, description="No meeting for this long: each member is nudged."
    )
    nudge_first_session_days: int = Field(
        7, ge=1, le=365, description="No first meeting this long after acceptance: nudged."
    )
    rating_gap: int = Field(
        2, ge=1, le=4, description="The members' ratings this far apart: at risk."
    )


class SmtpSettings(BaseModel):
    """Email for nudges. Off until `host` is set (MENTORKIT_SMTP__HOST)."""

    model_config = ConfigDict(extra="forbid")

    host: str | None = Field(None, description="SMTP server; unset: nudges stay in the app.")
    port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    user: str | None = Field(None, description="Login name, if the server wants one.")
    password: SecretStr | None = Field(None, description="Login password.")
    sender: str = Field(
        "mentorkit@localhost",
        validation_alias=AliasChoices("from", "sender"),
        description="The From address (MENTORKIT_SMTP__FROM).",
    )
    starttls: bool = Field(True, description="Upgrade the connection with STARTTLS.")
    ca_file: Path | None = Field(
        None, description="CA certificate(s) to trust for STARTTLS (an internal server's)."
    )
    timeout_seconds: float = Field(20, gt=0, le=300, description="Per connection.")


class Settings(BaseSettings):
    """Everything mentorkit can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="MENTORKIT_", env_nested_delimiter="__", extra="forbid"
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the store, the embedding cache and generated files live.",
    )
    progress: bool = Field(True, description="Show progress bars on stderr for long work.")
    embedding: EmbeddingSettings = Field(
        default_factory=EmbeddingSettings, description="Text-to-vector settings."
    )
    imports: ImportSettings = Field(
        default_factory=ImportSettings, description="Import file settings."
    )
    demo: DemoSettings = Field(
        default_factory=DemoSettings, description="Demo organisation settings."
    )
    matching: MatchingSettings = Field(
        default_factory=MatchingSettings, description="Matching weights, rules and limits."
    )
    llm: LLMSettings = Field(
        default_factory=LLMSettings, description="Chat models: general and local (confidential)."
    )
    ui: UISettings = Field(default_factory=UISettings, description="The chat UI.")
    lifecycle: LifecycleSettings = Field(
        default_factory=LifecycleSettings, description="Check-ins, health rules, reminders."
    )
    smtp: SmtpSettings = Field(default_factory=SmtpSettings, description="Email for nudges.")
    today: dt.date | None = Field(
        None,
        description="The date mentorkit takes as today (pace, due check-ins, health). Default: "
        "the system's date; set it to replay or test a programme on a fixed day.",
    )
    notes_key: SecretStr | None = Field(
        None, description="Key for confidential notes (Fernet, base64); default: a key file."
    )
    notes_key_file: Path | None = Field(
        None,
        description="File holding the notes key, which may live outside the data dir (never "
        "created; `mentorkit notes keygen FILE` makes one). Default: keys/notes.key in the "
        "data dir, created on first use.",
    )

    @model_validator(mode="before")
    @classmethod
    def _flat_llm_names(cls, data: Any) -> Any:
        """MENTORKIT_LLM_MODEL, MENTORKIT_LOCAL_LLM_MODEL and friends, the documented short
        names, fill the nested `llm` settings where those are not given."""
        if not isinstance(data, dict):
            return data
        llm = dict(data.get("llm") or {})
        for env, field in FLAT_LLM_VARIABLES.items():
            if env in os.environ and field not in llm:
                llm[field] = os.environ[env]
        if llm:
            data = {**data, "llm": llm}
        return data

    def current_date(self) -> dt.date:
        """Today, as mentorkit sees it: `today` if set, else the system's date."""
        return self.today or dt.date.today()

    def current_time(self) -> dt.datetime:
        """Now, in UTC, on `current_date()` (events are stamped with it)."""
        now = dt.datetime.now(dt.UTC)
        return now if self.today is None else dt.datetime.combine(self.today, now.timetz())

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def notes_dir(self) -> Path:
        return self.data_dir / "notes"

    @property
    def cache_path(self) -> Path:
        return self.data_dir / "cache" / "embeddings.sqlite"
