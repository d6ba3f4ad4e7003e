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

A critical breach fails an attempt whatever it earns, so the best a player is measured
against is the best path that takes no choice marked `critical`: each state also has its
clean value, the most it can still earn that way (solved the same way on the graph
without the critical choices). The best total (what percents are taken of), the per-rule
bests and the debrief's "better option" use the clean value where there is one; only where
every path to an ending breaches a rule is the best over all paths used (and validation
says so). An attempt that takes a critical choice (and fails) is measured rule by rule
against the most each rule earns on any path, so that it never earns above its best.

A state is one integer: the scene, each variable, the visited scenes, the choices taken
and the rule totals, each in a bit field of its own. States live in a dictionary from
that integer to their number, and the graph's edges in flat arrays, so that a million
states fit in a few hundred megabytes. Exploration stops at `STATE_LIMIT` states, with a
diagnostic that names what multiplies them.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    # Diagnostics are loaded by the analysis itself: a player reading cached analyses
    # never makes one.
    from mentorquest.language.conditions import Condition
    from mentorquest.language.diagnostics import Diagnostic, Position
    from mentorquest.language.format import Scenario
    from mentorquest.language.library import Library

STATE_LIMIT = 1_000_000
# A pattern in the choices' lengths is worth a warning from this many decisions on; in one
# or two, "the best is the longest" is as likely chance as a habit of the writer.
TELL_MIN_DECISIONS = 3
NONE = -(2**62)  # "no ending can be reached" in value arrays

Key = int


class StateLimitExceeded(Exception):
    def __init__(self, explored: list[Key]) -> None:
        super().__init__("too many states")
        self.explored = explored


class Outlook(NamedTuple):
    """What can still be earned from a state before an ending: the most on any path, and
    the most on a path that takes no critical choice (None when every path does)."""

    best: int
    clean: int | None


def option_rank(points: int, critical: bool, after: Outlook) -> tuple[bool, int]:
    """How good a choice is, as the debrief and the best path judge it: first whether a
    path through it can avoid every critical breach, then the points it can lead to."""
    if not critical and after.clean is not None:
        return True, points + after.clean
    return False, points + after.best


@dataclass(frozen=True, slots=True)
class _Move:
    index: int
    critical: bool
    condition: Condition | None
    target: int
    sets: tuple[tuple[int, int], ...]  # (variable position, value)
    adds: tuple[tuple[int, int], ...]  # (variable position, amount)
    vector: tuple[int, ...]  # points per scored rule (in `Machine.rules` order)
    total: int
    taken_bit: int  # 0, or this choice's bit in the taken field (a scored choice on a loop)
    score_deltas: tuple[tuple[int, int], ...]  # (read rule position, points)


@dataclass(frozen=True, slots=True)
class _Field:
    shift: int
    bits: int
    low: int  # the value stored as 0

    @property
    def mask(self) -> int:
        return (1 << self.bits) - 1


