"""An attempt's state: a plain, versioned, JSON-serialisable record, apart from the scenario.

The scenario is immutable; everything that changes while playing lives here. A saved
state names the save format it was written in and the content hash of the scenario it
belongs to, so restoring it against a changed scenario is detected, never silently wrong.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from mentorquest.language.models import Scenario

SAVE_FORMAT = 1
MIN_LOADABLE_SAVE_FORMAT = 1


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def content_hash(scenario: Scenario) -> str:
    """A stable fingerprint of what a scenario says (not how its file is laid out)."""
    canonical = json.dumps(
        scenario.model_dump(mode="json", by_alias=True),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    scene: str
    choice: str


class AttemptState(BaseModel):
    """Everything about one attempt at one scenario, as saved and restored."""

    model_config = ConfigDict(extra="forbid")

    save_format: int = SAVE_FORMAT
    attempt_id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    scenario_id: str
    content_hash: str
    practice: bool = False
    started_at: str = Field(default_factory=utc_now)
    finished_at: str | None = None
    origin_scene: str
    origin_variables: dict[str, int]
    scene: str
    variables: dict[str, int]
    visited: list[str]
    path: list[Step] = Field(default_factory=list)
    scores: dict[str, int] = Field(default_factory=dict)
    critical: list[str] = Field(default_factory=list)

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptState:
        return cls.model_validate_json(text)
