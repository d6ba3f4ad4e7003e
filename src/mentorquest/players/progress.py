"""What a player needs to remember, whatever keeps it (memory, or the store).

Players (the line player, the Textual app) call these protocols; they never persist
anything themselves. `mentorquest.store` provides the durable implementation; the
in-memory one here serves tests and runs that keep nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from mentorquest.records.requirements import better

if TYPE_CHECKING:
    from mentorquest.engine import Attempt, AttemptResult, AttemptState


class Participant(NamedTuple):
    id: str
    name: str
    role: str
    email: str | None = None


def answers_at(
    answers: Mapping[tuple[str, str], str | int], stage: str | None
) -> dict[str, str | int]:
    """(stage, question id) -> answer, as question id -> answer at one stage (or all of them,
    in the programme's order of stages)."""
    from mentorquest.language.format import SURVEY_STAGES

    if stage is not None:
        return {qid: answer for (at, qid), answer in answers.items() if at == stage}
    order = {name: index for index, name in enumerate(SURVEY_STAGES)}
    ranked = sorted(answers.items(), key=lambda item: order.get(item[0][0], len(order)))
    return {qid: answer for (_stage, qid), answer in ranked}


class CompletionSummary(NamedTuple):
    """What a player shows when onboarding is complete."""

    record_id: str
    stored_at: str
    stars: int
    badges: tuple[str, ...]


class Progress(Protocol):
    """Autosave and recall for one participant in one programme."""

    participant: Participant

    def survey_answers(self, stage: str | None = None) -> dict[str, str | int]:
        """Question id -> answer at `stage` (before, after, midpoint, closeout); without a
        stage, the answers of every stage, a later stage's answer to the same question last."""
        ...

    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None:
        """Keep an answer given at stage `part`."""
        ...

    def saved_attempt(self, scenario_id: str) -> AttemptState | str | None:
        """The attempt saved at a scenario (as a state, or the JSON text it was saved as)."""
        ...

    def in_progress(self) -> set[str]:
        """The scenarios with a saved, unfinished attempt."""
        ...

    def save_attempt(self, state: AttemptState) -> None: ...
    def discard_attempt(self, scenario_id: str) -> None: ...
    def set_aside(self, scenario_id: str, reason: str) -> None:
        """Keep a saved attempt that cannot be resumed out of the way (never delete it)."""
        ...

    def finish_attempt(self, attempt: Attempt) -> None: ...
    def best_results(self) -> dict[str, AttemptResult]: ...
    def complete(self) -> CompletionSummary | None:
        """Write the completion record if every requirement is met (else None)."""
        ...

    def export_record(self, path: Path) -> Path:
        """Write the signed completion record to a file for the coordinator."""
        ...

    def close(self) -> None:
        """The player is done with this journey (a seat it holds is given back)."""
        ...


class ProgressProvider(Protocol):
    """Opens progress for participants; lists those known (the profile picker)."""

    def participants(self) -> list[Participant]: ...
    def returning(self) -> list[Participant]:
        """The participants who have begun this programme here (to continue where they left
        off): not those known only from another programme sharing the store."""
        ...

    def open(self, participant: Participant, *, take_over: bool = False) -> Progress:
        """Progress for `participant`, holding their journey for this player (SeatTaken if
        another player holds it; `take_over` takes it from them)."""
        ...


@dataclass
class MemoryProgress:
    """Progress kept for the length of one run only (no completion record is written)."""

    participant: Participant = field(
        default_factory=lambda: Participant(id="anonymous", name="Anonymous", role="")
    )
    answers: dict[tuple[str, str], str | int] = field(default_factory=dict)
    attempts: dict[str, AttemptState] = field(default_factory=dict)
    results: dict[str, AttemptResult] = field(default_factory=dict)
    finished: list[AttemptResult] = field(default_factory=list)

    def survey_answers(self, stage: str | None = None) -> dict[str, str | int]:
        return answers_at(self.answers, stage)

    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None:
        self.answers[(part, question_id)] = answer

    def saved_attempt(self, scenario_id: str) -> AttemptState | None:
        return self.attempts.get(scenario_id)

    def in_progress(self) -> set[str]:
        return set(self.attempts)

    def save_attempt(self, state: AttemptState) -> None:
        self.attempts[state.scenario_id] = state

    def discard_attempt(self, scenario_id: str) -> None:
        self.attempts.pop(scenario_id, None)

    def set_aside(self, scenario_id: str, reason: str) -> None:
        self.attempts.pop(scenario_id, None)

    def close(self) -> None:
        pass

    def finish_attempt(self, attempt: Attempt) -> None:
        result = attempt.result()
        self.attempts.pop(result.scenario_id, None)
        self.finished.append(result)
        if result.practice:
            return
        best = self.results.get(result.scenario_id)
        if best is None or better(result, best):
            self.results[result.scenario_id] = result

    def best_results(self) -> dict[str, AttemptResult]:
        return dict(self.results)

    def complete(self) -> CompletionSummary | None:
        return None

    def export_record(self, path: Path) -> Path:
        from mentorquest.errors import UsageError

        raise UsageError("this session keeps no records; play with a store to get one")


@dataclass
class MemoryProvider:
    """A ProgressProvider that keeps everything in memory (tests, and play without a store)."""

    known: dict[str, MemoryProgress] = field(default_factory=dict)

    def participants(self) -> list[Participant]:
        return [p.participant for p in self.known.values()]

    def returning(self) -> list[Participant]:
        return self.participants()  # memory holds one programme's run

    def open(self, participant: Participant, *, take_over: bool = False) -> MemoryProgress:
        found = self.known.get(participant.id)
        if found is None:
            found = self.known[participant.id] = MemoryProgress(participant=participant)
        return found
