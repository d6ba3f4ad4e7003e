"""An attempt's state: a plain, versioned, JSON-serialisable record, apart from the scenario.

The scenario is immutable; everything that changes while playing lives here. A saved
state names the save format it was written in and the content hash of the scenario it
belongs to, so restoring it against a changed scenario is detected, never silently wrong.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mentorquest import shapes
from mentorquest.shapes import ShapeError as StateFormatError

__all__ = [
    "MIN_LOADABLE_SAVE_FORMAT",
    "SAVE_FORMAT",
    "AttemptState",
    "StateFormatError",
    "Step",
    "utc_now",
]

SAVE_FORMAT = 1
MIN_LOADABLE_SAVE_FORMAT = 1


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    scene: str
    choice: str


def _new_attempt_id() -> str:
    return str(uuid.uuid4())


@dataclass(slots=True, kw_only=True)
class AttemptState:
    """Everything about one attempt at one scenario, as saved and restored.

    The field order is the order of the saved JSON; keep it.
    """

    save_format: int = SAVE_FORMAT
    attempt_id: str = field(default_factory=_new_attempt_id)
    scenario_id: str
    content_hash: str
    practice: bool = False
    started_at: str = field(default_factory=utc_now)
    finished_at: str | None = None
    origin_scene: str
    origin_variables: dict[str, int]
    scene: str
    variables: dict[str, int]
    visited: list[str]
    path: list[Step] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    critical: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return shapes.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptState:
        """Read a saved state; anything malformed raises StateFormatError naming the field."""
        return shapes.from_json(cls, text)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttemptState:
        return shapes.from_data(cls, data)
