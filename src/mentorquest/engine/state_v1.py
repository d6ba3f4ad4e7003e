"""Saved attempts of format 1, as mentorquest 0.1 saved them: read only, and only when
such a save is read (`AttemptState.from_dict` turns them into the current format)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class StepV1:
    scene: str
    choice: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptStateV1:
    save_format: int = 1
    attempt_id: str
    scenario_id: str
    content_hash: str
    practice: bool = False
    started_at: str
    finished_at: str | None = None
    origin_scene: str
    origin_variables: dict[str, int]
    # Replayed values 0.1 kept; read for the format's sake, never trusted.
    scene: str
    variables: dict[str, int]
    visited: list[str]
    path: list[StepV1] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    critical: list[str] = field(default_factory=list)
