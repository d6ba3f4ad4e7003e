"""The scenario language, format 1: immutable models of a programme and its scenarios.

These models check the shape of each file (fields, types, slugs, ranges). Checks that
need more than one value at a time (references, reachability) live in `checks` and in
the engine's analysis. The JSON Schemas trainers use in their editors are generated
from these classes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VARIABLE_PATTERN = r"^[a-z_][a-z0-9_]*$"
FORMAT_VERSION = 1

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
VariableName = Annotated[str, StringConstraints(pattern=VARIABLE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
RuleScore = Annotated[int, Field(ge=-3, le=3)]
EndingKind = Literal["strong", "mixed", "poor"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# --- programme.yaml -------------------------------------------------------------------


class GroundRule(_Model):
    """A rule every choice is scored against (confidentiality, no-fault, ...)."""

    id: Slug
    name: Text
    summary: Text = Field(description="One or two sentences a participant can remember.")


class SurveyQuestion(_Model):
    id: Slug
    prompt: Text
    kind: Literal["text", "scale"] = Field(description="text: free text; scale: 1 to 5.")
    optional: bool = False


class Survey(_Model):
    before: list[SurveyQuestion] = Field(default_factory=list)
    after: list[SurveyQuestion] = Field(default_factory=list)


class Introduction(_Model):
    """What reciprocal mentoring is, told two ways: from scratch, or as differences."""

    summary: Text
    basics: Text | None = Field(default=None, description="For people new to mentoring.")
    differences: Text | None = Field(
        default=None, description="For people who have mentored or been mentored before."
    )


class Programme(_Model):
    """The programme: its roles, ground rules, pass mark and what each role must pass."""

    format: Literal[1]
    id: Slug
    title: Text
    roles: Annotated[list[Slug], Field(min_length=1)]
    pass_mark: Annotated[int, Field(ge=0, le=100)] = 70
    feedback: Literal["immediate", "debrief"] = "immediate"
    introduction: Introduction | None = None
    ground_rules: Annotated[list[GroundRule], Field(min_length=1)]
    required: dict[Slug, list[Slug]] = Field(default_factory=dict)
    survey: Survey = Field(default_factory=Survey)

    def rule(self, rule_id: str) -> GroundRule | None:
        return next((r for r in self.ground_rules if r.id == rule_id), None)


# --- scenario files -------------------------------------------------------------------


def _variable_shorthand(value: Any) -> Any:
    # `trust: 50` is short for `trust: {start: 50}` (range 0..100).
    if isinstance(value, int) and not isinstance(value, bool):
        return {"start": value}
    return value


class Variable(_Model):
    start: int
    min: int = 0
    max: int = 100


VariableSpec = Annotated[
    Variable,
    BeforeValidator(_variable_shorthand),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "description": "The start value; the range is 0..100."},
                {
                    "type": "object",
                    "properties": {
                        "start": {"type": "integer"},
                        "min": {"type": "integer", "default": 0},
                        "max": {"type": "integer", "default": 100},
                    },
                    "required": ["start"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


class Choice(_Model):
    """One option offered in a scene."""

    id: Slug
    text: Text
    goto: Slug
    if_: str | None = Field(default=None, alias="if", description="A condition, e.g. trust >= 40.")
    set: dict[VariableName, int] = Field(default_factory=dict)
    add: dict[VariableName, int] = Field(default_factory=dict)
    scores: dict[Slug, RuleScore] = Field(default_factory=dict)
    critical: Slug | None = Field(
        default=None, description="A ground rule this choice seriously breaches."
    )
    feedback: str | None = None


class Scene(_Model):
    speaker: str | None = None
    text: Text
    choices: list[Choice] = Field(default_factory=list)
    ending: EndingKind | None = Field(
        default=None, description="Marks an ending scene (which has no choices)."
    )


class Scenario(_Model):
    """A branching scenario: scenes joined by choices, scored against ground rules."""

    format: Literal[1]
    id: Slug
    title: Text
    summary: str | None = None
    trainer_note: str | None = Field(
        default=None, description="For trainers: what this scenario teaches and why."
    )
    roles: Annotated[list[Slug], Field(min_length=1)]
    minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    pass_mark: Annotated[int, Field(ge=0, le=100)] | None = None
    variables: dict[VariableName, VariableSpec] = Field(default_factory=dict)
    meter: VariableName | None = None
    start: Slug
    scenes: Annotated[dict[Slug, Scene], Field(min_length=1)]


def model_for(kind: str) -> type[_Model]:
    return {"programme": Programme, "scenario": Scenario}[kind]
