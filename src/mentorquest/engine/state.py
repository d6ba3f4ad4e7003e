"""An attempt's state: its path of decisions, versioned and JSON-serialisable.

An attempt is its move list, as a chess game is: what is kept is the scenario it is at
(its id and content hash), where it started, and each decision taken (the scene, the
choice and when). The scene it has reached, its variables, scores and visited scenes are
never saved: the engine replays the path to know them, on every resume and at the end,
so an edited save cannot claim a scene or a score that its decisions do not give.

A saved state names the save format it was written in. Format 1 (mentorquest 0.1) also
kept the replayed values; they are read and ignored, and its path is replayed like any.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from mentorquest import shapes
from mentorquest.shapes import Declared
from mentorquest.shapes import ShapeError as StateFormatError

__all__ = [
    "MIN_LOADABLE_SAVE_FORMAT",
    "SAVE_FORMAT",
    "AttemptState",
    "StateFormatError",
    "Step",
    "utc_now",
]

SAVE_FORMAT = 2
MIN_LOADABLE_SAVE_FORMAT = 1

Input = Literal["terminal", "scripted"]


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True, kw_only=True)
class Step(Declared):
    """One decision: the scene it was made in, the choice taken, and when (UTC)."""

    scene: str
    choice: str
    at: str | None = None  # None only in saves from mentorquest 0.1, which kept no times


def _new_attempt_id() -> str:
    return str(uuid.uuid4())


@dataclass(slots=True, kw_only=True)
class AttemptState(Declared):
    """One attempt at one scenario, as saved and restored: where it started, its path.

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
    # The order the choices of each scene are shown in: None for the file's own order.
    seed: int | None = None
    # How the decisions were made: at a terminal, or read from scripted input.
    input: Input = "terminal"
    path: list[Step] = field(default_factory=list)

    def to_json(self) -> str:
        return shapes.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptState:
        """Read a saved state of any loadable format; StateFormatError names what is wrong."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise StateFormatError(f"AttemptState: not valid JSON ({error})") from None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttemptState:
        if (
            isinstance(data, Mapping)
            and data.get("save_format", 1).__class__ is int
            and data.get("save_format", 1) == 1
        ):
            from mentorquest.engine.state_v1 import AttemptStateV1  # only for old saves

            old = shapes.from_data(AttemptStateV1, data, "AttemptState")
            return cls(  # from here on, a state of the current format
                attempt_id=old.attempt_id,
                scenario_id=old.scenario_id,
                content_hash=old.content_hash,
                practice=old.practice,
                started_at=old.started_at,
                finished_at=old.finished_at,
                origin_scene=old.origin_scene,
                origin_variables=dict(old.origin_variables),
                path=[Step(scene=s.scene, choice=s.choice) for s in old.path],
            )
        return shapes.from_data(cls, data)
