"""Checks that look across values: every reference must name something that exists.

Runs after each file has passed the validator; reports every problem it finds, each with a
did-you-mean where a near name exists. Conditions are parsed and type-checked here, so
that a library with a broken condition never reaches a player.
"""

from __future__ import annotations

from collections.abc import Iterable

from mentorquest.language.conditions import ConditionError, parse_condition
from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.language.format import SURVEY_STAGES, GroundRule, Programme, Scenario
from mentorquest.language.library import Library
from mentorquest.language.suggest import did_you_mean
from mentorquest.language.yamlsource import Document
from mentorquest.textsafe import suspicious


def check_library(
    library: Library, partial: Iterable[tuple[Scenario, Document]] = ()
) -> list[Diagnostic]:
    """Every cross-reference problem in the library; `partial` are scenarios read only in
    part (their files have field errors), checked all the same so that one run reports
    every problem. A library whose programme could not be read at all (no
    `programme_document`) has only its scenarios checked."""
    out: list[Diagnostic] = []
    if library.programme_document is not None:
        _check_programme(library, out)
        _check_characters(library.programme_document, out)
    for scenario_id, scenario in library.scenarios.items():
        document = library.documents[scenario_id]
        _check_scenario(library, scenario, document, out)
        _check_characters(document, out)
    for scenario, document in partial:
        _check_scenario(library, scenario, document, out)
        _check_characters(document, out)
    return out


def stand_in_programme(scenarios: Iterable[Scenario]) -> Programme:
    """A programme declaring every role and ground rule the scenarios use: what scenarios
    are checked against when programme.yaml itself could not be read, so that only their
    own problems are reported."""
    roles: dict[str, None] = {}
    rules: dict[str, None] = {}
    for scenario in scenarios:
        roles.update(dict.fromkeys(scenario.roles))
        for scene in scenario.scenes.values():
            for choice in scene.choices:
                rules.update(dict.fromkeys(choice.scores))
                if choice.critical is not None:
                    rules[choice.critical] = None
                if choice.if_ is not None:
                    try:
                        condition = parse_condition(choice.if_)
                    except ConditionError:
                        continue
                    rules.update(dict.fromkeys(condition.names("rule")))
    return Programme(
        format=1,
        id="unread",
        title="(programme.yaml could not be read)",
        roles=tuple(roles) or ("unread",),
        ground_rules=tuple(GroundRule(id=r, name=r, summary=r) for r in rules)
        or (GroundRule(id="unread", name="unread", summary="unread"),),
    )