class _KeyEnvironment:
    __slots__ = ("machine", "values", "visited_bits", "totals")

    def __init__(
        self, machine: Machine, values: list[int], visited_bits: int, totals: list[int]
    ) -> None:
        self.machine = machine
        self.values = values
        self.visited_bits = visited_bits
        self.totals = totals

    def variable(self, name: str) -> int:
        return self.values[self.machine.var_position[name]]

    def visited(self, scene: str) -> bool:
        return bool(self.visited_bits & self.machine.visit_bit.get(scene, 0))

    def score(self, rule: str) -> int:
        return self.totals[self.machine.score_position[rule]]


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
        self.score_rules = tuple(sorted(read_rules))
        self.score_position = {rule: i for i, rule in enumerate(self.score_rules)}
        looping = scenes_on_cycles(scenario)
        self.ending = [scenario.scenes[sid].ending is not None for sid in self.scene_ids]

        # The bit fields of a state, lowest first: scene, variables, visited, taken, totals.
        shift = 0
        self.scene_field = _Field(shift, max(1, (len(self.scene_ids) - 1).bit_length()), 0)
        shift += self.scene_field.bits
        self.var_fields: list[_Field] = []
        for low, high in self.bounds:
            width = max(0, high - low).bit_length()
            self.var_fields.append(_Field(shift, width, low))
            shift += width
        self.visited_shift = shift
        self.visit_bit = {sid: 1 << (shift + i) for i, sid in enumerate(sorted(read_scenes))}
        self.scene_visit_bit = [self.visit_bit.get(sid, 0) for sid in self.scene_ids]
        shift += len(read_scenes)
        self.taken_bit: dict[tuple[str, str], int] = {}
        taken_start = shift
        self.moves: list[tuple[_Move, ...]] = []
        for sid in self.scene_ids:
            for choice in scenario.scenes[sid].choices:
                vector = tuple(choice.scores.get(rule, 0) for rule in self.rules)
                if sid in looping and any(vector):
                    self.taken_bit[(sid, choice.id)] = 1 << (taken_start + len(self.taken_bit))
        shift += len(self.taken_bit)
        # Each read rule's total lies between the sums of all its negative and all its
        # positive scores (each choice counts once).
        self.score_fields: list[_Field] = []
        for rule in self.score_rules:
            low = high = 0
            for scene in scenario.scenes.values():
                for choice in scene.choices:
                    points = choice.scores.get(rule, 0)
                    low += min(0, points)
                    high += max(0, points)
            width = (high - low).bit_length()
            self.score_fields.append(_Field(shift, width, low))
            shift += width
        self.bits = shift
        for sid in self.scene_ids:
            moves = []
            for index, choice in enumerate(scenario.scenes[sid].choices):
                vector = tuple(choice.scores.get(rule, 0) for rule in self.rules)
                moves.append(
                    _Move(
                        index=index,
                        critical=choice.critical is not None,
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
                        taken_bit=self.taken_bit.get((sid, choice.id), 0),
                        score_deltas=tuple(
                            (i, choice.scores[r])
                            for i, r in enumerate(self.score_rules)
                            if choice.scores.get(r)
                        ),
                    )
                )
            self.moves.append(tuple(moves))
        self.zero = tuple(0 for _ in self.rules)
        self._visited_mask = ((1 << len(read_scenes)) - 1) << self.visited_shift
        self._taken_mask = ((1 << len(self.taken_bit)) - 1) << taken_start
        self._flags_mask = self._visited_mask | self._taken_mask
        self._scene_mask = self.scene_field.mask

    # --- keys ------------------------------------------------------------------------------

    def key(
        self,
        scene: str,
        variables: Mapping[str, int],
        visited: Iterable[str],
        taken: Iterable[tuple[str, str]],
        scores: Mapping[str, int],
    ) -> Key:
        key = self.scene_index[scene]
        for name, f in zip(self.var_names, self.var_fields, strict=True):
            key |= (variables[name] - f.low) << f.shift
        for sid in visited:
            key |= self.visit_bit.get(sid, 0)
        for pair in taken:
            key |= self.taken_bit.get(pair, 0)
        for rule, f in zip(self.score_rules, self.score_fields, strict=True):
            key |= (scores.get(rule, 0) - f.low) << f.shift
        return key

    def scene_of(self, key: Key) -> int:
        return key & self._scene_mask

    def decode(self, key: Key) -> tuple[int, list[int], int, int, list[int]]:
        """(scene index, variable values, visited bits, taken bits, rule totals) of a key."""
        values = [((key >> f.shift) & f.mask) + f.low for f in self.var_fields]
        totals = [((key >> f.shift) & f.mask) + f.low for f in self.score_fields]
        return (
            key & self._scene_mask,
            values,
            key & self._visited_mask,
            key & self._taken_mask,
            totals,
        )

    def successors(self, key: Key) -> list[tuple[int, Key, int, tuple[int, ...]]]:
        """(choice index, next key, points earned, points per rule) for each available choice."""
        scene = key & self._scene_mask
        moves = self.moves[scene]
        if not moves:
            return []
        var_fields = self.var_fields
        values = [((key >> f.shift) & f.mask) + f.low for f in var_fields]
        totals: list[int] | None = None
        env: _KeyEnvironment | None = None
        flags = key & self._flags_mask
        out = []
        for move in moves:
            if move.condition is not None:
                if env is None:
                    if totals is None:
                        totals = [((key >> f.shift) & f.mask) + f.low for f in self.score_fields]
                    env = _KeyEnvironment(self, values, flags, totals)
                if not move.condition(env):
                    continue
            first_time = not (move.taken_bit and flags & move.taken_bit)
            next_key = move.target | flags | move.taken_bit | self.scene_visit_bit[move.target]
            if move.sets or move.adds:
                new_values = list(values)
                for position, value in move.sets:
                    new_values[position] = value
                for position, value in move.adds:
                    new_values[position] += value
            else:
                new_values = values
            for position, f in enumerate(var_fields):
                low, high = self.bounds[position]
                v = new_values[position]
                v = low if v < low else high if v > high else v
                next_key |= (v - low) << f.shift
            if self.score_fields:
                if totals is None:
                    totals = [((key >> f.shift) & f.mask) + f.low for f in self.score_fields]
                new_totals = list(totals)
                if first_time:
                    for position, points in move.score_deltas:
                        new_totals[position] += points
                for position, f in enumerate(self.score_fields):
                    next_key |= (new_totals[position] - f.low) << f.shift
            if first_time:
                out.append((move.index, next_key, move.total, move.vector))
            else:
                out.append((move.index, next_key, 0, self.zero))
        return out


