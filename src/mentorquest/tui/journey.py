"""Where a participant stands in the journey, read from their progress (no scoring here).

The app asks these questions to decide which screen comes next and what the quest map
says; the answers come from the engine's results and the Progress protocol.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from mentorquest.engine.rewards import stars
from mentorquest.language.runtime import Library, SurveyQuestion
from mentorquest.players.progress import Progress

if TYPE_CHECKING:
    from mentorquest.engine import AttemptResult


class Status(Enum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    PASSED = "passed"
    RETRY = "needs another try"


class QuestEntry(NamedTuple):
    """One line of the quest map."""

    scenario_id: str
    title: str
    status: Status
    stars: int
    best_percent: int | None
    minutes: int | None
    required: bool


def survey_done(questions: list[SurveyQuestion], answers: dict[str, str | int]) -> bool:
    """Every required question answered; a survey of optional questions only counts as
    done once one of them is answered (the app also remembers a skip for its session)."""
    if not questions:
        return True
    if any(q.id not in answers for q in questions if not q.optional):
        return False
    return any(q.id in answers for q in questions)


def status_of(progress: Progress, scenario_id: str, best: AttemptResult | None) -> Status:
    if best is not None and best.passed:
        return Status.PASSED
    if progress.saved_attempt(scenario_id) is not None:
        return Status.IN_PROGRESS
    if best is not None:
        return Status.RETRY
    return Status.NOT_STARTED


def quest_entries(library: Library, progress: Progress, role: str) -> list[QuestEntry]:
    """The required scenarios for the role in programme order, then the optional ones."""
    best = progress.best_results()
    out = []
    required = library.required_for(role)
    for scenario_id in [*required, *library.optional_for(role)]:
        scenario = library.scenarios.get(scenario_id)
        if scenario is None:
            continue
        result = best.get(scenario_id)
        out.append(
            QuestEntry(
                scenario_id=scenario_id,
                title=scenario.title,
                status=status_of(progress, scenario_id, result),
                stars=stars(result),
                best_percent=result.percent if result is not None else None,
                minutes=scenario.minutes,
                required=scenario_id in required,
            )
        )
    return out


def all_required_passed(library: Library, progress: Progress, role: str) -> bool:
    best = progress.best_results()
    return all(
        (r := best.get(sid)) is not None and r.passed for sid in library.required_for(role)
    )


def scenario_in_progress(library: Library, progress: Progress, role: str) -> str | None:
    """The first scenario (programme order) with a saved, unfinished attempt."""
    for scenario_id in [*library.required_for(role), *library.optional_for(role)]:
        if scenario_id in library.scenarios and progress.saved_attempt(scenario_id) is not None:
            return scenario_id
    return None


def star_text(count: int) -> str:
    """Stars as symbols and in words, so nothing depends on the glyphs alone."""
    return "★" * count + "☆" * (3 - count) + f" {count} of 3 stars"
