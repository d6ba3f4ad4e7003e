"""The scenario format, format 1: the one declaration of programme.yaml and scenario files.

Everything else is derived from the classes below: the validator and the JSON Schema
(pydantic builds both from these classes, in `validator`), the objects the engine and the
players use (these classes themselves), and the compiled cache (written and read by the
generic `mentorquest.shapes`, driven by these same fields).

The classes are frozen dataclasses that import nothing heavy, so a play session can use
them without loading pydantic. Constraints are `Annotated` metadata (`shapes.Constrained`)
that pydantic reads when it builds the validator; each field's description, shown by
editors as hover help and in the JSON Schema, is the docstring written under it.

To add a field: declare it here with a default and a docstring, show it where it belongs,
document it in docs/scenario-format.md, and test it. Nothing else restates it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mentorquest.shapes import Constrained, Declared

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic_core import CoreSchema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VARIABLE_PATTERN = r"^[a-z_][a-z0-9_]*$"
# An absolute http(s) IRI with a host, and nothing a statement id could not carry.
IRI_PATTERN = r"^https?://[^\s/?#]+(/[^\s?#]*)?$"
FORMAT_VERSION = 1
# Fields added after mentorquest 0.1 say so: 0.1 hashed scenarios with every field's
# default filled in, and `Library.earlier_hash` must still give that hash (see there).
SINCE_0_2 = {"since": 2}


Slug = Annotated[str, Constrained(pattern=SLUG_PATTERN)]
VariableName = Annotated[str, Constrained(pattern=VARIABLE_PATTERN)]
Text = Annotated[str, Constrained(min_length=1)]
Percent = Annotated[int, Constrained(ge=0, le=100)]
Minutes = Annotated[int, Constrained(ge=1, le=600)]
RuleScore = Annotated[int, Constrained(ge=-3, le=3)]
EndingKind = Literal["strong", "mixed", "poor"]


# --- programme.yaml -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GroundRule(Declared):
    """A rule every choice is scored against (confidentiality, no-fault, ...)."""

    id: Slug
    """The rule's id; scenarios score against it (`scores: {confidentiality: 2}`)."""
    name: Text
    """The rule's name, as participants see it."""
    summary: Text
    """One or two sentences a participant can remember."""


# The survey's stages, in the order a programme reaches them: onboarding begins (before)
# and ends (after); midpoint and closeout come later, asked by `mentorquest checkin`.
SURVEY_STAGES = ("before", "after", "midpoint", "closeout")
SurveyStage = Literal["before", "after", "midpoint", "closeout"]


@dataclass(frozen=True, kw_only=True)
class SurveyQuestion(Declared):
    """A question asked at one stage of the programme (see `Survey`)."""

    id: Slug
    """The question's id, unique within its stage; the same id at several stages (with the
    same kind) is the same question asked again, and reports compare its answers."""
    prompt: Text
    """The question as participants read it."""
    kind: Literal["text", "scale"]
    """text: a free-text answer; scale: a whole number from 1 to 5."""
    optional: bool = False
    """Whether a participant may leave it unanswered (default: false, an answer is needed)."""


@dataclass(frozen=True, kw_only=True)
class Survey(Declared):
    """The programme's evaluation, by stage: before and after onboarding, then at the
    programme's midpoint and at its close-out."""

    before: tuple[SurveyQuestion, ...] = ()
    """Asked before a participant's first scenario: expectations and understanding."""
    after: tuple[SurveyQuestion, ...] = ()
    """Asked once every required scenario is passed, before the completion record."""
    midpoint: tuple[SurveyQuestion, ...] = field(default=(), metadata=SINCE_0_2)
    """Asked during the programme (`mentorquest checkin --stage midpoint`), of participants
    who completed onboarding."""
    closeout: tuple[SurveyQuestion, ...] = field(default=(), metadata=SINCE_0_2)
    """Asked at the programme's end (`mentorquest checkin --stage closeout`): were
    expectations met, what was learnt."""

    def stage(self, name: str) -> tuple[SurveyQuestion, ...]:
        """The questions of one stage (`SURVEY_STAGES`)."""
        questions: tuple[SurveyQuestion, ...] = getattr(self, name)
        return questions


@dataclass(frozen=True, kw_only=True)
class Opening(Declared):
    """A scenario whose first decision the welcome's question already answers ("are you new
    to mentoring?"), so that it is not asked twice: the participant's answer at the welcome
    is taken as that choice, after they have read the scenario's first scene."""

    scenario: Slug
    """The scenario whose start scene asks where the participant is starting from."""
    basics: Slug
    """The choice in that start scene taken for "I am new to mentoring"."""
    differences: Slug
    """The choice in that start scene taken for "I have mentored or been mentored before"."""


@dataclass(frozen=True, kw_only=True)
class Introduction(Declared):
    """What reciprocal mentoring is, told two ways: from scratch, or as differences."""

    summary: Text
    """A few lines shown on the welcome screen."""
    basics: Text | None = None
    """For people new to mentoring."""
    differences: Text | None = None
    """For people who have mentored or been mentored before."""
    opening: Opening | None = field(default=None, metadata=SINCE_0_2)
    """The scenario decision the welcome's answer makes (optional; see Opening)."""


