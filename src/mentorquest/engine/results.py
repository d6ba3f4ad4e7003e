"""Typed results of play: what every face (line player, Textual app, JSON, exports) renders.

Results and debriefs are kept as JSON in user databases: the field order of each class is
the order of its saved JSON, so keep it. They are read one at a time by `shapes`, and a
cohort's attempts in bulk by pydantic's validator over the same declarations (`Declared`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mentorquest import shapes
from mentorquest.shapes import Declared


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
class RuleScore(Declared):
    rule: str
    earned: int
    best: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptResult(Declared):
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
        return shapes.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> AttemptResult:
        """Read a saved result; anything malformed raises StateFormatError naming the field."""
        return shapes.from_json(cls, text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Alternative(Declared):
    id: str
    text: str
    feedback: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DebriefEntry(Declared):
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Debrief(Declared):
    result: AttemptResult
    entries: tuple[DebriefEntry, ...]

    def to_json(self) -> str:
        return shapes.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> Debrief:
        """Read a saved debrief; anything malformed raises StateFormatError naming the field."""
        return shapes.from_json(cls, text)
