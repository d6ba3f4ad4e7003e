"""Static analysis of a scenario's state space: best scores, reachability and dead ends.

A scenario's states are finite: variables are clamped into ranges and each choice scores
only the first time. The analysis explores every reachable state, keeping only what can
change what happens next (the variables, visited scenes and rule totals that conditions
read; which scored choices inside loops were already taken). A variable that only feeds
a meter is not part of the state, so it cannot multiply it.

On that graph, the value of a state is the most a player can still earn before an ending.
Every edge on a cycle earns nothing (a scoring choice on a loop is taken once and then
scores no more, which changes the state), so each strongly connected component shares
one value, and one pass over the components in reverse topological order solves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mentorquest.language.diagnostics import Diagnostic, Position, Severity

if TYPE_CHECKING:
    from mentorquest.language.conditions import Condition
    from mentorquest.language.format import Scenario
    from mentorquest.language.library import Library

STATE_LIMIT = 1_000_000

# key = (scene index, condition variables, visited bits, taken bits, condition rule totals)
Key = tuple[int, tuple[int, ...], int, int, tuple[int, ...]]


class StateLimitExceeded(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Move:
    index: int
    condition: Condition | None
    target: int
    sets: tuple[tuple[int, int], ...]
    adds: tuple[tuple[int, int], ...]
    vector: tuple[int, ...]
    total: int
    taken_bit: int
    score_deltas: tuple[int, ...]


class _KeyEnvironment:
    __slots__ = ("machine", "key")

    def __init__(self, machine: Machine, key: Key) -> None:
        self.machine = machine
        self.key = key

    def variable(self, name: str) -> int:
        return self.key[1][self.machine.var_position[name]]

    def visited(self, scene: str) -> bool:
        return bool(self.key[2] & self.machine.visit_bit.get(scene, 0))

    def score(self, rule: str) -> int:
        return self.key[4][self.machine.score_position[rule]]


class Machine:
    """The abstract semantics of one scenario, reduced to what changes control flow or scores."""

    def __init__(self, scenario: Scenario, conditions: Mapping[tuple[str, int], Condition]) -> None:
        self.scenario = scenario
        self.scene_ids = list(scenario.scenes)
        self.scene_index = {sid: i for i, sid in enumerate(self.scene_ids)}
        self.rules = scenario.scored_rules()
        read_vars: set[str] = set()
        read_scenes: set[str] = set()
        read_rules: set[str] = set()
        for condition in conditions.values():
            read_vars |= condition.names("variable")
            read_scenes |= condition.names("scene")
            read_rules |= condition.names("rule")
        self.var_names = tuple(v for v in scenario.variables if v in read_vars)
        self.var_position = {name: i for i, name in enumerate(self.var_names)}
        self.bounds = tuple(
            (scenario.variables[n].min, scenario.variables[n].max) for n in self.var_names
        )
        self.visit_bit = {sid: 1 << i for i, sid in enumerate(sorted(read_scenes))}
        self.scene_visit_bit = [self.visit_bit.get(sid, 0) for sid in self.scene_ids]
        self.score_rules = tuple(sorted(read_rules))
        self.score_position = {rule: i for i, rule in enumerate(self.score_rules)}
        looping = _scenes_on_cycles(scenario)
        self.ending = [scenario.scenes[sid].ending is not None for sid in self.scene_ids]
        self.moves: list[tuple[_Move, ...]] = []
        self.taken_bit: dict[tuple[str, str], int] = {}
        for sid in self.scene_ids:
            moves = []
            for index, choice in enumerate(scenario.scenes[sid].choices):
                vector = tuple(choice.scores.get(rule, 0) for rule in self.rules)
                bit = 0
                if sid in looping and any(vector):
                    bit = 1 << len(self.taken_bit)
                    self.taken_bit[(sid, choice.id)] = bit
                moves.append(
                    _Move(
                        index=index,
                        condition=conditions.get((sid, index)),
                        target=self.scene_index[choice.goto],
                        sets=tuple(
                            (self.var_position[n], v)
                            for n, v in choice.set.items()
                            if n in self.var_position
                        ),
                        adds=tuple(
                            (self.var_position[n], v)
                            for n, v in choice.add.items()
                            if n in self.var_position
                        ),
                        vector=vector,
                        total=sum(vector),
                        taken_bit=bit,
                        score_deltas=tuple(choice.scores.get(r, 0) for r in self.score_rules),
                    )
                )
            self.moves.append(tuple(moves))
        self.zero = tuple(0 for _ in self.rules)

    def key(
        self,
        scene: str,
        variables: Mapping[str, int],
        visited: Iterable[str],
        taken: Iterable[tuple[str, str]],
        scores: Mapping[str, int],
    ) -> Key:
        visited_bits = 0
        for sid in visited:
            visited_bits |= self.visit_bit.get(sid, 0)
        taken_bits = 0
        for pair in taken:
            taken_bits |= self.taken_bit.get(pair, 0)
        return (
            self.scene_index[scene],
            tuple(variables[n] for n in self.var_names),
            visited_bits,
            taken_bits,
            tuple(scores.get(r, 0) for r in self.score_rules),
        )

    def successors(self, key: Key) -> list[tuple[int, Key, int, tuple[int, ...]]]:
        """(choice index, next key, points earned, points per rule) for each available choice."""
        scene, values, visited, taken, totals = key
        out = []
        env = None
        for move in self.moves[scene]:
            if move.condition is not None:
                if env is None:
                    env = _KeyEnvironment(self, key)
                if not move.condition(env):
                    continue
            first_time = not (move.taken_bit and taken & move.taken_bit)
            if move.sets or move.adds:
                new_values = list(values)
                for position, value in move.sets:
                    new_values[position] = value
                for position, value in move.adds:
                    new_values[position] += value
                for position, (low, high) in enumerate(self.bounds):
                    v = new_values[position]
                    new_values[position] = low if v < low else high if v > high else v
                next_values = tuple(new_values)
            else:
                next_values = values
            if first_time:
                vector, total = move.vector, move.total
                next_totals = (
                    tuple(t + d for t, d in zip(totals, move.score_deltas, strict=True))
                    if totals
                    else totals
                )
            else:
                vector, total, next_totals = self.zero, 0, totals
            out.append(
                (
                    move.index,
                    (
                        move.target,
                        next_values,
                        visited | self.scene_visit_bit[move.target],
                        taken | move.taken_bit,
                        next_totals,
                    ),
                    total,
                    vector,
                )
            )
        return out


def _scenes_on_cycles(scenario: Scenario) -> set[str]:
    graph = {
        sid: [c.goto for c in s.choices if c.goto in scenario.scenes]
        for sid, s in scenario.scenes.items()
    }
    ids = list(graph)
    position = {sid: i for i, sid in enumerate(ids)}
    adjacency = [[position[t] for t in graph[sid]] for sid in ids]
    looping: set[str] = set()
    for component in strongly_connected(len(ids), adjacency):
        if len(component) > 1 or component[0] in adjacency[component[0]]:
            looping.update(ids[i] for i in component)
    return looping


def strongly_connected(n: int, adjacency: list[list[int]]) -> list[list[int]]:
    """Tarjan's algorithm without recursion; components come sinks first."""
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            v, i = work[-1]
            targets = adjacency[v]
            if i < len(targets):
                work[-1] = (v, i + 1)
                w = targets[i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        component.append(w)
                        if w == v:
                            break
                    components.append(component)
    return components


@dataclass
class Solution:
    """Explored states from one starting key, with the best values still to earn."""

    keys: list[Key]
    index: dict[Key, int]
    edges: list[list[tuple[int, int, int, tuple[int, ...]]]]
    value: list[int | None]
    rule_value: list[tuple[int | None, ...]]


def solve(machine: Machine, start: Key, limit: int = STATE_LIMIT) -> Solution:
    keys = [start]
    index = {start: 0}
    edges: list[list[tuple[int, int, int, tuple[int, ...]]]] = []
    i = 0
    while i < len(keys):
        out = []
        for choice, key, total, vector in machine.successors(keys[i]):
            target = index.get(key)
            if target is None:
                target = len(keys)
                if target >= limit:
                    raise StateLimitExceeded
                index[key] = target
                keys.append(key)
            out.append((choice, target, total, vector))
        edges.append(out)
        i += 1
    n = len(keys)
    components = strongly_connected(n, [[e[1] for e in out] for out in edges])
    component_of = [0] * n
    for number, component in enumerate(components):
        for v in component:
            component_of[v] = number
    value: list[int | None] = [None] * n
    rules = len(machine.rules)
    rule_value: list[tuple[int | None, ...]] = [()] * n
    for number, component in enumerate(components):
        best: int | None = None
        per_rule: list[int | None] = [None] * rules
        if any(machine.ending[keys[v][0]] for v in component):
            best = 0
            per_rule = [0] * rules
        for v in component:
            for _, w, total, vector in edges[v]:
                if component_of[w] == number or value[w] is None:
                    continue
                candidate = total + value[w]  # type: ignore[operator]
                if best is None or candidate > best:
                    best = candidate
                target_rules = rule_value[w]
                for r in range(rules):
                    c = vector[r] + target_rules[r]  # type: ignore[operator]
                    current = per_rule[r]
                    if current is None or c > current:
                        per_rule[r] = c
        frozen = tuple(per_rule)
        for v in component:
            value[v] = best
            rule_value[v] = frozen
    return Solution(keys, index, edges, value, rule_value)


@dataclass
class ScenarioAnalysis:
    """What the analysis of one scenario found, and the values players are scored against."""

    scenario_id: str
    machine: Machine
    solution: Solution | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _extra: dict[Key, Solution] = field(default_factory=dict, repr=False)

    @property
    def best_total(self) -> int:
        if self.solution is None or self.solution.value[0] is None:
            return 0
        return self.solution.value[0]

    @property
    def best_by_rule(self) -> dict[str, int]:
        if self.solution is None:
            return {rule: 0 for rule in self.machine.rules}
        return {
            rule: (v if v is not None else 0)
            for rule, v in zip(self.machine.rules, self.solution.rule_value[0], strict=True)
        }

    @property
    def state_count(self) -> int:
        return 0 if self.solution is None else len(self.solution.keys)

    def value_of(self, key: Key) -> int | None:
        """The most that can still be earned from a state (None: no ending reachable)."""
        if self.solution is not None and key in self.solution.index:
            return self.solution.value[self.solution.index[key]]
        # A state outside the explored space (a practice attempt started elsewhere).
        extra = self._extra.get(key)
        if extra is None:
            extra = solve(self.machine, key)
            self._extra[key] = extra
        return extra.value[0]


def analyse(library: Library, scenario_id: str) -> ScenarioAnalysis:
    scenario = library.scenarios[scenario_id]
    conditions = library.conditions(scenario_id)
    machine = Machine(scenario, conditions)
    start = machine.key(
        scenario.start,
        {n: v.start for n, v in scenario.variables.items()},
        [scenario.start],
        [],
        {},
    )
    analysis = ScenarioAnalysis(scenario_id, machine, None)

    def locate(path: list[str | int], *, key: bool = False) -> Position:
        return library.locate(scenario_id, path, key=key)

    try:
        solution = solve(machine, start)
    except StateLimitExceeded:
        analysis.diagnostics.append(
            Diagnostic(
                locate(["variables"], key=True) if scenario.variables else locate(["id"]),
                Severity.ERROR,
                f"scenario '{scenario_id}' has more than {STATE_LIMIT:,} reachable states; "
                "narrow the ranges of the variables its conditions read",
            )
        )
        return analysis
    analysis.solution = solution
    _report(library, scenario, machine, solution, analysis.diagnostics)
    return analysis


def _report(
    library: Library,
    scenario: Scenario,
    machine: Machine,
    solution: Solution,
    out: list[Diagnostic],
) -> None:
    def locate(path: list[str | int], *, key: bool = False) -> Position:
        return library.locate(scenario.id, path, key=key)

    if solution.value[0] is None:
        out.append(
            Diagnostic(
                locate(["start"]),
                Severity.ERROR,
                f"no ending can be reached from start scene '{scenario.start}'",
            )
        )
    elif solution.value[0] <= 0:
        out.append(
            Diagnostic(
                locate(["id"]),
                Severity.ERROR,
                f"scenario '{scenario.id}' cannot be scored: its best path earns "
                f"{solution.value[0]} points; give good choices positive scores",
            )
        )
    reached = set()
    dead_end: dict[int, Key] = {}
    stuck: dict[int, Key] = {}
    for v, key in enumerate(solution.keys):
        scene = key[0]
        reached.add(scene)
        if not machine.ending[scene] and not solution.edges[v]:
            dead_end.setdefault(scene, key)
        elif solution.value[v] is None:
            stuck.setdefault(scene, key)
    for scene, sid in enumerate(machine.scene_ids):
        where = locate(["scenes", sid], key=True)
        if scene not in reached:
            out.append(
                Diagnostic(where, Severity.WARNING, f"scene '{sid}' cannot be reached from start")
            )
        elif scene in dead_end:
            out.append(
                Diagnostic(
                    where,
                    Severity.WARNING,
                    f"scene '{sid}' is a dead end: none of its choices is available "
                    f"{_describe(machine, dead_end[scene])}",
                )
            )
        elif scene in stuck:
            out.append(
                Diagnostic(
                    where,
                    Severity.WARNING,
                    f"no ending can be reached from scene '{sid}' {_describe(machine, stuck[scene])}",
                )
            )


def _describe(machine: Machine, key: Key) -> str:
    parts = [f"{n}={v}" for n, v in zip(machine.var_names, key[1], strict=True)]
    parts += [f"score({r})={v}" for r, v in zip(machine.score_rules, key[4], strict=True)]
    visited = [sid for sid, bit in machine.visit_bit.items() if key[2] & bit]
    if visited:
        parts.append("after visiting " + ", ".join(visited))
    return "when " + ", ".join(parts) if parts else "in some reachable states"
