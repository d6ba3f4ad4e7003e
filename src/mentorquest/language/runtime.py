"""The library as players see it: plain, immutable objects, free of pydantic and YAML.

The models in `models` check what a trainer wrote; once a library has passed those
checks it is turned into these lighter objects, which carry the same field names. The
engine, the players and the compiled-library cache (`compiled`) work with these only,
so a play session never has to load the validator.

`programme_from` and `scenario_from` take the normalised JSON form of a checked file
(`Model.model_dump(mode="json", by_alias=True)`): defaults filled in, shorthand expanded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorquest.errors import UsageError
from mentorquest.language.suggest import did_you_mean

if TYPE_CHECKING:
    from mentorquest.language.conditions import Condition
    from mentorquest.language.diagnostics import Position
    from mentorquest.language.yamlsource import Document

# The objects are named tuples: immutable, compared by value, and about ten times
# cheaper to define than frozen dataclasses, which matters for start-up.


# --- programme.yaml -------------------------------------------------------------------


class GroundRule(NamedTuple):
    id: str
    name: str
    summary: str


class SurveyQuestion(NamedTuple):
    id: str
    prompt: str
    kind: str
    optional: bool = False


class Survey(NamedTuple):
    before: tuple[SurveyQuestion, ...] = ()
    after: tuple[SurveyQuestion, ...] = ()


class Introduction(NamedTuple):
    summary: str
    basics: str | None = None
    differences: str | None = None


class Programme(NamedTuple):
    format: int
    id: str
    title: str
    roles: tuple[str, ...]
    pass_mark: int
    feedback: str
    introduction: Introduction | None
    ground_rules: tuple[GroundRule, ...]
    required: Mapping[str, tuple[str, ...]]
    survey: Survey

    def rule(self, rule_id: str) -> GroundRule | None:
        return next((r for r in self.ground_rules if r.id == rule_id), None)


# --- scenario files -------------------------------------------------------------------


class Variable(NamedTuple):
    start: int
    min: int = 0
    max: int = 100


class Choice(NamedTuple):
    id: str
    text: str
    goto: str
    if_: str | None
    set: Mapping[str, int]
    add: Mapping[str, int]
    scores: Mapping[str, int]
    critical: str | None
    feedback: str | None


class Scene(NamedTuple):
    speaker: str | None
    text: str
    choices: tuple[Choice, ...]
    ending: str | None


class Scenario(NamedTuple):
    format: int
    id: str
    title: str
    summary: str | None
    trainer_note: str | None
    roles: tuple[str, ...]
    minutes: int | None
    pass_mark: int | None
    variables: Mapping[str, Variable]
    meter: str | None
    start: str
    scenes: Mapping[str, Scene]
    # A stable fingerprint of what the scenario says (not how its file is laid out);
    # saved attempts carry it, so resuming against a changed scenario is detected.
    content_hash: str

    def scored_rules(self) -> tuple[str, ...]:
        """The ground rules any choice of this scenario scores, in first-seen order."""
        seen: dict[str, None] = {}
        for scene in self.scenes.values():
            for choice in scene.choices:
                for rule in choice.scores:
                    seen.setdefault(rule, None)
        return tuple(seen)


def plain(value: Any) -> Any:
    """The JSON form of runtime objects: named tuples as objects, tuples as lists."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    return value


