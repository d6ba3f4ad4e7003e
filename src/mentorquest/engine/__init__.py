"""The story engine: attempts, scoring and debriefs over a loaded library.

Wrap a `Library` in an `Engine`, start or restore an `Attempt`, ask it for the scene and
the choices, call `choose`, and read its `result()` and `debrief()`. Never imports
textual or rich (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mentorquest.errors import LibraryError, StateMismatch, UsageError
from mentorquest.language.suggest import did_you_mean
from mentorquest.lazy import lazy_exports
from mentorquest.textsafe import clip

if TYPE_CHECKING:
    # What __getattr__ below hands out, declared for type checkers.
    from mentorquest.engine.analysis import ScenarioAnalysis as ScenarioAnalysis
    from mentorquest.engine.attempt import Attempt as Attempt
    from mentorquest.engine.attempt import PathError as PathError
    from mentorquest.engine.attempt import percent_of as percent_of
    from mentorquest.engine.results import AttemptResult as AttemptResult
    from mentorquest.engine.results import ChoiceOutcome as ChoiceOutcome
    from mentorquest.engine.results import Debrief as Debrief
    from mentorquest.engine.results import DebriefEntry as DebriefEntry
    from mentorquest.engine.results import OfferedChoice as OfferedChoice
    from mentorquest.engine.results import RuleScore as RuleScore
    from mentorquest.engine.state import AttemptState as AttemptState
    from mentorquest.engine.state import StateFormatError as StateFormatError
    from mentorquest.language.library import Library

# The parts are imported on first use: a player shows its first screen before it needs
# any of them, and start-up time is part of the experience.
_EXPORTS = {
    "Attempt": "attempt",
    "PathError": "attempt",
    "percent_of": "attempt",
    "AttemptResult": "results",
    "ChoiceOutcome": "results",
    "Debrief": "results",
    "DebriefEntry": "results",
    "OfferedChoice": "results",
    "RuleScore": "results",
    "ScenarioAnalysis": "analysis",
    "AttemptState": "state",
    "StateFormatError": "state",
}

__all__ = sorted([*_EXPORTS, "Engine"])


__getattr__ = lazy_exports(__name__, _EXPORTS)


class Engine:
    """A library ready for play; analyses are computed once per scenario, on first use."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._analyses: dict[str, ScenarioAnalysis] = {}

    def analysis(self, scenario_id: str) -> ScenarioAnalysis:
        """The scenario's analysis (kept in the cache from one start to the next).

        A scenario the validator refuses (too many states, no ending, nothing to score)
        cannot be played: LibraryError, with the validator's message.
        """
        found = self._analyses.get(scenario_id)
        if found is None:
            from mentorquest.engine.cache import analysis_of

            self.library.scenario(scenario_id)  # a clear error for an unknown id
            found = self._analyses[scenario_id] = analysis_of(self.library, scenario_id)
        if found.errors:
            raise LibraryError(
                f"scenario '{scenario_id}' cannot be played: {found.errors[0].message}",
                tuple(found.errors),
            )
        return found

    def content_hash(self, scenario_id: str) -> str:
        return self.library.content_hash(scenario_id)

    def start(
        self,
        scenario_id: str,
        *,
        scene: str | None = None,
        variables: Mapping[str, int] | None = None,
        practice: bool | None = None,
        seed: int | None = None,
        input_kind: str = "terminal",
    ) -> Attempt:
        """Start an attempt; starting at another scene or with preset variables is practice.

        With a `seed`, each scene's choices are shown in an order of the attempt's own; the
        `input_kind` says how the player makes decisions ("terminal" or "scripted").
        """
        from mentorquest.engine.attempt import Attempt, initial_state

        scenario = self.library.scenario(scenario_id)
        if scene is not None and scene not in scenario.scenes:
            raise UsageError(
                f"scenario '{clip(scenario_id)}' has no scene '{clip(scene)}'"
                f"{did_you_mean(scene, scenario.scenes)}"
            )
        for name in variables or {}:
            if name not in scenario.variables:
                raise UsageError(
                    f"scenario '{clip(scenario_id)}' has no variable '{clip(name)}'"
                    f"{did_you_mean(name, scenario.variables)}"
                )
        is_practice = bool(scene or variables) if practice is None else practice
        state = initial_state(
            scenario,
            self.content_hash(scenario_id),
            scene=scene,
            variables=variables,
            practice=is_practice,
            seed=seed,
        )
        state.input = "scripted" if input_kind == "scripted" else "terminal"
        return Attempt(self.library, scenario, self.analysis(scenario_id), state)

    def restore(self, saved: AttemptState | str | bytes | Mapping[str, Any]) -> Attempt:
        """Resume a saved attempt by replaying its path.

        A state that cannot be read, belongs to another or a changed scenario, or whose path
        does not replay (PathError) raises StateMismatch saying why.
        """
        from mentorquest.engine.attempt import Attempt, PathError
        from mentorquest.engine.state import (
            MIN_LOADABLE_SAVE_FORMAT,
            SAVE_FORMAT,
            AttemptState,
            StateFormatError,
        )

        try:
            if isinstance(saved, AttemptState):
                state = saved
            elif isinstance(saved, (str, bytes)):
                state = AttemptState.from_json(saved)
            else:
                state = AttemptState.from_dict(saved)
        except StateFormatError as error:  # also covers text that is not JSON at all
            raise StateMismatch(f"the saved attempt cannot be read: {error}") from None
        if not MIN_LOADABLE_SAVE_FORMAT <= state.save_format <= SAVE_FORMAT:
            raise StateMismatch(
                f"the saved attempt uses save format {state.save_format}; this version of "
                f"mentorquest reads formats {MIN_LOADABLE_SAVE_FORMAT} to {SAVE_FORMAT}"
            )
        scenario = self.library.scenarios.get(state.scenario_id)
        if scenario is None:
            raise StateMismatch(
                f"the saved attempt is for scenario '{state.scenario_id}', "
                "which this library does not have"
            )
        current = self.content_hash(scenario.id)
        if state.content_hash != current:
            if state.content_hash != self.library.earlier_hash(scenario.id):
                raise StateMismatch(
                    f"scenario '{scenario.id}' has changed since this attempt was saved; "
                    "it cannot be resumed and must be started again"
                )
            state = replace(state, content_hash=current)
        try:
            return Attempt(self.library, scenario, self.analysis(scenario.id), state)
        except PathError as error:
            raise PathError(f"the saved attempt does not replay: {error}") from None
