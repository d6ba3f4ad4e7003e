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
from typing import TYPE_CHECKING, Any

from mentorquest.engine import jsonshape as shape
from mentorquest.engine.jsonshape import StateFormatError

if TYPE_CHECKING:
    pass

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

    @classmethod
    def from_dict(cls, data: Any, where: str = "Step") -> Step:
        return shape.read_object(cls, data, where, _STEP_FIELDS)


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
        return shape.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptState:
        """Read a saved state; anything malformed raises StateFormatError naming the field."""
        return cls.from_dict(shape.parse(text, "AttemptState"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], where: str = "AttemptState") -> AttemptState:
        return shape.read_object(cls, data, where, _STATE_FIELDS)


_STEP_FIELDS: dict[str, shape.Reader] = {"scene": shape.string, "choice": shape.string}

_STATE_FIELDS: dict[str, shape.Reader] = {
    "save_format": shape.integer,
    "attempt_id": shape.string,
    "scenario_id": shape.string,
    "content_hash": shape.string,
    "practice": shape.boolean,
    "started_at": shape.string,
    "finished_at": shape.optional(shape.string),
    "origin_scene": shape.string,
    "origin_variables": shape.table(shape.integer),
    "scene": shape.string,
    "variables": shape.table(shape.integer),
    "visited": shape.list_of(shape.string),
    "path": shape.list_of(Step.from_dict),
    "scores": shape.table(shape.integer),
    "critical": shape.list_of(shape.string),
}
