"""A scenario seen whole: counted exactly on the engine's state graph, or played at random.

`explore` reads the graph the engine's analysis builds (`engine.analysis.solve`): every
reachable state, joined by the choices available in it. Nothing here walks the paths one
by one: path counts, the best and worst totals and everything else are computed once per
state, in topological order of the graph's strongly connected components, with Python's
integers (a scenario of twenty decisions of four choices has 4^20 paths, and that number
is printed exactly).

What a "complete path" is: the choices taken from the start to an ending. Two paths are
distinct when they differ in some choice; a path is counted once whichever states it
passed through. In the state graph each state offers each available choice once, so
complete paths are exactly the state graph's paths from the start state to an ending
state. When the graph has a loop that a path can go round (a choice that returns to an
earlier scene without changing anything that matters), there are infinitely many
complete paths: the count is then `None` ("infinitely many"), and so is the count of
every ending reached through the loop; everything else is still exact, because an edge
on a loop never earns points (a scored choice on a loop scores only the first time,
which changes the state).

`play_at_random` plays seeded random playthroughs on the same graph: at each decision
one of the available choices, each as likely as the others, drawn from a generator
seeded once for all the runs (the same seed gives the same runs). Scores, percent and
passing are the engine's own rules (`engine.attempt.percent_of`); a test checks that each
run's path, replayed by the engine, gives the same result.
"""

from __future__ import annotations

import random
import statistics
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mentorquest.engine.analysis import (
    NONE,
    Machine,
    ScenarioAnalysis,
    Solution,
    analyse,
    describe,
    strongly_connected,
)
from mentorquest.engine.attempt import percent_of
from mentorquest.errors import LibraryError
from mentorquest.language.library import Library

__all__ = [
    "ChoiceRef",
    "EndingReport",
    "Exploration",
    "NegativeDecision",
    "Playthrough",
    "RandomReport",
    "RuleRange",
    "best_path",
    "explore",
    "graph_of",
    "play_at_random",
]

STEP_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class ChoiceRef:
    """A choice, named by its scene and its id."""

    scene: str
    choice: str

    def to_json(self) -> dict[str, str]:
        return {"scene": self.scene, "choice": self.choice}


@dataclass(frozen=True, slots=True)
class EndingReport:
    """One ending scene: its kind, how many complete paths reach it (None: infinitely many,
    through a loop; 0: it cannot be reached), and the range of percents they give (None
    when no path reaches it)."""

    scene: str
    kind: str
    paths: int | None
    best_percent: int | None
    worst_percent: int | None


@dataclass(frozen=True, slots=True)
class RuleRange:
    """A ground rule's highest and lowest total over the complete paths."""

    rule: str
    best: int
    worst: int


@dataclass(frozen=True, slots=True)
class NegativeDecision:
    """A scene where, in `states` of the `of` states it is reached in, every available
    choice scores below zero; `when` describes one such state ("" when it is every one)."""

    scene: str
    states: int
    of: int
    when: str


@dataclass(frozen=True)
class Exploration:
    """What `explore` found; `to_json` gives the documented JSON."""

    scenario: str
    title: str
    states: int
    paths: int | None
    dead_end_paths: int | None
    loops: tuple[str, ...]
    pass_mark: int
    best_total: int
    worst_total: int
    worst_percent: int
    endings: tuple[EndingReport, ...]
    rules: tuple[RuleRange, ...]
    off_best_path: tuple[ChoiceRef, ...]
    never_available: tuple[ChoiceRef, ...]
    after_breach_only: tuple[str, ...]
    all_negative: tuple[NegativeDecision, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "title": self.title,
            "states": self.states,
            "paths": self.paths,
            "dead_end_paths": self.dead_end_paths,
            "loops": list(self.loops),
            "pass_mark": self.pass_mark,
            "best_total": self.best_total,
            "worst_total": self.worst_total,
            "worst_percent": self.worst_percent,
            "endings": [
                {
                    "scene": e.scene,
                    "kind": e.kind,
                    "paths": e.paths,
                    "best_percent": e.best_percent,
                    "worst_percent": e.worst_percent,
                }
                for e in self.endings
            ],
            "rules": {r.rule: {"best": r.best, "worst": r.worst} for r in self.rules},
            "off_best_path": [c.to_json() for c in self.off_best_path],
            "never_available": [c.to_json() for c in self.never_available],
            "after_breach_only": list(self.after_breach_only),
            "all_negative": [
                {"scene": d.scene, "states": d.states, "of": d.of, "when": d.when or None}
                for d in self.all_negative
            ],
        }


