"""Typed results of play: what every face (line player, Textual app, JSON, exports) renders."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OfferedChoice(_Result):
    """A choice available now, with the number a player types for it (1-based)."""

    number: int
    id: str
    text: str


class ChoiceOutcome(_Result):
    """What happened when a choice was made."""

    scene: str
    choice: str
    text: str
    feedback: str | None
    scores: dict[str, int]
    critical: str | None
    next_scene: str
    ending: str | None


class RuleScore(_Result):
    rule: str
    earned: int
    best: int


class AttemptResult(_Result):
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


class Alternative(_Result):
    id: str
    text: str
    feedback: str | None


class DebriefEntry(_Result):
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


class Debrief(_Result):
    result: AttemptResult
    entries: tuple[DebriefEntry, ...]
