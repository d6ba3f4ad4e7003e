"""Validation of a whole library: the language's checks, then the engine's analysis.

Every scenario is analysed (reachability, dead ends, best path), so one run reports every
problem that can be found: a scenario whose file has errors is analysed as far as it
could be read, with the choices that lead nowhere left out and the conditions that do not
check taken as always true (see `_analysable`). What that analysis finds at a place
already reported is not said again, and a verdict on the scenario as a whole that the
errors may have caused (its best path earns nothing) waits until the file is mended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from mentorquest.engine.analysis import analyse
from mentorquest.language.conditions import ConditionError, parse_condition
from mentorquest.language.diagnostics import Diagnostic, Position, sort_key
from mentorquest.language.format import Scenario, Scene, Variable
from mentorquest.language.library import Library
from mentorquest.language.loader import LoadResult, gc_paused, load_library
from mentorquest.language.suggest import closest
from mentorquest.language.yamlsource import Document


@dataclass
class ValidationReport:
    diagnostics: list[Diagnostic]
    files: int

    def counts(self) -> tuple[int, int]:
        errors = sum(1 for d in self.diagnostics if d.is_error)
        return errors, len(self.diagnostics) - errors

    @property
    def ok(self) -> bool:
        return self.counts()[0] == 0


def validate_library(root: Path | str, display_root: str | None = None) -> ValidationReport:
    with gc_paused():
        return _validate(root, display_root)


def _validate(root: Path | str, display_root: str | None) -> ValidationReport:
    result = load_library(root, display_root)
    diagnostics = list(result.diagnostics)
    checked = result.checked
    if checked is not None:
        broken = {d.position.file for d in diagnostics if d.is_error}
        for scenario_id, scenario in checked.scenarios.items():
            document = checked.documents[scenario_id]
            if document.file not in broken:
                diagnostics += analyse(checked, scenario_id).diagnostics
            else:
                diagnostics += _analyse_in_part(result, checked, scenario, document)
        for scenario, document in result.partial:
            diagnostics += _analyse_in_part(result, checked, scenario, document)
    diagnostics.sort(key=sort_key)
    return ValidationReport(diagnostics, result.files)


def _analyse_in_part(
    result: LoadResult, checked: Library, scenario: Scenario, document: Document
) -> list[Diagnostic]:
    """The analysis of a scenario whose file has errors, as far as it can be done."""
    usable = _analysable(scenario)
    if usable is None:
        return []
    alone = Library(
        checked.root,
        checked.programme,
        {usable.id: usable},
        files={usable.id: document.file},
        documents={usable.id: document},
    )
    said: set[Position] = result.quiet | {
        d.position for d in result.diagnostics if d.is_error and d.position.file == document.file
    }
    # A scene that a goto naming no scene probably meant (its did-you-mean) is not said
    # to be unreachable: mending the goto may well reach it.
    meant = {
        f"scene '{name}' cannot be reached from start"
        for scene in scenario.scenes.values()
        for choice in scene.choices
        if choice.goto not in scenario.scenes
        and (name := closest(choice.goto, scenario.scenes)) is not None
    }
    return [
        d
        for d in analyse(alone, usable.id).diagnostics
        if d.position not in said
        and "cannot be scored" not in d.message
        and d.message not in meant
        and f"'{_ELSEWHERE}'" not in d.message
    ]


# Where a choice whose goto names no scene is taken to lead in a partial analysis: an
# ending, since where it was meant to go is unknown (not a valid id, so never a real scene).
_ELSEWHERE = "(where goto names no scene)"


def _analysable(scenario: Scenario) -> Scenario | None:
    """The scenario with what would stop its analysis mended: choices whose goto names no
    scene lead to an ending of their own (where they lead is unknown, so no verdict on
    what they might reach is given), choices of endings are left out, conditions that do
    not parse or name what is not there are taken as always true, starts outside their
    ranges are clamped. None when it has no start scene or a variable's range is empty."""
    if scenario.start not in scenario.scenes:
        return None
    variables = {}
    for name, spec in scenario.variables.items():
        if spec.min > spec.max:
            return None
        variables[name] = Variable(
            start=max(spec.min, min(spec.max, spec.start)), min=spec.min, max=spec.max
        )
    scenes = {}
    for scene_id, scene in scenario.scenes.items():
        if scene.ending is not None:
            scenes[scene_id] = replace(scene, choices=())
            continue
        choices = []
        for choice in scene.choices:
            if choice.goto not in scenario.scenes:
                choice = replace(choice, goto=_ELSEWHERE)
                scenes[_ELSEWHERE] = Scene(text=_ELSEWHERE, ending="mixed")
            if choice.if_ is not None and not _sound(choice.if_, scenario):
                choice = replace(choice, if_=None)
            choices.append(choice)
        scenes[scene_id] = replace(scene, choices=tuple(choices))
    return replace(scenario, variables=variables, scenes=scenes)


def _sound(source: str, scenario: Scenario) -> bool:
    try:
        condition = parse_condition(source)
    except ConditionError:
        return False
    return (
        condition.names("variable") <= scenario.variables.keys()
        and condition.names("scene") <= scenario.scenes.keys()
    )
