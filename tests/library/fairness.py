"""Tells: what a player could learn from the form of the choices rather than their content.

A decision is a scene that is not an ending and offers two or more choices. In each
decision the best choice is the one with the highest total score, and the longest is
the one with the most characters of text; "best is longest" counts the decisions where
they coincide (a tie counts against the scenario). A pattern player always picks the
choice at one length rank among those offered (the longest, the shortest, the second
longest); where several choices share that length, every one of them is followed.

These helpers read the library and drive the engine the way a player does (Engine.start
and Attempt.choose by choice id); they do not read the engine's analysis internals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorquest.engine import Engine
    from mentorquest.language.format import Choice, Scenario, Scene
    from mentorquest.language.library import Library


def decisions(scenario: Scenario) -> Iterator[tuple[str, Scene]]:
    for scene_id, scene in scenario.scenes.items():
        if scene.ending is None and len(scene.choices) >= 2:
            yield scene_id, scene


def total(choice: Choice) -> int:
    return sum(choice.scores.values())


def best_is_longest(scene: Scene) -> bool:
    best = max(total(c) for c in scene.choices)
    longest = max(len(c.text) for c in scene.choices)
    return any(total(c) == best and len(c.text) == longest for c in scene.choices)


def best_is_shortest(scene: Scene) -> bool:
    best = max(total(c) for c in scene.choices)
    shortest = min(len(c.text) for c in scene.choices)
    return any(total(c) == best and len(c.text) == shortest for c in scene.choices)


@dataclass(frozen=True)
class Tells:
    decisions: int
    best_longest: int
    best_shortest: int

    @property
    def share_longest(self) -> float:
        return self.best_longest / self.decisions if self.decisions else 0.0


def tells(scenario: Scenario) -> Tells:
    found = [scene for _, scene in decisions(scenario)]
    return Tells(
        decisions=len(found),
        best_longest=sum(best_is_longest(s) for s in found),
        best_shortest=sum(best_is_shortest(s) for s in found),
    )


@dataclass(frozen=True)
class Outcome:
    percent: int
    passed: bool
    ending: str
    path: tuple[str, ...]


Rank = Callable[[list[int]], int]


def longest(lengths: list[int]) -> int:
    return max(lengths)


def shortest(lengths: list[int]) -> int:
    return min(lengths)


def second_longest(lengths: list[int]) -> int:
    ordered = sorted(set(lengths), reverse=True)
    return ordered[1] if len(ordered) > 1 else ordered[0]


def pattern_player(engine: Engine, scenario_id: str, rank: Rank) -> list[Outcome]:
    """Every outcome of always picking the choice whose length `rank` selects."""
    outcomes: list[Outcome] = []

    def follow(path: tuple[str, ...]) -> None:
        attempt = engine.start(scenario_id)
        for choice_id in path:
            attempt.choose(choice_id)
        if attempt.finished:
            result = attempt.result()
            outcomes.append(Outcome(result.percent, result.passed, result.ending or "", path))
            return
        offered = [choice for _, choice in attempt.available()]
        wanted = rank([len(c.text) for c in offered])
        for choice in offered:
            if len(choice.text) == wanted:
                follow((*path, choice.id))

    follow(())
    return outcomes


def best_outcome(outcomes: list[Outcome]) -> Outcome:
    """The outcome most favourable to the pattern player (a pass beats any fail)."""
    return max(outcomes, key=lambda o: (o.passed, o.percent))


class _State:
    """What conditions read, over a state of the explorer."""

    __slots__ = ("scores", "variables", "visited_scenes")

    def __init__(
        self, variables: dict[str, int], visited: frozenset[str], scores: dict[str, int]
    ) -> None:
        self.variables = variables
        self.visited_scenes = visited
        self.scores = scores

    def variable(self, name: str) -> int:
        return self.variables[name]

    def visited(self, scene: str) -> bool:
        return scene in self.visited_scenes

    def score(self, rule: str) -> int:
        return self.scores.get(rule, 0)


def negative_only_decisions(library: Library, scenario_id: str) -> set[str]:
    """Scenes where, in some reachable state, every offered choice scores below zero."""
    scenario = library.scenarios[scenario_id]
    found: set[str] = set()
    seen: set[tuple[object, ...]] = set()

    def clamp(name: str, value: int) -> int:
        spec = scenario.variables[name]
        return max(spec.min, min(spec.max, value))

    start = (
        scenario.start,
        {name: spec.start for name, spec in scenario.variables.items()},
        frozenset({scenario.start}),
        {},
    )
    stack: list[tuple[str, dict[str, int], frozenset[str], dict[str, int]]] = [start]
    while stack:
        scene_id, variables, visited, scores = stack.pop()
        key = (scene_id, tuple(sorted(variables.items())), visited, tuple(sorted(scores.items())))
        if key in seen:
            continue
        seen.add(key)
        scene = scenario.scenes[scene_id]
        if scene.ending is not None:
            continue
        state = _State(variables, visited, scores)
        offered = []
        for index, choice in enumerate(scene.choices):
            condition = library.condition(scenario_id, scene_id, index)
            if condition is None or condition(state):
                offered.append(choice)
        if offered and all(total(c) < 0 for c in offered):
            found.add(scene_id)
        for choice in offered:
            after = dict(variables)
            for name, value in choice.set.items():
                after[name] = clamp(name, value)
            for name, value in choice.add.items():
                after[name] = clamp(name, after[name] + value)
            earned = dict(scores)
            for rule, value in choice.scores.items():
                earned[rule] = earned.get(rule, 0) + value
            stack.append((choice.goto, after, visited | {choice.goto}, earned))
    return found
