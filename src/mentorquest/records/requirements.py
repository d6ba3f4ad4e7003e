"""What a participant still needs for a completion record, and their best attempt per scenario.

The quest map asks these on every view, so this module imports neither pydantic nor
SQLAlchemy (`build`, which makes the record itself, re-exports both functions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorquest.language.library import Library
    from mentorquest.store.types import FinishedAttempt


def best_attempts(attempts: Sequence[FinishedAttempt]) -> dict[str, FinishedAttempt]:
    """Per scenario, the best counted attempt: passed first, then percent, then earliest."""
    best: dict[str, FinishedAttempt] = {}
    for attempt in attempts:
        if attempt.practice:
            continue
        found = best.get(attempt.scenario_id)
        if found is None or (attempt.result.passed, attempt.result.percent) > (
            found.result.passed,
            found.result.percent,
        ):
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
