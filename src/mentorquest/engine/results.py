"""Typed results of play: what every face (line player, Textual app, JSON, exports) renders.

Results and debriefs are kept as JSON in user databases: the field order of each class is
the order of its saved JSON, so keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentorquest.engine import jsonshape as shape


@dataclass(frozen=True, slots=True, kw_only=True)
class OfferedChoice:
    """A choice available now, with the number a player types for it (1-based)."""

    number: int
    id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ChoiceOutcome:
    """What happened when a choice was made."""

    scene: str
    choice: str
    text: str
    feedback: str | None
    scores: dict[str, int]
    critical: str | None
    next_scene: str
    ending: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleScore:
    rule: str
    earned: int
    best: int

    @classmethod
    def from_dict(cls, data: Any, where: str = "RuleScore") -> RuleScore:
        return shape.read_object(cls, data, where, _RULE_SCORE_FIELDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptResult:
    scenario_id: str
    ending: str
    ending_kind: str
    percent: int
    passed: bool
    pass_mark: int
    critical: tuple[str, ...]
    scores: tuple[RuleScore, ...]
    earned_total: int
    best_total: int
    path: tuple[tuple[str, str], ...]
    practice: bool

    @property
    def reason(self) -> str:
        """Why the attempt passed or not, in words."""
        if self.critical:
            return "a serious breach of " + ", ".join(self.critical)
        if self.percent < self.pass_mark:
            return f"{self.percent}% is below the pass mark of {self.pass_mark}%"
        return f"{self.percent}% meets the pass mark of {self.pass_mark}%"

    def score(self, rule: str) -> RuleScore | None:
        return next((s for s in self.scores if s.rule == rule), None)

    def to_json(self) -> str:
        return shape.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptResult:
        """Read a saved result; anything malformed raises StateFormatError naming the field."""
        return cls.from_dict(shape.parse(text, "AttemptResult"))

    @classmethod
    def from_dict(cls, data: Any, where: str = "AttemptResult") -> AttemptResult:
        return shape.read_object(cls, data, where, _ATTEMPT_RESULT_FIELDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Alternative:
    id: str
    text: str
    feedback: str | None

    @classmethod
    def from_dict(cls, data: Any, where: str = "Alternative") -> Alternative:
        return shape.read_object(cls, data, where, _ALTERNATIVE_FIELDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefEntry:
    step: int
    scene: str
    speaker: str | None
    choice: str
    text: str
    feedback: str | None
    scores: dict[str, int]
    critical: str | None
    was_best: bool
    better: Alternative | None

    @classmethod
    def from_dict(cls, data: Any, where: str = "DebriefEntry") -> DebriefEntry:
        return shape.read_object(cls, data, where, _DEBRIEF_ENTRY_FIELDS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Debrief:
    result: AttemptResult
    entries: tuple[DebriefEntry, ...]

    def to_json(self) -> str:
        return shape.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Debrief:
        """Read a saved debrief; anything malformed raises StateFormatError naming the field."""
        return cls.from_dict(shape.parse(text, "Debrief"))

    @classmethod
    def from_dict(cls, data: Any, where: str = "Debrief") -> Debrief:
        return shape.read_object(cls, data, where, _DEBRIEF_FIELDS)


_optional_text = shape.optional(shape.string)

_RULE_SCORE_FIELDS: dict[str, shape.Reader] = {
    "rule": shape.string,
    "earned": shape.integer,
    "best": shape.integer,
}

_ATTEMPT_RESULT_FIELDS: dict[str, shape.Reader] = {
    "scenario_id": shape.string,
    "ending": shape.string,
    "ending_kind": shape.string,
    "percent": shape.integer,
    "passed": shape.boolean,
    "pass_mark": shape.integer,
    "critical": shape.tuple_of(shape.string),
    "scores": shape.tuple_of(RuleScore.from_dict),
    "earned_total": shape.integer,
    "best_total": shape.integer,
    "path": shape.tuple_of(shape.pair(shape.string, shape.string)),
    "practice": shape.boolean,
}

_ALTERNATIVE_FIELDS: dict[str, shape.Reader] = {
    "id": shape.string,
    "text": shape.string,
    "feedback": _optional_text,
}

_DEBRIEF_ENTRY_FIELDS: dict[str, shape.Reader] = {
    "step": shape.integer,
    "scene": shape.string,
    "speaker": _optional_text,
    "choice": shape.string,
    "text": shape.string,
    "feedback": _optional_text,
    "scores": shape.table(shape.integer),
    "critical": _optional_text,
    "was_best": shape.boolean,
    "better": shape.optional(Alternative.from_dict),
}

_DEBRIEF_FIELDS: dict[str, shape.Reader] = {
    "result": AttemptResult.from_dict,
    "entries": shape.tuple_of(DebriefEntry.from_dict),
}
