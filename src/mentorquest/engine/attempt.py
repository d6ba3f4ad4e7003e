"""An attempt at a scenario: the player asks for the scene and choices, and calls `choose`.

The engine never calls a screen; it holds an `AttemptState` (the path of decisions) and
the immutable scenario, and answers questions about them (inkle/ink's Continue /
currentChoices / ChooseChoiceIndex). Where the attempt stands (its scene, variables,
scores, visited scenes, breaches) is a `Position`, always the result of replaying the
path from its origin: an attempt built from a saved state replays it first, and refuses
a path that does not replay with `PathError`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from mentorquest.engine.analysis import option_rank
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
from mentorquest.errors import ChoiceNotAvailable, StateMismatch

if TYPE_CHECKING:
    from mentorquest.engine.analysis import ScenarioAnalysis
    from mentorquest.language.format import Choice, Scenario, Scene
    from mentorquest.language.library import Library


class PathError(StateMismatch):
    """A saved path that does not replay: a scene or choice that is not there, a choice not
    available where it was made, a start that is not the scenario's, a time out of order."""


@dataclass(slots=True)
class Position:
    """Where an attempt stands: what replaying its path gives, never read from a save."""

    scene: str
    variables: dict[str, int]
    visited: list[str]
    scores: dict[str, int] = field(default_factory=dict)
    critical: list[str] = field(default_factory=list)
    # (scene, choice) pairs already taken: a choice scores only the first time.
    taken: set[tuple[str, str]] = field(default_factory=set)


class _Environment:
    """What conditions read, over a position."""

    __slots__ = ("position",)

    def __init__(self, position: Position) -> None:
        self.position = position

    def variable(self, name: str) -> int:
        return self.position.variables[name]

    def visited(self, scene: str) -> bool:
        return scene in self.position.visited

    def score(self, rule: str) -> int:
        return self.position.scores.get(rule, 0)


