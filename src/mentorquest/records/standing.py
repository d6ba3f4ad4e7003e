"""Where each participant stands: what they passed, what is in progress, what is missing.

Shared by `records list`, `records export --include-incomplete` and the report, so that a
participant is described the same way everywhere. A programme's requirements (each
role's required scenarios, the survey questions onboarding needs) come from its library
(`Programmes`); for a programme the coordinator has no library of, a completed
participant's record still says what was required, and an incomplete one is described
by what they did, with a note saying what would tell more.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from mentorquest.records.requirements import best_attempts

if TYPE_CHECKING:
    from mentorquest.engine import Engine
    from mentorquest.language.format import Programme, SurveyQuestion
    from mentorquest.language.library import Library
    from mentorquest.records.outgoing import Outgoing
    from mentorquest.store import FinishedAttempt

PASSED = "passed"
NOT_PASSED = "not passed"
IN_PROGRESS = "in progress"
NOT_STARTED = "not started"


class ProgrammeInfo(NamedTuple):
    """What the coordinator knows of a programme from its library (None: no library)."""

    id: str
    library: Library | None
    # The library's engine, shared by everything an export replays (its analyses are
    # loaded once, not once per attempt).
    engine: Engine | None = None

    @property
    def programme(self) -> Programme | None:
        return self.library.programme if self.library is not None else None

    def title_of(self, scenario_id: str, fallback: str | None = None) -> str:
        if self.library is not None and scenario_id in self.library.scenarios:
            return self.library.scenarios[scenario_id].title
        return fallback or scenario_id

    def question(self, stage: str, question_id: str) -> SurveyQuestion | None:
        programme = self.programme
        if programme is None:
            return None
        return next((q for q in programme.survey.stage(stage) if q.id == question_id), None)

    def kind(self, stage: str, question_id: str, answer: str | int) -> str:
        """text or scale, as the library declares the question; for a question it does not
        know, by the answer (a number is a scale answer, anything else free text)."""
        found = self.question(stage, question_id)
        if found is not None:
            return found.kind
        return "scale" if isinstance(answer, int) else "text"


class Programmes:
    """The programmes' libraries the coordinator gave (usually one, or none)."""

    def __init__(self, libraries: Iterable[Library] = ()) -> None:
        self.libraries = {lib.programme.id: lib for lib in libraries}
        # One each, made when first asked for (an export asks once per survey answer).
        self._infos: dict[str, ProgrammeInfo] = {}

    def info(self, programme_id: str) -> ProgrammeInfo:
        found = self._infos.get(programme_id)
        if found is not None:
            return found
        library = self.libraries.get(programme_id)
        if library is None:
            found = ProgrammeInfo(programme_id, None)
        else:
            from mentorquest.engine import Engine

            found = ProgrammeInfo(programme_id, library, Engine(library))
        self._infos[programme_id] = found
        return found

    def kind(self, programme_id: str, stage: str, question_id: str, answer: str | int) -> str:
        """text or scale, for `outgoing.participants` (free text is left out unless asked)."""
        return self.info(programme_id).kind(stage, question_id, answer)


class ScenarioStanding(NamedTuple):
    scenario_id: str
    title: str
    status: str  # passed | not passed | in progress | not started
    attempts: int  # counted, finished attempts
    best: FinishedAttempt | None  # the best finished attempt the store holds


class Standing(NamedTuple):
    completed: bool
    completed_at: str | None
    scenarios: tuple[ScenarioStanding, ...]  # the required ones (or, unknown, those played)
    missing: tuple[str, ...]  # in words: what stands between them and a record
    requirements_known: bool
    started: bool  # anything done: an attempt (finished or not) or a survey answer

    @property
    def passed(self) -> int:
        return sum(1 for s in self.scenarios if s.status == PASSED)

    @property
    def status(self) -> str:
        """completed, in progress (started without a record) or not started."""
        if self.completed:
            return "completed"
        return IN_PROGRESS if self.started else NOT_STARTED


def standing(bundle: Outgoing, info: ProgrammeInfo) -> Standing:
    """Where `bundle`'s participant stands in its programme."""
    best = best_attempts(bundle.attempts)
    counts: dict[str, int] = {}
    for attempt in bundle.attempts:
        counts[attempt.scenario_id] = counts.get(attempt.scenario_id, 0) + 1
    going = {a.scenario_id for a in bundle.in_progress}
    record = bundle.record
    if record is not None:
        scenarios = tuple(
            ScenarioStanding(
                s.scenario_id,
                info.title_of(s.scenario_id, s.title),  # the library's word, when given
                PASSED if s.passed else NOT_PASSED,
                max(s.attempts, counts.get(s.scenario_id, 0)),
                best.get(s.scenario_id),
            )
            for s in record.scenarios
        )
        return Standing(True, record.completed_at, scenarios, (), True, True)
    library = info.library
    role = bundle.person.role
    if library is not None and role in library.programme.roles:
        required = library.required_for(role)
        known = True
    else:
        required = sorted(set(best) | going)
        known = False
    scenarios = tuple(
        ScenarioStanding(
            sid,
            info.title_of(sid),
            _status(best.get(sid), sid in going),
            counts.get(sid, 0),
            best.get(sid),
        )
        for sid in required
    )
    missing = [f"scenario '{s.scenario_id}' {s.status}" for s in scenarios if s.status != PASSED]
    if known:
        from mentorquest.records.requirements import required_questions

        assert library is not None
        missing += [
            f"survey question '{q.id}' ({stage}) not answered"
            for stage, q in required_questions(library)
            if (stage, q.id) not in bundle.answered
        ]
    elif library is None:
        missing.append(
            f"requirements not known: give --library with programme '{bundle.programme_id}'"
        )
    else:
        missing.append(f"requirements not known: role '{role}' is not in the programme")
    started = bool(bundle.attempts or bundle.in_progress or bundle.answered)
    return Standing(False, None, scenarios, tuple(missing), known, started)


def _status(best: FinishedAttempt | None, going: bool) -> str:
    if best is not None and best.result.passed:
        return PASSED
    if going:
        return IN_PROGRESS
    if best is not None:
        return NOT_PASSED
    return NOT_STARTED
