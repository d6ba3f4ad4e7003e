"""What both faces of the store share: its values, its error, its version, its default file.

The full `Store` (SQLAlchemy) and the light `SQLiteSession` (stdlib sqlite3) hand out the
same `Profile` and `FinishedAttempt` and write the same timestamps, so this module must
import neither SQLAlchemy nor pydantic: a play session loads it without either.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from mentorquest import locations
from mentorquest.errors import MentorquestError

if TYPE_CHECKING:
    from mentorquest.engine import AttemptResult, Debrief

# The newest schema; `schema` describes it and `migrations` reach it.
SCHEMA_VERSION = 2

DEFAULT_FILE = "mentorquest.db"
BUSY_TIMEOUT_MS = 60_000


class StoreError(MentorquestError):
    """The store cannot be opened or used (bad URL, unreachable server, unreadable file)."""


def default_url() -> str:
    return f"sqlite:///{locations.data_dir() / DEFAULT_FILE}"


class Profile(NamedTuple):
    id: str
    name: str
    role: str
    email: str | None = None


class FinishedAttempt(NamedTuple):
    attempt_id: str
    participant_id: str
    programme_id: str
    scenario_id: str
    content_hash: str
    practice: bool
    started_at: str
    finished_at: str
    duration_s: float
    result: AttemptResult
    debrief: Debrief


def seconds_between(start: str, end: str) -> float:
    a = datetime.fromisoformat(start.replace("Z", "+00:00"))
    b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    return max(0.0, (b - a).total_seconds())


def now_stamp() -> str:
    """The store's own timestamps (saved_at, stored_at, ...): UTC, milliseconds, 'Z'."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
