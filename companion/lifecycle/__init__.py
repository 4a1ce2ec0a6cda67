"""After the match: meetings, check-ins, programme health, endings and re-matching."""

from companion.lifecycle.checkins import CheckIns, DueCheckIn, who_sees
from companion.lifecycle.ending import Endings, parse_outcome
from companion.lifecycle.health import Health, PairHealth, parse_status
from companion.lifecycle.meetings import LifecycleError, Meetings, PairPace
from companion.lifecycle.models import (
    CheckIn,
    HealthStatus,
    Meeting,
    MeetingMode,
    Outcome,
    Pace,
    Sentiment,
)
from companion.lifecycle.nudges import Nudge, Nudges

__all__ = [
    "CheckIn",
    "CheckIns",
    "DueCheckIn",
    "Endings",
    "Health",
    "HealthStatus",
    "LifecycleError",
    "Meeting",
    "MeetingMode",
    "Meetings",
    "Nudge",
    "Nudges",
    "Outcome",
    "Pace",
    "PairHealth",
    "PairPace",
    "Sentiment",
    "parse_outcome",
    "parse_status",
    "who_sees",
]
