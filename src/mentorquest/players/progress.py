"""What a player needs to remember between choices, whatever keeps it (memory or the store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from mentorquest.engine import Attempt, AttemptResult, AttemptState


class Progress(Protocol):
    """Autosave and recall for one participant. Players call it; they never persist directly."""

    def survey_answers(self) -> dict[str, str | int]: ...
    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None: ...
    def saved_attempt(self, scenario_id: str) -> AttemptState | None: ...
    def save_attempt(self, state: AttemptState) -> None: ...
    def discard_attempt(self, scenario_id: str) -> None: ...
    def finish_attempt(self, attempt: Attempt) -> None: ...
    def best_results(self) -> dict[str, AttemptResult]: ...


@dataclass
class MemoryProgress:
    """Progress kept for the length of one run only."""

    answers: dict[str, str | int] = field(default_factory=dict)
    attempts: dict[str, AttemptState] = field(default_factory=dict)
    results: dict[str, AttemptResult] = field(default_factory=dict)
    finished: list[AttemptResult] = field(default_factory=list)

    def survey_answers(self) -> dict[str, str | int]:
        return dict(self.answers)

    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None:
        self.answers[question_id] = answer

    def saved_attempt(self, scenario_id: str) -> AttemptState | None:
        return self.attempts.get(scenario_id)

    def save_attempt(self, state: AttemptState) -> None:
        self.attempts[state.scenario_id] = state

    def discard_attempt(self, scenario_id: str) -> None:
        self.attempts.pop(scenario_id, None)

    def finish_attempt(self, attempt: Attempt) -> None:
        result = attempt.result()
        self.attempts.pop(result.scenario_id, None)
        self.finished.append(result)
        if result.practice:
            return
        best = self.results.get(result.scenario_id)
        if best is None or (result.passed, result.percent) > (best.passed, best.percent):
            self.results[result.scenario_id] = result

    def best_results(self) -> dict[str, AttemptResult]:
        return dict(self.results)