def scenes_on_cycles(scenario: Scenario) -> set[str]:
    ids = list(scenario.scenes)
    position = {sid: i for i, sid in enumerate(ids)}
    adjacency = [
        [position[c.goto] for c in scenario.scenes[sid].choices if c.goto in position]
        for sid in ids
    ]
    looping: set[str] = set()
    for component in components(adjacency):
        if len(component) > 1 or component[0] in adjacency[component[0]]:
            looping.update(ids[i] for i in component)
    return looping


def components(adjacency: list[list[int]]) -> list[list[int]]:
    """The strongly connected components of a graph given as adjacency lists, sinks first."""
    starts = array("q", [0])
    targets = array("q")
    for out in adjacency:
        targets.extend(out)
        starts.append(len(targets))
    return strongly_connected(len(adjacency), starts, targets)[0]


def strongly_connected(
    n: int, starts: array[int], targets: array[int]
) -> tuple[list[list[int]], array[int]]:
    """Tarjan's algorithm without recursion, over a graph in flat arrays (node v's edges are
    targets[starts[v]:starts[v + 1]]). Returns the components, sinks first, and each node's
    component number."""
    index = array("q", [-1]) * n
    low = array("q", [0]) * n
    on_stack = bytearray(n)
    component_of = array("q", [0]) * n
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        work = [(root, starts[root])]
        while work:
            v, i = work[-1]
            if i < starts[v + 1]:
                work[-1] = (v, i + 1)
                w = targets[i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = 1
                    work.append((w, starts[w]))
                elif on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    if low[v] < low[u]:
                        low[u] = low[v]
                if low[v] == index[v]:
                    number = len(components)
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack[w] = 0
                        component_of[w] = number
                        component.append(w)
                        if w == v:
                            break
                    components.append(component)
    return components, component_of


@dataclass
class Solution:
    """Explored states from one starting key, with the best values still to earn.

    State v's outgoing edges are edges [starts[v], starts[v + 1]): their choice index in the
    scene, target state, points earned and points per rule (as an index into `vectors`).
    `value[v]` is NONE when no ending can be reached from v.
    """

    keys: list[Key]
    index: dict[Key, int]
    starts: array[int]
    choice: array[int]
    target: array[int]
    total: array[int]
    vector: array[int]
    vectors: list[tuple[int, ...]]
    value: array[int]
    rule_value: list[array[int]]  # per rule, per state
    # Per edge, 1 when its choice is a critical breach.
    breach: bytearray
    # The same values over paths that take no critical choice (NONE: every path does).
    clean_value: array[int]
    clean_rule_value: list[array[int]]

    def __len__(self) -> int:
        return len(self.keys)

    def outlook(self, v: int) -> Outlook | None:
        """What can still be earned from state v (None: no ending can be reached)."""
        best = self.value[v]
        if best == NONE:
            return None
        clean = self.clean_value[v]
        return Outlook(best, None if clean == NONE else clean)

    def rank(self, e: int) -> tuple[bool, int] | None:
        """How good edge e's choice is (`option_rank`); None when it leads to no ending."""
        after = self.outlook(self.target[e])
        if after is None:
            return None
        return option_rank(self.total[e], bool(self.breach[e]), after)

    def best_value(self, v: int) -> int | None:
        """The most a player is measured against from v: the clean value, else the best."""
        after = self.outlook(v)
        if after is None:
            return None
        return after.best if after.clean is None else after.clean

    def edges(self, v: int) -> list[tuple[int, int, int, tuple[int, ...]]]:
        """(choice index, target state, points, points per rule) of each edge out of v."""
        return [
            (self.choice[e], self.target[e], self.total[e], self.vectors[self.vector[e]])
            for e in range(self.starts[v], self.starts[v + 1])
        ]

    def value_at(self, v: int) -> int | None:
        """The most that can still be earned from v on any path (None: no ending)."""
        found = self.value[v]
        return None if found == NONE else found


def solve(machine: Machine, start: Key, limit: int = STATE_LIMIT) -> Solution:
    keys = [start]
    index = {start: 0}
    starts = array("q", [0])
    choice = array("q")
    target = array("q")
    total = array("q")
    vector = array("q")
    vectors: list[tuple[int, ...]] = []
    vector_number: dict[tuple[int, ...], int] = {}
    breach = bytearray()
    i = 0
    successors = machine.successors
    scene_mask = machine.scene_field.mask
    while i < len(keys):
        moves = machine.moves[keys[i] & scene_mask]
        for move_index, key, earned, earned_per_rule in successors(keys[i]):
            number = index.get(key)
            if number is None:
                number = len(keys)
                if number >= limit:
                    raise StateLimitExceeded(keys)
                index[key] = number
                keys.append(key)
            choice.append(move_index)
            breach.append(moves[move_index].critical)
            target.append(number)
            total.append(earned)
            found = vector_number.get(earned_per_rule)
            if found is None:
                found = vector_number[earned_per_rule] = len(vectors)
                vectors.append(earned_per_rule)
            vector.append(found)
        starts.append(len(target))
        i += 1
    n = len(keys)
    rules = len(machine.rules)
    ending = bytearray(machine.ending[key & scene_mask] for key in keys)
    value, rule_value = _values(n, starts, target, None, total, vector, vectors, rules, ending)
    if any(breach):
        # The same on the graph without the critical choices (its own components: a loop
        # may be one only through a critical choice).
        clean_starts = array("q", [0])
        clean_target = array("q")
        clean_edge = array("q")
        for v in range(n):
            for e in range(starts[v], starts[v + 1]):
                if not breach[e]:
                    clean_target.append(target[e])
                    clean_edge.append(e)
            clean_starts.append(len(clean_target))
        clean_value, clean_rule_value = _values(
            n, clean_starts, clean_target, clean_edge, total, vector, vectors, rules, ending
        )
    else:
        clean_value, clean_rule_value = value, rule_value
    return Solution(
        keys,
        index,
        starts,
        choice,
        target,
        total,
        vector,
        vectors,
        value,
        rule_value,
        breach,
        clean_value,
        clean_rule_value,
    )


def _values(
    n: int,
    starts: array[int],
    target: array[int],
    edge: array[int] | None,
    total: array[int],
    vector: array[int],
    vectors: list[tuple[int, ...]],
    rules: int,
    ending: bytearray,
) -> tuple[array[int], list[array[int]]]:
    """The most that can still be earned from each state, overall and per rule, over the
    graph whose state v has edges [starts[v], starts[v + 1]) (`edge` maps them to the
    solution's edges, for their points; None when they are the solution's own)."""
    parts, component_of = strongly_connected(n, starts, target)
    value = array("q", [NONE]) * n
    rule_value = [array("q", [NONE]) * n for _ in range(rules)]
    for number, component in enumerate(parts):
        best = NONE
        per_rule = [NONE] * rules
        if any(ending[v] for v in component):
            best = 0
            per_rule = [0] * rules
        for v in component:
            for i in range(starts[v], starts[v + 1]):
                w = target[i]
                if component_of[w] == number or value[w] == NONE:
                    continue
                e = i if edge is None else edge[i]
                candidate = total[e] + value[w]
                if candidate > best:
                    best = candidate
                rule_points = vectors[vector[e]]
                for r in range(rules):
                    c = rule_points[r] + rule_value[r][w]
                    if c > per_rule[r]:
                        per_rule[r] = c
        for v in component:
            value[v] = best
            for r in range(rules):
                rule_value[r][v] = per_rule[r]
    return value, rule_value


class ValueTable:
    """The best value of every explored state, as the analysis cache keeps it: keys as
    fixed-width big-endian bytes in ascending order (so bytes compare as numbers), values
    beside them. A lookup is a binary search; nothing is built in memory per state."""

    def __init__(
        self, width: int, keys: bytes, values: array[int], clean_values: array[int]
    ) -> None:
        self.width = width
        self.keys = keys
        self.values = values
        self.clean_values = clean_values

    @classmethod
    def of(cls, solution: Solution) -> ValueTable:
        order = sorted(range(len(solution.keys)), key=solution.keys.__getitem__)
        width = max(1, (max(solution.keys).bit_length() + 7) // 8)
        keys = b"".join(solution.keys[v].to_bytes(width, "big") for v in order)
        values = array("q", (solution.value[v] for v in order))
        clean = array("q", (solution.clean_value[v] for v in order))
        return cls(width, keys, values, clean)

    def __len__(self) -> int:
        return len(self.values)

    def lookup(self, key: Key) -> Outlook | None | bool:
        """The outlook of `key` (None: no ending reachable); False when it was not explored."""
        if key.bit_length() > 8 * self.width:
            return False
        wanted = key.to_bytes(self.width, "big")
        low, high, w = 0, len(self.values), self.width
        while low < high:
            middle = (low + high) // 2
            found = self.keys[middle * w : middle * w + w]
            if found < wanted:
                low = middle + 1
            elif found > wanted:
                high = middle
            else:
                value = self.values[middle]
                if value == NONE:
                    return None
                clean = self.clean_values[middle]
                return Outlook(value, None if clean == NONE else clean)
        return False


@dataclass
class ScenarioAnalysis:
    """What the analysis of one scenario found, and the values players are scored against.

    A fresh analysis keeps its whole `solution` (validation and tools read it); one read
    from the cache has only its `table` of values, which is all play needs.
    """

    scenario_id: str
    machine: Machine
    solution: Solution | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    table: ValueTable | None = None
    _best_total: int = 0
    _best_by_rule: dict[str, int] = field(default_factory=dict)
    _most_by_rule: dict[str, int] = field(default_factory=dict)
    # Solutions from other starting states (practice attempts started elsewhere).
    _extra: list[Solution] = field(default_factory=list, repr=False)
    # The dead ends among the errors: a scenario with no other error can still be explored.
    dead_ends: list[Diagnostic] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.solution is not None:
            self._settle(self.solution)

    def _settle(self, solution: Solution) -> None:
        # Measured against the best path without a critical breach, when there is one: the
        # total, and each rule's best. An attempt that takes a critical choice may earn more
        # on a rule than that; it is measured against the most each rule earns on any path
        # (`most_by_rule`), so that no attempt earns above its best.
        clean = solution.clean_value[0] != NONE
        self._best_total = solution.best_value(0) or 0
        by_rule = solution.clean_rule_value if clean else solution.rule_value
        self._best_by_rule = {
            rule: (v if (v := by_rule[r][0]) != NONE else 0)
            for r, rule in enumerate(self.machine.rules)
        }
        self._most_by_rule = {
            rule: (v if (v := solution.rule_value[r][0]) != NONE else 0)
            for r, rule in enumerate(self.machine.rules)
        }

    @property
    def best_total(self) -> int:
        return self._best_total

    @property
    def best_by_rule(self) -> dict[str, int]:
        if not self._best_by_rule:
            return {rule: 0 for rule in self.machine.rules}
        return dict(self._best_by_rule)

    @property
    def most_by_rule(self) -> dict[str, int]:
        """The most each rule earns on any path, critical choices taken or not."""
        if not self._most_by_rule:
            return self.best_by_rule
        return dict(self._most_by_rule)

    @property
    def state_count(self) -> int:
        if self.solution is not None:
            return len(self.solution)
        return 0 if self.table is None else len(self.table)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    def value_of(self, key: Key) -> Outlook | None:
        """What can still be earned from a state (None: no ending reachable)."""
        if self.table is not None:
            found = self.table.lookup(key)
            if found is not False:
                assert found is not True
                return found
        for solution in (self.solution, *self._extra):
            if solution is not None:
                number = solution.index.get(key)
                if number is not None:
                    return solution.outlook(number)
        # A state outside every explored space (a practice attempt started elsewhere):
        # solved once, within the same limit, and kept for every state reachable from it.
        try:
            extra = solve(self.machine, key)
        except StateLimitExceeded:
            return None  # too many states from there: the debrief names no better option
        self._extra.append(extra)
        return extra.outlook(0)


def analyse(library: Library, scenario_id: str, *, warnings: bool = True) -> ScenarioAnalysis:
    """The scenario's analysis, with its errors and (unless `warnings` is false: players
    show none, and finding a warning's line may mean reading the file again) warnings."""
    from mentorquest.language.diagnostics import Diagnostic, Severity

    scenario = library.scenarios[scenario_id]
    machine = Machine(scenario, library.conditions(scenario_id))
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
    except StateLimitExceeded as exceeded:
        position, cause = _cause(machine, exceeded.explored, locate)
        analysis.diagnostics.append(
            Diagnostic(
                position,
                Severity.ERROR,
                f"scenario '{scenario_id}' has more than {STATE_LIMIT:,} reachable states; {cause}",
            )
        )
        return analysis
    analysis.solution = solution
    analysis._settle(solution)
    analysis.dead_ends = _report(
        library, scenario, machine, solution, analysis.diagnostics, warnings=warnings
    )
    return analysis


def _cause(
    machine: Machine, explored: list[Key], locate: Callable[..., Position]
) -> tuple[Position, str]:
    """What multiplies the states, judged from those explored before the limit: the number
    of values each part of a state took."""
    sample = explored[:: max(1, len(explored) // 200_000)]
    parts: list[tuple[int, str, Position]] = []
    for name, f in zip(machine.var_names, machine.var_fields, strict=True):
        seen = len({(key >> f.shift) & f.mask for key in sample})
        parts.append((seen, f"variable '{name}'", locate(["variables", name], key=True)))
    if machine.taken_bit:
        shift = machine._taken_mask
        seen = len({key & shift for key in sample})
        loops = sorted({scene for scene, _ in machine.taken_bit})
        count = len(machine.taken_bit)
        parts.append(
            (
                seen,
                f"{count} scored choice{'s' if count > 1 else ''} on a loop in "
                f"{'scenes' if len(loops) > 1 else 'scene'} {', '.join(repr(s) for s in loops)} "
                "(each taken or not)",
                locate(["scenes", loops[0]], key=True),
            )
        )
    for rule, f in zip(machine.score_rules, machine.score_fields, strict=True):
        seen = len({(key >> f.shift) & f.mask for key in sample})
        parts.append((seen, f"the running total of '{rule}' that conditions read", locate(["id"])))
    if machine.visit_bit:
        seen = len({key & machine._visited_mask for key in sample})
        parts.append((seen, "the visited scenes that conditions read", locate(["id"])))
    parts = [p for p in parts if p[0] > 1]
    parts.sort(key=lambda p: -p[0])
    if not parts:
        return locate(["scenes"], key=True), "it has too many scenes and choices to explore"
    named = ", ".join(f"{what} ({count} values)" for count, what, _ in parts[:3])
    advice = (
        "narrow the ranges of the variables its conditions read"
        if parts[0][1].startswith("variable")
        else "score fewer choices on the loop, or take the loop out"
        if "loop" in parts[0][1]
        else "read fewer totals and visited scenes in conditions"
    )
    return parts[0][2], f"they multiply through {named}: {advice}"


def _report(
    library: Library,
    scenario: Scenario,
    machine: Machine,
    solution: Solution,
    out: list[Diagnostic],
    *,
    warnings: bool = True,
) -> list[Diagnostic]:
    """Adds the analysis's findings to `out`; returns its dead ends (errors among them)."""
    from mentorquest.language.diagnostics import Diagnostic, Severity

    def locate(path: list[str | int], *, key: bool = False) -> Position:
        return library.locate(scenario.id, path, key=key)

    root = solution.outlook(0)
    if root is None:
        out.append(
            Diagnostic(
                locate(["start"]),
                Severity.ERROR,
                f"no ending can be reached from start scene '{scenario.start}'",
            )
        )
    elif root.clean is None:
        in_scene, choice = _breach_on_best_path(machine, solution)
        out.append(
            Diagnostic(
                locate(["start"]),
                Severity.ERROR,
                f"every path from start scene '{scenario.start}' to an ending takes a choice "
                f"marked critical (e.g. '{choice}' in scene '{in_scene}'), so no attempt can pass; "
                "give the player a way through without a serious breach",
            )
        )
    elif root.clean <= 0:
        out.append(
            Diagnostic(
                locate(["id"]),
                Severity.ERROR,
                f"scenario '{scenario.id}' cannot be scored: its best path earns "
                f"{root.clean} points; give good choices positive scores",
            )
        )
    # A reachable state in which no choice of a scene that is not an ending is available:
    # a player reaching it could never go on (nor leave but by quitting).
    dead_end: dict[int, Key] = {}
    starts = solution.starts
    keys = solution.keys
    for v, (first, last) in enumerate(zip(starts, starts[1:], strict=False)):
        if first == last:  # no way on from this state: an ending, or a dead end
            scene = machine.scene_of(keys[v])
            if not machine.ending[scene]:
                dead_end.setdefault(scene, keys[v])
    dead_ends = [
        Diagnostic(
            locate(["scenes", machine.scene_ids[scene]], key=True),
            Severity.ERROR,
            f"scene '{machine.scene_ids[scene]}' is a dead end: none of its choices is "
            f"available {describe(machine, key)}, so a player reaching it could never go on",
        )
        for scene, key in dead_end.items()
    ]
    out += dead_ends
    if not warnings:
        return dead_ends
    if root is not None and root.clean is not None and root.best > root.clean:
        in_scene, choice = _breach_on_best_path(machine, solution)
        index = next(i for i, c in enumerate(scenario.scenes[in_scene].choices) if c.id == choice)
        out.append(
            Diagnostic(
                locate(["scenes", in_scene, "choices", index, "critical"]),
                Severity.WARNING,
                f"choice '{choice}' in scene '{in_scene}' is a critical breach, yet the "
                f"highest-scoring path takes it ({root.best} points; {root.clean} without "
                "a breach): players are measured against the best path without a breach; "
                "give the breach the scores it deserves",
            )
        )
    reached = set()
    stuck: dict[int, Key] = {}
    all_negative: dict[int, Key] = {}
    points = solution.total
    for v, key in enumerate(solution.keys):
        scene = machine.scene_of(key)
        reached.add(scene)
        first, last = starts[v], starts[v + 1]
        if not machine.ending[scene] and first == last:
            pass  # a dead end: an error, above
        elif solution.value[v] == NONE:
            stuck.setdefault(scene, key)
        if first < last and scene not in all_negative:
            if all(points[e] < 0 for e in range(first, last)):
                all_negative[scene] = key
    for scene, sid in enumerate(machine.scene_ids):
        # Located only for a problem: finding a position may read the file again.
        def where(sid: str = sid) -> Position:
            return locate(["scenes", sid], key=True)

        if scene not in reached:
            out.append(
                Diagnostic(where(), Severity.WARNING, f"scene '{sid}' cannot be reached from start")
            )
        elif scene in dead_end:
            pass  # an error, above
        elif scene in stuck:
            out.append(
                Diagnostic(
                    where(),
                    Severity.WARNING,
                    f"no ending can be reached from scene '{sid}' {describe(machine, stuck[scene])}",
                )
            )
        if scene in all_negative:
            out.append(
                Diagnostic(
                    where(),
                    Severity.WARNING,
                    f"scene '{sid}' offers only choices that score below zero "
                    f"{describe(machine, all_negative[scene])}: give the player a good option",
                )
            )
    decisions, longest = _best_is_longest(scenario, [machine.scene_ids[s] for s in reached])
    if decisions >= TELL_MIN_DECISIONS and longest * 2 > decisions:
        out.append(
            Diagnostic(
                locate(["id"]),
                Severity.WARNING,
                f"the best choice is the longest in {longest} of {decisions} decisions: a "
                "player can pass by picking the longest; vary the lengths (a good answer can "
                "be short, a tempting wrong one long)",
            )
        )
    return dead_ends


def _breach_on_best_path(machine: Machine, solution: Solution) -> tuple[str, str]:
    """(scene id, choice id) of a critical choice on a highest-scoring path from the start
    (one exists when every path breaches, or when breaching scores more)."""
    v, seen = 0, {0}
    fallback: tuple[str, str] | None = None
    while True:
        step = None
        for e in range(solution.starts[v], solution.starts[v + 1]):
            w = solution.target[e]
            after = solution.value[w]
            if after == NONE:
                continue
            here = machine.scene_ids[machine.scene_of(solution.keys[v])]
            choice = machine.scenario.scenes[here].choices[solution.choice[e]].id
            if solution.breach[e] and fallback is None:
                fallback = (here, choice)
            if solution.total[e] + after == solution.value[v]:
                if solution.breach[e]:
                    return here, choice
                if step is None and w not in seen:
                    step = w
        if step is None:
            if fallback is None:  # only past a loop: any critical choice taken somewhere
                e = solution.breach.index(1)
                u = bisect_right(solution.starts, e) - 1
                here = machine.scene_ids[machine.scene_of(solution.keys[u])]
                choice = machine.scenario.scenes[here].choices[solution.choice[e]].id
                fallback = (here, choice)
            return fallback
        v = step
        seen.add(v)


def _best_is_longest(scenario: Scenario, scene_ids: Iterable[str]) -> tuple[int, int]:
    """(decisions, decisions whose best-scoring choice is also the longest) among these
    scenes. A decision is a scene with two or more choices that differ both in length and
    in score (where every choice is as long, or scores the same, length tells nothing);
    a tie for longest counts as a tell."""
    decisions = longest = 0
    for sid in scene_ids:
        choices = scenario.scenes[sid].choices
        totals = {sum(c.scores.values()) for c in choices}
        lengths = {len(c.text) for c in choices}
        if len(totals) < 2 or len(lengths) < 2:
            continue
        decisions += 1
        best = max(totals)
        length = max(lengths)
        if any(sum(c.scores.values()) == best and len(c.text) == length for c in choices):
            longest += 1
    return decisions, longest


def describe(machine: Machine, key: Key, otherwise: str = "in some reachable states") -> str:
    """A state as a trainer reads it: 'when trust=20, after visiting warm'."""
    _, values, visited_bits, _, totals = machine.decode(key)
    parts = [f"{n}={v}" for n, v in zip(machine.var_names, values, strict=True)]
    parts += [f"score({r})={v}" for r, v in zip(machine.score_rules, totals, strict=True)]
    visited = [sid for sid, bit in machine.visit_bit.items() if visited_bits & bit]
    if visited:
        parts.append("after visiting " + ", ".join(visited))
    return "when " + ", ".join(parts) if parts else otherwise