def percent_of(earned: int, best: int) -> int:
    """max(0, earned) / best x 100, rounded half up to a whole number, within 0..100."""
    if best <= 0:
        return 0
    earned = max(0, earned)
    return max(0, min(100, (200 * earned + best) // (2 * best)))


def clamp(scenario: Scenario, values: Mapping[str, int]) -> dict[str, int]:
    return {
        name: max(spec.min, min(spec.max, values[name]))
        for name, spec in scenario.variables.items()
    }


class Attempt:
    def __init__(
        self,
        library: Library,
        scenario: Scenario,
        analysis: ScenarioAnalysis,
        state: AttemptState,
    ) -> None:
        """An attempt at the end of `state`'s path, replayed from its origin.

        Raises PathError when the path does not replay against this scenario.
        """
        self.library = library
        self.scenario = scenario
        self.analysis = analysis
        self.state = replace(state, path=[])
        self.now = self._origin()
        path = state.path
        for number, step in enumerate(path, start=1):
            self._replay(number, step)

    # --- replaying -----------------------------------------------------------------------

    def _origin(self) -> Position:
        state, scenario = self.state, self.scenario
        if state.origin_scene not in scenario.scenes:
            raise PathError(
                f"it starts at scene '{state.origin_scene}', which this scenario does not have"
            )
        if set(state.origin_variables) != set(scenario.variables):
            raise PathError("its starting variables are not this scenario's")
        variables = clamp(scenario, state.origin_variables)
        if not state.practice:
            # Only practice starts elsewhere; an attempt that counts starts at the start.
            start = {name: spec.start for name, spec in scenario.variables.items()}
            if state.origin_scene != scenario.start or state.origin_variables != start:
                raise PathError("it does not begin at the scenario's start")
        return Position(state.origin_scene, variables, [state.origin_scene])

    def _replay(self, number: int, step: Step) -> None:
        where = f"decision {number}"
        if self.finished:
            raise PathError(f"{where} comes after the ending '{self.now.scene}'")
        if step.scene != self.now.scene:
            raise PathError(
                f"{where} was made in scene '{step.scene}', but the path had reached '{self.now.scene}'"
            )
        choice = next((c for _, c in self.available() if c.id == step.choice), None)
        if choice is None:
            raise PathError(
                f"{where}: choice '{step.choice}' is not available in scene '{step.scene}'"
            )
        if step.at is not None:
            when = _time(step.at)
            if when is None:
                raise PathError(f"{where} has no valid time")
            before = [s.at for s in self.state.path if s.at is not None] or [self.state.started_at]
            previous = _time(before[-1])
            if previous is not None and when < previous:
                raise PathError(f"{where} is timed before what came before it")
        self._advance(choice, step)

    # --- asking ------------------------------------------------------------------------

    @property
    def scene_id(self) -> str:
        return self.now.scene

    @property
    def scene(self) -> Scene:
        return self.scenario.scenes[self.now.scene]

    @property
    def finished(self) -> bool:
        return self.scene.ending is not None

    @property
    def pass_mark(self) -> int:
        return self.library.pass_mark(self.scenario.id)

    @property
    def variables(self) -> dict[str, int]:
        return self.now.variables

    def available(self) -> list[tuple[int, Choice]]:
        """(index in the scene, choice) for each choice offered now, in the file's order."""
        if self.finished:
            return []
        env = _Environment(self.now)
        out = []
        for index, choice in enumerate(self.scene.choices):
            condition = self.library.condition(self.scenario.id, self.now.scene, index)
            if condition is None or condition(env):
                out.append((index, choice))
        return out

    def offered(self) -> list[Choice]:
        """The choices offered now, in the order they are shown.

        An attempt with a seed shows each scene's choices in an order of its own, the same
        every time the scene is shown in this attempt; without one, in the file's order.
        """
        choices = [choice for _, choice in self.available()]
        if self.state.seed is None or len(choices) < 2 or self.scene.order == "fixed":
            return choices
        order = list(range(len(self.scene.choices)))
        random.Random(f"{self.state.seed}:{self.now.scene}").shuffle(order)
        rank = {self.scene.choices[i].id: position for position, i in enumerate(order)}
        return sorted(choices, key=lambda c: rank[c.id])

    def choices(self) -> list[OfferedChoice]:
        return [
            OfferedChoice(number=n, id=choice.id, text=choice.text)
            for n, choice in enumerate(self.offered(), start=1)
        ]

    def meter(self) -> tuple[str, int, int, int] | None:
        """(name, value, min, max) of the scenario's meter, if it declares one."""
        name = self.scenario.meter
        if name is None:
            return None
        spec = self.scenario.variables[name]
        return name, self.now.variables[name], spec.min, spec.max

    # --- choosing ----------------------------------------------------------------------

    def resolve(self, ref: str | int) -> Choice:
        """The choice a player means: its id, or its number as shown (1-based)."""
        offered = self.offered()
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            number = int(ref)
            if 1 <= number <= len(offered):
                return offered[number - 1]
        else:
            for choice in offered:
                if choice.id == ref:
                    return choice
        listing = ", ".join(f"{n} {c.id}" for n, c in enumerate(offered, start=1))
        if self.finished:
            raise ChoiceNotAvailable(
                f"scenario '{self.scenario.id}' has already ended at scene '{self.now.scene}'"
            )
        raise ChoiceNotAvailable(
            f"choice '{ref}' is not available in scene '{self.now.scene}'; "
            f"available: {listing or 'none'}"
        )

    def choose(self, ref: str | int) -> ChoiceOutcome:
        choice = self.resolve(ref)
        return self._advance(choice, Step(scene=self.now.scene, choice=choice.id, at=utc_now()))

    def _advance(self, choice: Choice, step: Step) -> ChoiceOutcome:
        now = self.now
        scene_id = now.scene
        first_time = (scene_id, choice.id) not in now.taken
        variables = dict(now.variables)
        for name, value in choice.set.items():
            variables[name] = value
        for name, value in choice.add.items():
            variables[name] += value
        now.variables = clamp(self.scenario, variables)
        counted = dict(choice.scores) if first_time else {}
        for rule, value in counted.items():
            now.scores[rule] = now.scores.get(rule, 0) + value
        if choice.critical is not None and choice.critical not in now.critical:
            now.critical.append(choice.critical)
        if choice.goto not in now.visited:
            now.visited.append(choice.goto)
        now.taken.add((scene_id, choice.id))
        now.scene = choice.goto
        ending = self.scenario.scenes[choice.goto].ending
        self.state.path.append(step)
        if ending is not None:
            self.state.finished_at = step.at or self.state.finished_at or utc_now()
        else:
            self.state.finished_at = None
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
        critical = tuple(self.now.critical)
        # A breach may earn more on a rule than the best path without one: it is measured
        # against the most each rule earns on any path (it fails whatever it earns).
        best = self.analysis.most_by_rule if critical else self.analysis.best_by_rule
        earned = self.now.scores
        total_best = self.analysis.best_total
        total_earned = sum(earned.get(rule, 0) for rule in best)
        percent = percent_of(total_earned, total_best)
        return AttemptResult(
            scenario_id=self.scenario.id,
            ending=self.now.scene,
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
            AttemptState(
                attempt_id=self.state.attempt_id,
                scenario_id=self.state.scenario_id,
                content_hash=self.state.content_hash,
                practice=self.state.practice,
                started_at=self.state.started_at,
                origin_scene=self.state.origin_scene,
                origin_variables=dict(self.state.origin_variables),
            ),
        )
        entries = []
        for number, step in enumerate(self.state.path, start=1):
            now = replay.now
            key = machine.key(now.scene, now.variables, now.visited, now.taken, now.scores)
            # Each option judged as the engine measures: a way without a critical breach
            # first, then the most that can be earned (`option_rank`).
            values: dict[int, tuple[bool, int]] = {}
            choices = replay.scene.choices
            for index, next_key, total, _ in machine.successors(key):
                future = self.analysis.value_of(next_key)
                if future is not None:
                    critical = choices[index].critical is not None
                    values[index] = option_rank(total, critical, future)
            offered = dict(replay.available())
            chosen_index = next(i for i, c in offered.items() if c.id == step.choice)
            best_index = max(values, key=lambda i: (values[i], -i)) if values else None
            was_best = best_index is None or values.get(chosen_index) == values[best_index]
            scene = replay.scene
            outcome = replay._advance(offered[chosen_index], step)
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


def _time(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def initial_state(
    scenario: Scenario,
    content_hash: str,
    *,
    scene: str | None = None,
    variables: Mapping[str, int] | None = None,
    practice: bool = False,
    seed: int | None = None,
) -> AttemptState:
    values = {n: v.start for n, v in scenario.variables.items()}
    if variables:
        values.update(variables)
    return AttemptState(
        scenario_id=scenario.id,
        content_hash=content_hash,
        practice=practice,
        origin_scene=scene or scenario.start,
        origin_variables=clamp(scenario, values),
        seed=seed,
    )