def graph_of(library: Library, scenario_id: str) -> ScenarioAnalysis:
    """The engine's analysis of the scenario with its whole state graph; LibraryError when
    the scenario cannot be analysed (too many states, no ending, nothing to score)."""
    library.scenario(scenario_id)  # a clear error for an unknown id
    analysis = analyse(library, scenario_id)
    # Dead ends are errors to play, not to explore: exploring is how they are found.
    blocking = [d for d in analysis.errors if d not in analysis.dead_ends]
    if blocking or analysis.solution is None:
        first = blocking[0].message if blocking else "it cannot be analysed"
        raise LibraryError(
            f"scenario '{scenario_id}' cannot be explored: {first}", tuple(analysis.errors)
        )
    return analysis


# --- the graph's order -------------------------------------------------------------------


@dataclass
class _Order:
    """The strongly connected components of a state graph, sources first."""

    parts: list[list[int]]
    component_of: list[int]
    looping: list[bool]


def _order(solution: Solution, skip: bytearray | None = None) -> _Order:
    """The order of the state graph (without the edges `skip` marks, when given)."""
    n = len(solution)
    starts, target = solution.starts, solution.target
    if skip is not None:
        kept_starts, kept_target = array("q", [0]), array("q")
        for v in range(n):
            kept_target.extend(target[e] for e in range(starts[v], starts[v + 1]) if not skip[e])
            kept_starts.append(len(kept_target))
        starts, target = kept_starts, kept_target
    parts, component_of = strongly_connected(n, starts, target)
    parts.reverse()  # Tarjan's gives sinks first
    count = len(parts)
    renumber = {old: count - 1 - old for old in range(count)}
    component = [renumber[component_of[v]] for v in range(n)]
    looping = [len(part) > 1 for part in parts]
    for number, part in enumerate(parts):
        if not looping[number]:
            v = part[0]
            looping[number] = any(target[e] == v for e in range(starts[v], starts[v + 1]))
    return _Order(parts, component, looping)


def _forward(
    solution: Solution,
    order: _Order,
    weight: list[int],
    pick: Any,
    rule: int | None,
    skip: bytearray | None = None,
) -> list[int]:
    """Per component, the best (`pick` = max) or worst (min) points earned on any path from
    the start to it: overall (`rule` None) or for one rule; with `skip`, on paths without
    the edges it marks (`order` must then be of that graph). Edges inside a component earn
    nothing, so every state of a component shares the value."""
    count = len(order.parts)
    value = [NONE] * count
    value[order.component_of[0]] = 0
    starts, target, component = solution.starts, solution.target, order.component_of
    vectors, vector = solution.vectors, solution.vector
    for number, part in enumerate(order.parts):
        here = value[number]
        if here == NONE:
            continue
        for v in part:
            for e in range(starts[v], starts[v + 1]):
                to = component[target[e]]
                if to == number or (skip is not None and skip[e]):
                    continue
                points = weight[e] if rule is None else vectors[vector[e]][rule]
                candidate = here + points
                if value[to] == NONE or pick(candidate, value[to]) == candidate:
                    value[to] = candidate
    return value


# --- explore -----------------------------------------------------------------------------


