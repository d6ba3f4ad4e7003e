"""What a participant still needs for a completion record, and their best attempt per scenario.

The record's own rules, which the journey asks on every view of the quest map: this module
imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorquest.engine.results import AttemptResult
    from mentorquest.language.library import Library
    from mentorquest.store import FinishedAttempt


def better(result: AttemptResult, than: AttemptResult) -> bool:
    """Does `result` beat `than` as a scenario's best: passed first, then percent?"""
    return (result.passed, result.percent) > (than.passed, than.percent)


def best_attempts(attempts: Sequence[FinishedAttempt]) -> dict[str, FinishedAttempt]:
    """Per scenario, the best counted attempt: passed first, then percent, then earliest."""
    best: dict[str, FinishedAttempt] = {}
    for attempt in attempts:
        if attempt.practice:
            continue
        found = best.get(attempt.scenario_id)
        if found is None or better(attempt.result, found.result):
            best[attempt.scenario_id] = attempt
    return best


def missing_requirements(
    library: Library,
    role: str,
    attempts: Sequence[FinishedAttempt],
    answers: Mapping[str, tuple[str, str | int]],
) -> list[str]:
    """What still stands between the participant and a record, in words (empty: done)."""
    best = best_attempts(attempts)
    missing = [
        f"scenario '{sid}' not passed"
        for sid in library.required_for(role)
        if not (sid in best and best[sid].result.passed)
    ]
    survey = library.programme.survey
    missing += [
        f"survey question '{q.id}' not answered"
        for q in [*survey.before, *survey.after]
        if not q.optional and q.id not in answers
    ]
    return missing