def content_hash_of(data: Mapping[str, Any]) -> str:
    """The content hash of a scenario's normalised JSON form."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def programme_from(data: Mapping[str, Any]) -> Programme:
    intro = data.get("introduction")
    survey = data.get("survey") or {}
    return Programme(
        format=data["format"],
        id=data["id"],
        title=data["title"],
        roles=tuple(data["roles"]),
        pass_mark=data["pass_mark"],
        feedback=data["feedback"],
        introduction=Introduction(**intro) if intro is not None else None,
        ground_rules=tuple(GroundRule(**rule) for rule in data["ground_rules"]),
        required={role: tuple(ids) for role, ids in data["required"].items()},
        survey=Survey(
            before=tuple(SurveyQuestion(**q) for q in survey.get("before", ())),
            after=tuple(SurveyQuestion(**q) for q in survey.get("after", ())),
        ),
    )


def _choice(data: Mapping[str, Any]) -> Choice:
    return Choice(
        id=data["id"],
        text=data["text"],
        goto=data["goto"],
        if_=data.get("if"),
        set=data.get("set") or {},
        add=data.get("add") or {},
        scores=data.get("scores") or {},
        critical=data.get("critical"),
        feedback=data.get("feedback"),
    )


def scenario_from(data: Mapping[str, Any], content_hash: str | None = None) -> Scenario:
    """A runtime scenario; the content hash is computed unless the caller already has it."""
    return Scenario(
        format=data["format"],
        id=data["id"],
        title=data["title"],
        summary=data.get("summary"),
        trainer_note=data.get("trainer_note"),
        roles=tuple(data["roles"]),
        minutes=data.get("minutes"),
        pass_mark=data.get("pass_mark"),
        variables={name: Variable(**spec) for name, spec in data["variables"].items()},
        meter=data.get("meter"),
        start=data["start"],
        scenes={
            scene_id: Scene(
                speaker=scene.get("speaker"),
                text=scene["text"],
                choices=tuple(_choice(c) for c in scene.get("choices") or ()),
                ending=scene.get("ending"),
            )
            for scene_id, scene in data["scenes"].items()
        },
        content_hash=content_hash or content_hash_of(data),
    )


# --- the library ----------------------------------------------------------------------


@dataclass
class Library:
    """A loaded, error-free library: the programme, its scenarios and where each came from.

    A library read from its YAML files keeps the parsed documents, so that later checks
    can name lines; one read from the compiled cache has only the file names.
    """

    root: Path
    programme: Programme
    scenarios: dict[str, Scenario]
    documents: dict[str, Document] = field(repr=False, default_factory=dict)
    programme_document: Document | None = field(repr=False, default=None)
    conditions: dict[tuple[str, str, int], Condition] = field(repr=False, default_factory=dict)
    # Ids of scenario files that failed to load: references to them are not reported again.
    broken_ids: set[str] = field(repr=False, default_factory=set)
    # Scenario id -> the file it came from, as shown in messages.
    files: dict[str, str] = field(repr=False, default_factory=dict)

    def scenario(self, scenario_id: str) -> Scenario:
        try:
            return self.scenarios[scenario_id]
        except KeyError:
            hint = did_you_mean(scenario_id, self.scenarios)
            raise UsageError(f"no scenario '{scenario_id}' in this library{hint}") from None

    def locate(self, scenario_id: str, path: Sequence[str | int], *, key: bool = False) -> Position:
        """Where a value of a scenario's file is, for diagnostics reported after loading."""
        document = self.documents.get(scenario_id)
        if document is None:
            from mentorquest.language.diagnostics import Position

            return Position(self.file_of(scenario_id), 1, 1)
        return document.position(path, key=key)

    def file_of(self, scenario_id: str) -> str:
        document = self.documents.get(scenario_id)
        return document.file if document is not None else self.files.get(scenario_id, scenario_id)

    def required_for(self, role: str) -> list[str]:
        return list(self.programme.required.get(role, ()))

    def optional_for(self, role: str) -> list[str]:
        required = set(self.required_for(role))
        return [sid for sid, s in self.scenarios.items() if role in s.roles and sid not in required]

    def pass_mark(self, scenario_id: str) -> int:
        scenario = self.scenarios[scenario_id]
        return scenario.pass_mark if scenario.pass_mark is not None else self.programme.pass_mark

    def condition(self, scenario_id: str, scene_id: str, index: int) -> Condition | None:
        return self.conditions.get((scenario_id, scene_id, index))