def explore(library: Library, scenario_id: str) -> Exploration:
    analysis = graph_of(library, scenario_id)
    solution = analysis.solution
    assert solution is not None
    machine = analysis.machine
    scenario = library.scenario(scenario_id)
    order = _order(solution)
    n = len(solution)
    starts, target, choice_of, total = (
        solution.starts,
        solution.target,
        solution.choice,
        solution.total,
    )
    scene_of = [machine.scene_of(key) for key in solution.keys]
    component = order.component_of

    # Paths from the start to each state: exact, or None once a loop is on the way.
    paths: list[int | None] = [0] * n
    paths[0] = 1
    for number, part in enumerate(order.parts):
        if order.looping[number]:
            for v in part:
                paths[v] = None
        for v in part:
            here = paths[v]
            for e in range(starts[v], starts[v + 1]):
                w = target[e]
                if component[w] == number:
                    continue
                there = paths[w]
                paths[w] = None if here is None or there is None else there + here

    weights = list(total)
    best_to = _forward(solution, order, weights, max, None)
    worst_to = _forward(solution, order, weights, min, None)
    rules = machine.rules
    rule_best = [_forward(solution, order, weights, max, r) for r in range(len(rules))]
    rule_worst = [_forward(solution, order, weights, min, r) for r in range(len(rules))]

    best_total = analysis.best_total
    ending_states = [v for v in range(n) if machine.ending[scene_of[v]]]
    complete: int | None = 0
    per_ending: dict[int, list[Any]] = {}
    for v in ending_states:
        c = component[v]
        count = paths[v]
        complete = None if complete is None or count is None else complete + count
        entry = per_ending.setdefault(scene_of[v], [0, best_to[c], worst_to[c]])
        entry[0] = None if entry[0] is None or count is None else entry[0] + count
        entry[1] = max(entry[1], best_to[c])
        entry[2] = min(entry[2], worst_to[c])
    dead: int | None = 0
    for v in range(n):
        if not machine.ending[scene_of[v]] and starts[v] == starts[v + 1]:
            count = paths[v]
            dead = None if dead is None or count is None else dead + count

    # Every ending, in the file's order; one no path reaches has 0 paths and no percents.
    endings = []
    for s in range(len(machine.scene_ids)):
        if not machine.ending[s]:
            continue
        scene_id = machine.scene_ids[s]
        kind = scenario.scenes[scene_id].ending or ""
        found = per_ending.get(s)
        if found is None:
            endings.append(EndingReport(scene_id, kind, 0, None, None))
        else:
            best = percent_of(found[1], best_total)
            endings.append(
                EndingReport(scene_id, kind, found[0], best, percent_of(found[2], best_total))
            )
    worst_total = min((worst_to[component[v]] for v in ending_states), default=0)
    rule_ranges = tuple(
        RuleRange(
            rule=rule,
            best=max((rule_best[r][component[v]] for v in ending_states), default=0),
            worst=min((rule_worst[r][component[v]] for v in ending_states), default=0),
        )
        for r, rule in enumerate(rules)
    )

    # Choices: available somewhere, on a best path, or nowhere. A best path is one the
    # engine measures against: without a critical breach, when there is such a path.
    available: set[tuple[int, int]] = set()
    on_best: set[tuple[int, int]] = set()
    breach = solution.breach
    if solution.clean_value[0] != NONE:
        skip: bytearray | None = breach
        best_value = solution.clean_value
        clean_order = _order(solution, breach)
        reached = _forward(solution, clean_order, weights, max, None, breach)
        reached_component = clean_order.component_of
    else:
        skip, best_value, reached, reached_component = None, solution.value, best_to, component
    for v in range(n):
        reached_with = reached[reached_component[v]]
        for e in range(starts[v], starts[v + 1]):
            pair = (scene_of[v], choice_of[e])
            available.add(pair)
            after = best_value[target[e]]
            if (
                reached_with != NONE
                and after != NONE
                and not (skip is not None and skip[e])
                and reached_with + total[e] + after == best_total
            ):
                on_best.add(pair)
    every = [
        (s, i) for s, sid in enumerate(machine.scene_ids) for i in range(len(_choices(machine, s)))
    ]
    off_best = tuple(_ref(machine, pair) for pair in every if pair in available - on_best)
    never = tuple(_ref(machine, pair) for pair in every if pair not in available)

    # Scenes reached only through a critical breach: not reachable without one.
    critical = [
        [c.critical is not None for c in _choices(machine, s)]
        for s in range(len(machine.scene_ids))
    ]
    clean = bytearray(n)
    clean[0] = 1
    stack = [0]
    while stack:
        v = stack.pop()
        for e in range(starts[v], starts[v + 1]):
            w = target[e]
            if not clean[w] and not critical[scene_of[v]][choice_of[e]]:
                clean[w] = 1
                stack.append(w)
    reached_scenes = set(scene_of)
    clean_scenes = {scene_of[v] for v in range(n) if clean[v]}
    after_breach = tuple(machine.scene_ids[s] for s in sorted(reached_scenes - clean_scenes))

    # Decisions where every available choice loses points.
    negative: dict[int, list[Any]] = {}
    deciding: Counter[int] = Counter()
    for v in range(n):
        edges = range(starts[v], starts[v + 1])
        if not edges:
            continue
        deciding[scene_of[v]] += 1
        if all(total[e] < 0 for e in edges):
            entry = negative.setdefault(scene_of[v], [0, v])
            entry[0] += 1
    all_negative = tuple(
        NegativeDecision(
            scene=machine.scene_ids[s],
            states=count,
            of=deciding[s],
            when=""
            if count == deciding[s]
            else describe(machine, solution.keys[example], "in some states"),
        )
        for s, (count, example) in sorted(negative.items())
    )

    return Exploration(
        scenario=scenario.id,
        title=scenario.title,
        states=n,
        paths=complete,
        dead_end_paths=dead,
        loops=tuple(
            sorted(
                {
                    machine.scene_ids[scene_of[v]]
                    for p, part in enumerate(order.parts)
                    if order.looping[p]
                    for v in part
                },
                key=machine.scene_index.__getitem__,
            )
        ),
        pass_mark=library.pass_mark(scenario.id),
        best_total=best_total,
        worst_total=worst_total,
        worst_percent=percent_of(worst_total, best_total),
        endings=tuple(endings),
        rules=rule_ranges,
        off_best_path=off_best,
        never_available=never,
        after_breach_only=after_breach,
        all_negative=all_negative,
    )


