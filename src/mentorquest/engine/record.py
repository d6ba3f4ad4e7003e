"""The completion record: what a coordinator receives when a participant has finished.

The record's format is declared here, once, below the store (which keeps records) and
the records package (which builds, signs and exports them). Everything but the
`signature` is covered by the signature (see `mentorquest.records.signing`), so a record
read back from any file or database can be checked for tampering.

Like every declared shape it is a frozen dataclass: `to_json` and `from_json` read and
write it through `mentorquest.shapes` (strictly, without pydantic, as a play session
finishing onboarding does), and pydantic validates the same classes where records are
read in bulk (`mentorquest.records.outgoing`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from mentorquest import shapes
from mentorquest.language.format import SLUG_PATTERN
from mentorquest.shapes import Constrained, Declared

# What a record's identifiers and times may be: checked when records arrive from elsewhere
# (`records import` and `verify`), so that no id or time can carry anything but itself.
Id = Annotated[str, Constrained(pattern=SLUG_PATTERN)]
Uuid = Annotated[
    str, Constrained(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Time = Annotated[str, Constrained(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")]
ContentHash = Annotated[str, Constrained(pattern=r"^sha256:[0-9a-f]{64}$")]
Key = Annotated[str, Constrained(pattern=r"^[A-Za-z0-9_-]{1,200}$")]
# A participant's id is theirs to choose (an email will do), but one line of printable text.
ParticipantId = Annotated[str, Constrained(pattern=r"^[^\x00-\x1f\x7f-\x9f]{1,200}$")]

RECORD_FORMAT = 2
# Fields added in format 2 say so (`since`), so that a format-1 record is written, and its
# signature checked, exactly as it was made.
V2 = {"since": 2}


@dataclass(frozen=True, kw_only=True)
class RecordParticipant(Declared):
    """Who completed onboarding."""

    id: ParticipantId
    """The participant's id in the programme."""
    name: str
    """The participant's name."""
    email: str | None = None
    """The participant's email, when they gave one."""
    role: Id
    """The participant's role (e.g. mentor, mentee)."""


@dataclass(frozen=True, kw_only=True)
class RecordProgramme(Declared):
    """The programme the record is for."""

    id: Id
    """The programme's id."""
    title: str
    """The programme's title."""
    ground_rules: tuple[Id, ...] = ()
    """The programme's rule ids, in order."""
    reading_floor: int = field(default=2, metadata=V2)
    """Seconds a decision takes at the least, on average, in an attempt not flagged as hurried."""


@dataclass(frozen=True, kw_only=True)
class RuleResult(Declared):
    """Points earned for one ground rule, against the most that could be earned."""

    rule: Id
    """The ground rule's id."""
    name: str
    """The ground rule's name."""
    earned: int
    """Points earned."""
    best: int
    """The most that could be earned."""


@dataclass(frozen=True, kw_only=True)
class Decision(Declared):
    """One choice of the best attempt: where, what, and whether it was the best available."""

    scene: Id
    """The scene the choice was made in."""
    choice: Id
    """The choice's id."""
    best: bool
    """Whether it was the best choice available then."""
    critical: Id | None = None
    """The ground rule it seriously breached, if any."""
    at: Time | None = field(default=None, metadata=V2)
    """When the decision was made (UTC); None in records of format 1."""


@dataclass(frozen=True, kw_only=True)
class ScenarioResult(Declared):
    """A required scenario's best attempt."""

    scenario_id: Id
    title: str
    content_hash: ContentHash
    """The content hash of the scenario as played (see `Library.content_hash`)."""
    attempt_id: Uuid
    attempts: int
    """How many counted attempts were made at this scenario."""
    started_at: Time
    finished_at: Time
    duration_s: float
    percent: int
    pass_mark: int
    passed: bool
    stars: int
    ending: Id
    """The ending scene's id."""
    ending_kind: str
    critical: tuple[Id, ...] = ()
    rules: tuple[RuleResult, ...] = ()
    decisions: tuple[Decision, ...] = ()
    """The attempt's whole path, in order: replaying it gives the results above."""
    minutes: int | None = field(default=None, metadata=V2)
    """About how long the scenario takes, as it says."""
    input: Literal["terminal", "scripted", "unknown"] = field(default="unknown", metadata=V2)
    """How the decisions were made: at a terminal, or read from scripted input."""
    best_total: int | None = field(default=None, metadata=V2)
    """The most points one path through the scenario earns; `percent` is the points earned
    (the sum of `rules`) over this. A rule's own best may lie on another path, so the
    rules' bests do not add up to it."""


@dataclass(frozen=True, kw_only=True)
class SurveyAnswer(Declared):
    """An answer to one survey question."""

    part: Literal["before", "after"]
    question_id: Id
    kind: Literal["text", "scale"]
    answer: str | int


@dataclass(frozen=True, kw_only=True)
class Signature(Declared):
    """Who signed the record, and the signature over its canonical form."""

    algorithm: Literal["Ed25519"] = "Ed25519"
    canonicalization: Literal["RFC8785"] = "RFC8785"
    public_key: Key
    """The signer's raw public key, base64url without padding."""
    value: Key
    """The signature, base64url without padding."""


@dataclass(frozen=True, kw_only=True)
class CompletionRecord(Declared):
    """A participant's completed onboarding, as signed and sent to the coordinator."""

    record_format: int = RECORD_FORMAT
    record_id: Uuid
    participant: RecordParticipant
    programme: RecordProgramme
    scenarios: tuple[ScenarioResult, ...]
    rule_totals: tuple[RuleResult, ...]
    stars: int
    stars_possible: int
    badges: tuple[Id, ...]
    survey: tuple[SurveyAnswer, ...] = ()
    started_at: Time
    completed_at: Time
    mentorquest_version: str
    redactions: tuple[str, ...] = ()
    """Set when an export changed the record (free text removed, pseudonymised) and signed
    the result again: the original record id stays, the signer is the exporter."""
    signature: Signature | None = None

    def unsigned(self) -> dict[str, Any]:
        """The signed content: everything but the signature, as plain JSON values."""
        data = self.to_data()
        del data["signature"]
        return data

    def to_data(self) -> dict[str, Any]:
        """Plain JSON values, as a record of its format is written."""
        data: dict[str, Any] = shapes.to_data(self, self.record_format)
        return data

    def to_json(self, indent: int | None = None) -> str:
        if indent is None:
            return shapes.to_json(self, self.record_format)
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> CompletionRecord:
        """Read a record; anything malformed raises ShapeError naming the field."""
        return shapes.from_json(cls, text)
