"""What a participant still needs for a completion record, and their best attempt per scenario.

The record's own rules, which the journey asks on every view of the quest map: this module
imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorquest.engine.results import AttemptResult
    from mentorquest.language.format import SurveyQuestion
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
    answers: Mapping[tuple[str, str], str | int],
) -> list[str]:
    """What still stands between the participant and a record, in words (empty: done).

    `answers` maps (stage, question id) to the answer given at that stage."""
    if not library.required_for(role):
        return [f"the programme requires no scenario of a {role}: no onboarding to complete"]
    best = best_attempts(attempts)
    missing = [
        f"scenario '{sid}' not passed"
        for sid in library.required_for(role)
        if not (sid in best and best[sid].result.passed)
    ]
    missing += [
        f"survey question '{q.id}' ({stage}) not answered"
        for stage, q in required_questions(library)
        if (stage, q.id) not in answers
    ]
    return missing


def required_questions(library: Library) -> list[tuple[str, SurveyQuestion]]:
    """The survey questions onboarding needs answered: (stage, question), before then after."""
    survey = library.programme.survey
    return [
        (stage, q) for stage in ("before", "after") for q in survey.stage(stage) if not q.optional
    ]