def _choices(machine: Machine, scene: int) -> Any:
    return machine.scenario.scenes[machine.scene_ids[scene]].choices


def _ref(machine: Machine, pair: tuple[int, int]) -> ChoiceRef:
    scene, index = pair
    return ChoiceRef(machine.scene_ids[scene], _choices(machine, scene)[index].id)


def best_path(analysis: ScenarioAnalysis) -> list[ChoiceRef]:
    """One best path from the start: at each state the first choice (in the file's order)
    that the debrief judges best (`analysis.option_rank`: a way without a critical breach
    when there is one, then the most still to earn), never going round a loop."""
    solution = analysis.solution
    assert solution is not None
    machine = analysis.machine
    path: list[ChoiceRef] = []
    v = 0
    seen = {0}
    while not machine.ending[machine.scene_of(solution.keys[v])]:
        ranks = {
            e: rank
            for e in range(solution.starts[v], solution.starts[v + 1])
            if (rank := solution.rank(e)) is not None
        }
        want = max(ranks.values(), default=None)
        step = next(
            (e for e, rank in ranks.items() if rank == want and solution.target[e] not in seen),
            None,
        )
        if step is None:
            break
        path.append(_ref(machine, (machine.scene_of(solution.keys[v]), solution.choice[step])))
        v = solution.target[step]
        seen.add(v)
    return path


# --- random playthroughs -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Playthrough:
    """One random run: its path, where it stopped, and its result by the engine's rules."""

    path: tuple[ChoiceRef, ...]
    ending: str | None  # None: stopped at a dead end, or went on past the step limit
    stopped_at: str
    percent: int
    passed: bool
    critical: tuple[str, ...]