@dataclass(frozen=True, kw_only=True)
class Programme(Declared):
    """The programme: its roles, ground rules, pass mark and what each role must pass."""

    format: Literal[1]
    """The format of this file; always 1 for now."""
    id: Slug
    """The programme's id (lower-case letters, digits and single hyphens)."""
    title: Text
    """The programme's title, shown to participants."""
    roles: Annotated[tuple[Slug, ...], Constrained(min_length=1)]
    """The roles people have in the programme (e.g. mentor, mentee); at least one."""
    pass_mark: Percent = 70
    """The percent needed to pass a scenario (default 70); a scenario may set its own."""
    feedback: Literal["immediate", "debrief"] = "immediate"
    """immediate: feedback after each choice; debrief: only at the end (default immediate)."""
    reading_floor: Annotated[int, Constrained(ge=0, le=600)] = field(default=2, metadata=SINCE_0_2)
    """Seconds a decision takes at the least, on average, for an attempt not to be flagged
    as hurried in records and reports (default 2)."""
    introduction: Introduction | None = None
    """What the programme is, shown on the welcome screen."""
    ground_rules: Annotated[tuple[GroundRule, ...], Constrained(min_length=1)]
    """The rules every choice is scored against; at least one."""
    required: Mapping[Slug, tuple[Slug, ...]] = field(default_factory=dict)
    """Per role, the scenario ids that role must pass, in the order they are offered."""
    survey: Survey = field(default_factory=Survey)
    """Questions asked before and after onboarding, and at the midpoint and close-out."""
    iri: Annotated[str, Constrained(pattern=IRI_PATTERN)] | None = field(
        default=None, metadata=SINCE_0_2
    )
    """The programme's own IRI (an http or https address your organisation controls, e.g.
    https://mentoring.example.org/programmes/reciprocal): the base of the activity and
    account ids in xAPI exports and pushes, so that two organisations' participants never
    merge in a shared learning record store."""

    def rule(self, rule_id: str) -> GroundRule | None:
        return next((r for r in self.ground_rules if r.id == rule_id), None)


# --- scenario files -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Variable(Declared):
    """A whole-number variable; `trust: 50` is short for `trust: {start: 50}`."""

    start: int
    """The value at the start of the scenario."""
    min: int = 0
    """The lowest value (default 0); lower values are clamped to it."""
    max: int = 100
    """The highest value (default 100); higher values are clamped to it."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(
            _variable_shorthand, super().__get_pydantic_core_schema__(source, handler)
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        full = handler.resolve_ref_schema(handler(schema))
        return {
            "anyOf": [
                {"type": "integer", "description": "The start value; the range is 0..100."},
                full,
            ]
        }


def _variable_shorthand(value: Any) -> Any:
    if value.__class__ is int:
        return {"start": value}
    return value


@dataclass(frozen=True, kw_only=True)
class Choice(Declared):
    """One option offered in a scene."""

    id: Slug
    """The choice's id, unique within its scene; scripts and tests name choices by it."""
    text: Text
    """What the player reads (Markdown)."""
    goto: Slug
    """The scene this choice leads to."""
    if_: str | None = field(default=None, metadata={"alias": "if"})
    """A condition; the choice is offered only when it is true (e.g. trust >= 40)."""
    set: Mapping[VariableName, int] = field(default_factory=dict)
    """Variables to assign, e.g. {trust: 20}."""
    add: Mapping[VariableName, int] = field(default_factory=dict)
    """Amounts to add to variables (may be negative), applied after set."""
    scores: Mapping[Slug, RuleScore] = field(default_factory=dict)
    """Ground-rule id -> score from -3 to 3, counted the first time the choice is taken."""
    critical: Slug | None = None
    """A ground rule this choice seriously breaches: the attempt cannot pass."""
    feedback: str | None = None
    """What the player is told about this choice, and why."""


@dataclass(frozen=True, kw_only=True)
class Scene(Declared):
    """A moment in the story: who speaks, what happens, and the choices (or an ending)."""

    speaker: str | None = None
    """Who is speaking, shown above the text."""
    text: Text
    """What happens (Markdown: emphasis and short lists are fine)."""
    choices: tuple[Choice, ...] = ()
    """The options offered; at least one unless the scene is an ending."""
    ending: EndingKind | None = None
    """Marks an ending scene (which has no choices): strong, mixed or poor."""
    order: Literal["shuffled", "fixed"] = field(default="shuffled", metadata=SINCE_0_2)
    """shuffled (default): players see the choices in an order of their own for each attempt,
    so that no position gives the best answer away; fixed: in the order written (a scale,
    a sequence)."""


@dataclass(frozen=True, kw_only=True)
class Scenario(Declared):
    """A branching scenario: scenes joined by choices, scored against ground rules."""

    format: Literal[1]
    """The format of this file; always 1 for now."""
    id: Slug
    """The scenario's id, unique across the library."""
    title: Text
    """The scenario's title, shown to players."""
    summary: str | None = None
    """One or two sentences shown to players before they start."""
    trainer_note: str | None = None
    """For trainers: what this scenario teaches and why; never shown to players."""
    roles: Annotated[tuple[Slug, ...], Constrained(min_length=1)]
    """The roles that play this scenario (a subset of the programme's roles)."""
    minutes: Minutes | None = None
    """About how long it takes, in minutes (1 to 600)."""
    pass_mark: Percent | None = None
    """The percent needed to pass this scenario, instead of the programme's."""
    variables: Mapping[VariableName, Variable] = field(default_factory=dict)
    """Whole-number variables that conditions read and choices change."""
    meter: VariableName | None = None
    """A variable players see as a gauge (e.g. trust)."""
    start: Slug
    """The id of the first scene."""
    scenes: Annotated[Mapping[Slug, Scene], Constrained(min_length=1)]
    """Scene id -> scene."""

    def scored_rules(self) -> tuple[str, ...]:
        """The ground rules any choice of this scenario scores, in first-seen order."""
        seen: dict[str, None] = {}
        for scene in self.scenes.values():
            for choice in scene.choices:
                for rule in choice.scores:
                    seen.setdefault(rule, None)
        return tuple(seen)