def _check_characters(doc: Document, out: list[Diagnostic]) -> None:
    """Warn about characters that do not show: controls, bidirectional controls, invisibles.

    Players never show them as they are (see `textsafe`), but a trainer should know the
    text holds them: they can make a line read otherwise than it is.
    """
    stack: list[tuple[list[str | int], object]] = [([], doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                found = suspicious(str(key))
                if found:
                    out.append(
                        _warning(doc.position([*path, key], key=True), f"the name holds {found}")
                    )
                stack.append(([*path, key], item))
        elif isinstance(value, list):
            stack.extend(([*path, index], item) for index, item in enumerate(value))
        elif isinstance(value, str):
            found = suspicious(value)
            if found:
                out.append(_warning(doc.position(path), f"the text holds {found}"))


def _error(position: Position, message: str) -> Diagnostic:
    return Diagnostic(position, Severity.ERROR, message)


def _warning(position: Position, message: str) -> Diagnostic:
    return Diagnostic(position, Severity.WARNING, message)


def _duplicates(ids: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    repeated = []
    for index, value in enumerate(ids):
        if value in seen:
            repeated.append((index, value))
        seen.add(value)
    return repeated


def _check_survey(programme: Programme, doc: Document, out: list[Diagnostic]) -> None:
    """Ids unique within a stage; an id asked at several stages keeps its kind (its answers
    are compared across stages)."""
    kinds: dict[str, tuple[str, str]] = {}
    for stage in SURVEY_STAGES:
        seen: set[str] = set()
        for index, question in enumerate(programme.survey.stage(stage)):
            if question.id in seen:
                out.append(
                    _error(
                        doc.position(["survey", stage, index, "id"]),
                        f"duplicate survey question id '{question.id}' in stage '{stage}'",
                    )
                )
            seen.add(question.id)
            first = kinds.setdefault(question.id, (stage, question.kind))
            if first[1] != question.kind:
                out.append(
                    _error(
                        doc.position(["survey", stage, index, "kind"]),
                        f"survey question '{question.id}' is {question.kind} here but "
                        f"{first[1]} in stage '{first[0]}'; a question asked at several "
                        "stages keeps its kind, so that its answers can be compared",
                    )
                )


def _check_programme(library: Library, out: list[Diagnostic]) -> None:
    programme = library.programme
    doc = library.programme_document
    assert doc is not None, "checks run on a library read from its files"
    for index, role in _duplicates(programme.roles):
        out.append(_error(doc.position(["roles", index]), f"role '{role}' is listed twice"))
    for index, rule in _duplicates(r.id for r in programme.ground_rules):
        out.append(
            _error(
                doc.position(["ground_rules", index, "id"]), f"duplicate ground rule id '{rule}'"
            )
        )
    _check_survey(programme, doc, out)
    _check_opening(library, out)
    for role, scenario_ids in programme.required.items():
        if role not in programme.roles:
            out.append(
                _error(
                    doc.position(["required", role], key=True),
                    f"unknown role '{role}'{did_you_mean(role, programme.roles)}",
                )
            )
        for index, scenario_id in enumerate(scenario_ids):
            position = doc.position(["required", role, index])
            scenario = library.scenarios.get(scenario_id)
            if scenario is None and scenario_id in library.broken_ids:
                continue  # its own file's errors say what is wrong
            if scenario is None:
                out.append(
                    _error(
                        position,
                        f"no scenario with id '{scenario_id}'"
                        f"{did_you_mean(scenario_id, library.scenarios)}",
                    )
                )
            elif role in programme.roles and role not in scenario.roles:
                out.append(
                    _error(
                        position,
                        f"scenario '{scenario_id}' is required for role '{role}' but is not "
                        f"played by that role (its roles: {', '.join(scenario.roles)})",
                    )
                )
        for index, scenario_id in _duplicates(scenario_ids):
            out.append(
                _error(
                    doc.position(["required", role, index]),
                    f"scenario '{scenario_id}' is required twice for role '{role}'",
                )
            )


def _check_opening(library: Library, out: list[Diagnostic]) -> None:
    """The welcome's answer must name unconditional choices of the scenario's start scene."""
    intro = library.programme.introduction
    opening = intro.opening if intro is not None else None
    if opening is None:
        return
    doc = library.programme_document
    assert doc is not None
    base = ["introduction", "opening"]
    scenario = library.scenarios.get(opening.scenario)
    if scenario is None:
        if opening.scenario not in library.broken_ids:
            out.append(
                _error(
                    doc.position([*base, "scenario"]),
                    f"no scenario with id '{opening.scenario}'"
                    f"{did_you_mean(opening.scenario, library.scenarios)}",
                )
            )
        return
    start = scenario.scenes.get(scenario.start)
    if start is None:
        return  # the scenario's own file says so
    offered = {choice.id: choice for choice in start.choices}
    for answer in ("basics", "differences"):
        choice_id = getattr(opening, answer)
        choice = offered.get(choice_id)
        if choice is None:
            out.append(
                _error(
                    doc.position([*base, answer]),
                    f"scene '{scenario.start}', the start of '{scenario.id}', has no choice "
                    f"'{choice_id}'{did_you_mean(choice_id, offered)}",
                )
            )
        elif choice.if_ is not None:
            out.append(
                _error(
                    doc.position([*base, answer]),
                    f"choice '{choice_id}' has a condition; the welcome's answer must name a "
                    "choice that is always offered",
                )
            )
    if opening.basics == opening.differences:
        out.append(
            _error(
                doc.position([*base, "differences"]),
                "the two answers name the same choice; name one for each",
            )
        )


def _check_scenario(
    library: Library, scenario: Scenario, doc: Document, out: list[Diagnostic]
) -> None:
    programme = library.programme
    rule_ids = [r.id for r in programme.ground_rules]
    scene_ids = list(scenario.scenes)
    variables = scenario.variables

    for index, role in enumerate(scenario.roles):
        if role not in programme.roles:
            out.append(
                _error(
                    doc.position(["roles", index]),
                    f"unknown role '{role}'{did_you_mean(role, programme.roles)}",
                )
            )
    for name, spec in variables.items():
        if spec.min > spec.max:
            out.append(
                _error(
                    doc.position(["variables", name]),
                    f"variable '{name}' has min {spec.min} above max {spec.max}",
                )
            )
        elif not spec.min <= spec.start <= spec.max:
            out.append(
                _error(
                    doc.position(["variables", name]),
                    f"variable '{name}' starts at {spec.start}, outside its range "
                    f"{spec.min}..{spec.max}",
                )
            )
    if scenario.meter is not None and scenario.meter not in variables:
        out.append(
            _error(
                doc.position(["meter"]),
                f"meter '{scenario.meter}' is not a variable of this scenario"
                f"{did_you_mean(scenario.meter, variables)}",
            )
        )
    if scenario.start not in scenario.scenes:
        out.append(
            _error(
                doc.position(["start"]),
                f"start scene '{scenario.start}' does not exist"
                f"{did_you_mean(scenario.start, scene_ids)}",
            )
        )

    has_strong = False
    for scene_id, scene in scenario.scenes.items():
        scene_path: list[str | int] = ["scenes", scene_id]
        if scene.ending is not None:
            has_strong = has_strong or scene.ending == "strong"
            if scene.choices:
                # Its choices are still checked below: what they name must exist, so
                # that taking them out of the ending is all the mending needed.
                out.append(
                    _error(
                        doc.position([*scene_path, "choices"], key=True),
                        f"scene '{scene_id}' is an ending and cannot have choices",
                    )
                )
        elif not scene.choices:
            out.append(
                _error(
                    doc.position(scene_path, key=True),
                    f"scene '{scene_id}' has no choices and is not an ending "
                    "(add choices, or 'ending: strong', 'mixed' or 'poor')",
                )
            )
        for index, choice_id in _duplicates(c.id for c in scene.choices):
            out.append(
                _error(
                    doc.position([*scene_path, "choices", index, "id"]),
                    f"duplicate choice id '{choice_id}' in scene '{scene_id}'",
                )
            )
        for index, choice in enumerate(scene.choices):
            path: list[str | int] = [*scene_path, "choices", index]
            if choice.id.isdigit():
                out.append(
                    _error(
                        doc.position([*path, "id"]),
                        f"choice id '{choice.id}' is only digits; players, walks and tests "
                        "read a number as the choice at that place, so give it a name "
                        f"(e.g. 'choice-{choice.id}')",
                    )
                )
            if choice.goto not in scenario.scenes:
                out.append(
                    _error(
                        doc.position([*path, "goto"]),
                        f"goto names no scene: '{choice.goto}'{did_you_mean(choice.goto, scene_ids)}",
                    )
                )
            for field_name in ("set", "add"):
                for name, value in getattr(choice, field_name).items():
                    if name not in variables:
                        out.append(
                            _error(
                                doc.position([*path, field_name, name], key=True),
                                f"unknown variable '{name}'{did_you_mean(name, variables)}",
                            )
                        )
                    elif field_name == "set" and not (
                        variables[name].min <= value <= variables[name].max
                    ):
                        spec = variables[name]
                        out.append(
                            _warning(
                                doc.position([*path, "set", name]),
                                f"{value} is outside {name}'s range {spec.min}..{spec.max} "
                                "and will be clamped",
                            )
                        )
            for rule in choice.scores:
                if rule not in rule_ids:
                    out.append(
                        _error(
                            doc.position([*path, "scores", rule], key=True),
                            f"unknown ground rule '{rule}'{did_you_mean(rule, rule_ids)}",
                        )
                    )
            if choice.critical is not None and choice.critical not in rule_ids:
                out.append(
                    _error(
                        doc.position([*path, "critical"]),
                        f"unknown ground rule '{choice.critical}'"
                        f"{did_you_mean(choice.critical, rule_ids)}",
                    )
                )
            if choice.if_ is not None:
                _check_condition(library, scenario, doc, scene_id, index, out)
            if not choice.feedback and scene.ending is None:
                out.append(
                    _warning(
                        doc.position([*path, "id"], key=True),
                        f"choice '{choice.id}' in scene '{scene_id}' has no feedback",
                    )
                )
    if not has_strong:
        out.append(
            _warning(
                doc.position(["scenes"], key=True),
                f"scenario '{scenario.id}' has no ending of kind 'strong'",
            )
        )


def _check_condition(
    library: Library,
    scenario: Scenario,
    doc: Document,
    scene_id: str,
    index: int,
    out: list[Diagnostic],
) -> None:
    choice = scenario.scenes[scene_id].choices[index]
    source = choice.if_ or ""
    path: list[str | int] = ["scenes", scene_id, "choices", index, "if"]
    try:
        condition = parse_condition(source)
    except ConditionError as error:
        out.append(_error(doc.inside(path, error.offset), f"condition: {error.message}"))
        return
    rule_ids = [r.id for r in library.programme.ground_rules]
    for reference in condition.references:
        if reference.kind == "variable" and reference.name not in scenario.variables:
            hint = did_you_mean(reference.name, scenario.variables)
            message = f"condition: unknown variable '{reference.name}'{hint}"
        elif reference.kind == "scene" and reference.name not in scenario.scenes:
            hint = did_you_mean(reference.name, scenario.scenes)
            message = f"condition: visited() names no scene: '{reference.name}'{hint}"
        elif reference.kind == "rule" and reference.name not in rule_ids:
            hint = did_you_mean(reference.name, rule_ids)
            message = f"condition: score() names no ground rule: '{reference.name}'{hint}"
        else:
            continue
        out.append(_error(doc.inside(path, reference.offset), message))