@dataclass(frozen=True)
class RandomReport:
    """What `play_at_random` found; `to_json` gives the documented JSON."""

    scenario: str
    seed: int
    runs: int
    finished: int
    stuck: int
    unfinished: int
    passed: int
    pass_mark: int
    percents: dict[int, int]
    endings: dict[str, int]
    never_taken: tuple[tuple[ChoiceRef, bool], ...]

    @property
    def pass_rate(self) -> float:
        return self.passed / self.runs if self.runs else 0.0

    def percent_summary(self) -> dict[str, float | int | None]:
        values = [p for p, count in sorted(self.percents.items()) for _ in range(count)]
        if not values:
            return {"min": None, "max": None, "mean": None, "median": None}
        return {
            "min": values[0],
            "max": values[-1],
            "mean": round(statistics.fmean(values), 1),
            "median": statistics.median(values),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "runs": self.runs,
            "finished": self.finished,
            "stuck": self.stuck,
            "unfinished": self.unfinished,
            "passed": self.passed,
            "pass_rate": round(self.pass_rate, 4),
            "pass_mark": self.pass_mark,
            "percent": self.percent_summary() if self.finished else None,
            "percents": {str(p): c for p, c in sorted(self.percents.items())},
            "endings": dict(sorted(self.endings.items())),
            "never_taken": [
                {**ref.to_json(), "available": available} for ref, available in self.never_taken
            ],
        }


def playthroughs(
    analysis: ScenarioAnalysis, pass_mark: int, runs: int, seed: int
) -> Iterator[Playthrough]:
    """`runs` random playthroughs, the same ones for the same seed."""
    solution = analysis.solution
    assert solution is not None
    machine = analysis.machine
    rng = random.Random(seed)
    starts, target, choice_of, total = (
        solution.starts,
        solution.target,
        solution.choice,
        solution.total,
    )
    choices = [_choices(machine, s) for s in range(len(machine.scene_ids))]
    best = analysis.best_total
    for _ in range(runs):
        v = 0
        earned = 0
        critical: list[str] = []
        path: list[ChoiceRef] = []
        ending: str | None = None
        while True:
            scene = machine.scene_of(solution.keys[v])
            if machine.ending[scene]:
                ending = machine.scene_ids[scene]
                break
            first, last = starts[v], starts[v + 1]
            if first == last or len(path) >= STEP_LIMIT:
                break
            e = first + rng.randrange(last - first)
            chosen = choices[scene][choice_of[e]]
            path.append(ChoiceRef(machine.scene_ids[scene], chosen.id))
            earned += total[e]
            if chosen.critical is not None and chosen.critical not in critical:
                critical.append(chosen.critical)
            v = target[e]
        percent = percent_of(earned, best)
        yield Playthrough(
            path=tuple(path),
            ending=ending,
            stopped_at=machine.scene_ids[machine.scene_of(solution.keys[v])],
            percent=percent,
            passed=ending is not None and percent >= pass_mark and not critical,
            critical=tuple(critical),
        )


def play_at_random(library: Library, scenario_id: str, runs: int, seed: int) -> RandomReport:
    analysis = graph_of(library, scenario_id)
    solution = analysis.solution
    assert solution is not None
    machine = analysis.machine
    pass_mark = library.pass_mark(scenario_id)
    percents: Counter[int] = Counter()
    endings: Counter[str] = Counter()
    taken: set[ChoiceRef] = set()
    finished = stuck = unfinished = passed = 0
    for run in playthroughs(analysis, pass_mark, runs, seed):
        taken.update(run.path)
        if run.ending is not None:
            finished += 1
            percents[run.percent] += 1
            endings[run.ending] += 1
        elif len(run.path) >= STEP_LIMIT:
            unfinished += 1
        else:
            stuck += 1
        passed += run.passed
    available = {
        _ref(machine, (machine.scene_of(key), solution.choice[e]))
        for v, key in enumerate(solution.keys)
        for e in range(solution.starts[v], solution.starts[v + 1])
    }
    never = tuple(
        (ref, ref in available)
        for s in range(len(machine.scene_ids))
        for i in range(len(_choices(machine, s)))
        if (ref := _ref(machine, (s, i))) not in taken
    )
    return RandomReport(
        scenario=scenario_id,
        seed=seed,
        runs=runs,
        finished=finished,
        stuck=stuck,
        unfinished=unfinished,
        passed=passed,
        pass_mark=pass_mark,
        percents=dict(percents),
        endings=dict(endings),
        never_taken=never,
    )
