"""An attempt at a scenario: the player asks for the scene and choices, and calls `choose`.

The engine never calls a screen; it holds an `AttemptState` and the immutable scenario,
and answers questions about them (inkle/ink's Continue / currentChoices / ChooseChoiceIndex).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from mentorquest.engine.results import (
    Alternative,
    AttemptResult,
    ChoiceOutcome,
    Debrief,
    DebriefEntry,
    OfferedChoice,
    RuleScore,
)
from mentorquest.engine.state import AttemptState, Step, utc_now
from mentorquest.errors import ChoiceNotAvailable

if TYPE_CHECKING:
    from mentorquest.engine.analysis import ScenarioAnalysis
    from mentorquest.language.format import Choice, Scenario, Scene
    from mentorquest.language.library import Library


class _Environment:
    """What conditions read, over a concrete state."""

    __slots__ = ("state",)

    def __init__(self, state: AttemptState) -> None:
        self.state = state

    def variable(self, name: str) -> int:
        return self.state.variables[name]

    def visited(self, scene: str) -> bool:
        return scene in self.state.visited

    def score(self, rule: str) -> int:
        return self.state.scores.get(rule, 0)


def percent_of(earned: int, best: int) -> int:
    """max(0, earned) / best x 100, rounded half up to a whole number, within 0..100."""
    if best <= 0:
        return 0
    earned = max(0, earned)
    return max(0, min(100, (200 * earned + best) // (2 * best)))


class Attempt:
    def __init__(
        self,
        library: Library,
        scenario: Scenario,
        analysis: ScenarioAnalysis,
        state: AttemptState,
    ) -> None:
        self.library = library
        self.scenario = scenario
        self.analysis = analysis
        self.state = state
        self._taken = {(s.scene, s.choice) for s in state.path}

    # --- asking ------------------------------------------------------------------------

    @property
    def scene_id(self) -> str:
        return self.state.scene

    @property
    def scene(self) -> Scene:
        return self.scenario.scenes[self.state.scene]

    @property
    def finished(self) -> bool:
        return self.scene.ending is not None

    @property
    def pass_mark(self) -> int:
        return self.library.pass_mark(self.scenario.id)

    def available(self) -> list[tuple[int, Choice]]:
        """(index in the scene, choice) for each choice offered now, in order."""
        if self.finished:
            return []
        env = _Environment(self.state)
        out = []
        for index, choice in enumerate(self.scene.choices):
            condition = self.library.condition(self.scenario.id, self.state.scene, index)
            if condition is None or condition(env):
                out.append((index, choice))
        return out

    def choices(self) -> list[OfferedChoice]:
        return [
            OfferedChoice(number=n, id=choice.id, text=choice.text)
            for n, (_, choice) in enumerate(self.available(), start=1)
        ]

    def meter(self) -> tuple[str, int, int, int] | None:
        """(name, value, min, max) of the scenario's meter, if it declares one."""
        name = self.scenario.meter
        if name is None:
            return None
        spec = self.scenario.variables[name]
        return name, self.state.variables[name], spec.min, spec.max

    # --- choosing ----------------------------------------------------------------------

    def resolve(self, ref: str | int) -> Choice:
        offered = self.available()
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            number = int(ref)
            if 1 <= number <= len(offered):
                return offered[number - 1][1]
        else:
            for _, choice in offered:
                if choice.id == ref:
                    return choice
        listing = ", ".join(f"{n} {c.id}" for n, (_, c) in enumerate(offered, start=1))
        if self.finished:
            raise ChoiceNotAvailable(
                f"scenario '{self.scenario.id}' has already ended at scene '{self.state.scene}'"
            )
        raise ChoiceNotAvailable(
            f"choice '{ref}' is not available in scene '{self.state.scene}'; "
            f"available: {listing or 'none'}"
        )

    def choose(self, ref: str | int) -> ChoiceOutcome:
        choice = self.resolve(ref)
        state = self.state
        scene_id = state.scene
        first_time = (scene_id, choice.id) not in self._taken
        variables = dict(state.variables)
        for name, value in choice.set.items():
            variables[name] = value
        for name, value in choice.add.items():
            variables[name] += value
        for name, spec in self.scenario.variables.items():
            variables[name] = max(spec.min, min(spec.max, variables[name]))
        counted = dict(choice.scores) if first_time else {}
        scores = dict(state.scores)
        for rule, value in counted.items():
            scores[rule] = scores.get(rule, 0) + value
        critical = list(state.critical)
        if choice.critical is not None and choice.critical not in critical:
            critical.append(choice.critical)
        visited = list(state.visited)
        if choice.goto not in visited:
            visited.append(choice.goto)
        ending = self.scenario.scenes[choice.goto].ending
        self.state = replace(
            state,
            scene=choice.goto,
            variables=variables,
            visited=visited,
            path=[*state.path, Step(scene=scene_id, choice=choice.id)],
            scores=scores,
            critical=critical,
            finished_at=utc_now() if ending is not None else None,
        )
        self._taken.add((scene_id, choice.id))
        return ChoiceOutcome(
            scene=scene_id,
            choice=choice.id,
            text=choice.text,
            feedback=choice.feedback,
            scores=counted,
            critical=choice.critical,
            next_scene=choice.goto,
            ending=ending,
        )

    # --- results -----------------------------------------------------------------------

    def result(self) -> AttemptResult:
        """The score of a finished attempt (of an unfinished one: the score so far)."""
        best = self.analysis.best_by_rule
        earned = self.state.scores
        total_best = self.analysis.best_total
        total_earned = sum(earned.get(rule, 0) for rule in best)
        percent = percent_of(total_earned, total_best)
        critical = tuple(self.state.critical)
        return AttemptResult(
            scenario_id=self.scenario.id,
            ending=self.state.scene,
            ending_kind=self.scene.ending or "",
            percent=percent,
            passed=self.finished and percent >= self.pass_mark and not critical,
            pass_mark=self.pass_mark,
            critical=critical,
            scores=tuple(
                RuleScore(rule=rule, earned=earned.get(rule, 0), best=value)
                for rule, value in best.items()
            ),
            earned_total=total_earned,
            best_total=total_best,
            path=tuple((s.scene, s.choice) for s in self.state.path),
            practice=self.state.practice,
        )

    def debrief(self) -> Debrief:
        """Each decision in order, its feedback and scores, and the best alternative then."""
        machine = self.analysis.machine
        replay = Attempt(
            self.library,
            self.scenario,
            self.analysis,
            replace(
                self.state,
                scene=self.state.origin_scene,
                variables=dict(self.state.origin_variables),
                visited=[self.state.origin_scene],
                path=[],
                scores={},
                critical=[],
                finished_at=None,
            ),
        )
        entries = []
        for number, step in enumerate(self.state.path, start=1):
            key = machine.key(
                replay.state.scene,
                replay.state.variables,
                replay.state.visited,
                replay._taken,
                replay.state.scores,
            )
            values = {}
            for index, next_key, total, _ in machine.successors(key):
                future = self.analysis.value_of(next_key)
                if future is not None:
                    values[index] = total + future
            offered = dict(replay.available())
            chosen_index = next(i for i, c in offered.items() if c.id == step.choice)
            best_index = max(values, key=lambda i: (values[i], -i)) if values else None
            was_best = best_index is None or values.get(chosen_index) == values[best_index]
            scene = replay.scene
            outcome = replay.choose(step.choice)
            better = None
            if not was_best and best_index is not None:
                alternative = offered[best_index]
                better = Alternative(
                    id=alternative.id, text=alternative.text, feedback=alternative.feedback
                )
            entries.append(
                DebriefEntry(
                    step=number,
                    scene=step.scene,
                    speaker=scene.speaker,
                    choice=step.choice,
                    text=outcome.text,
                    feedback=outcome.feedback,
                    scores=outcome.scores,
                    critical=outcome.critical,
                    was_best=was_best,
                    better=better,
                )
            )
        return Debrief(result=self.result(), entries=tuple(entries))


def initial_state(
    scenario: Scenario,
    content_hash: str,
    *,
    scene: str | None = None,
    variables: Mapping[str, int] | None = None,
    practice: bool = False,
) -> AttemptState:
    values = {n: v.start for n, v in scenario.variables.items()}
    if variables:
        values.update(variables)
    for name, spec in scenario.variables.items():
        values[name] = max(spec.min, min(spec.max, values[name]))
    origin = scene or scenario.start
    return AttemptState(
        scenario_id=scenario.id,
        content_hash=content_hash,
        practice=practice,
        origin_scene=origin,
        origin_variables=dict(values),
        scene=origin,
        variables=values,
        visited=[origin],
    )
