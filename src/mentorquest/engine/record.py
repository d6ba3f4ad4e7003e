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

from dataclasses import dataclass
from typing import Any, Literal

from mentorquest import shapes
from mentorquest.shapes import Declared

RECORD_FORMAT = 1


@dataclass(frozen=True, kw_only=True)
class RecordParticipant(Declared):
    """Who completed onboarding."""

    id: str
    """The participant's id in the programme."""
    name: str
    """The participant's name."""
    email: str | None = None
    """The participant's email, when they gave one."""
    role: str
    """The participant's role (e.g. mentor, mentee)."""


@dataclass(frozen=True, kw_only=True)
class RecordProgramme(Declared):
    """The programme the record is for."""

    id: str
    """The programme's id."""
    title: str
    """The programme's title."""
    ground_rules: tuple[str, ...] = ()
    """The programme's rule ids, in order."""


@dataclass(frozen=True, kw_only=True)
class RuleResult(Declared):
    """Points earned for one ground rule, against the most that could be earned."""

    rule: str
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

    scene: str
    """The scene the choice was made in."""
    choice: str
    """The choice's id."""
    best: bool
    """Whether it was the best choice available then."""
    critical: str | None = None
    """The ground rule it seriously breached, if any."""


@dataclass(frozen=True, kw_only=True)
class ScenarioResult(Declared):
    """A required scenario's best attempt."""

    scenario_id: str
    title: str
    content_hash: str
    """The content hash of the scenario as played (see `Library.content_hash`)."""
    attempt_id: str
    attempts: int
    """How many counted attempts were made at this scenario."""
    started_at: str
    finished_at: str
    duration_s: float
    percent: int
    pass_mark: int
    passed: bool
    stars: int
    ending: str
    """The ending scene's id."""
    ending_kind: str
    critical: tuple[str, ...] = ()
    rules: tuple[RuleResult, ...] = ()
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True, kw_only=True)
class SurveyAnswer(Declared):
    """An answer to one survey question."""

    part: Literal["before", "after"]
    question_id: str
    kind: Literal["text", "scale"]
    answer: str | int


@dataclass(frozen=True, kw_only=True)
class Signature(Declared):
    """Who signed the record, and the signature over its canonical form."""

    algorithm: Literal["Ed25519"] = "Ed25519"
    canonicalization: Literal["RFC8785"] = "RFC8785"
    public_key: str
    """The signer's raw public key, base64url without padding."""
    value: str
    """The signature, base64url without padding."""


@dataclass(frozen=True, kw_only=True)
class CompletionRecord(Declared):
    """A participant's completed onboarding, as signed and sent to the coordinator."""

    record_format: int = RECORD_FORMAT
    record_id: str
    participant: RecordParticipant
    programme: RecordProgramme
    scenarios: tuple[ScenarioResult, ...]
    rule_totals: tuple[RuleResult, ...]
    stars: int
    stars_possible: int
    badges: tuple[str, ...]
    survey: tuple[SurveyAnswer, ...] = ()
    started_at: str
    completed_at: str
    mentorquest_version: str
    redactions: tuple[str, ...] = ()
    """Set when an export changed the record (free text removed, pseudonymised) and signed
    the result again: the original record id stays, the signer is the exporter."""
    signature: Signature | None = None

    def unsigned(self) -> dict[str, Any]:
        """The signed content: everything but the signature, as plain JSON values."""
        data: dict[str, Any] = shapes.to_data(self)
        del data["signature"]
        return data

    def to_json(self) -> str:
        return shapes.to_json(self)

    @classmethod
    def from_json(cls, text: str | bytes) -> CompletionRecord:
        """Read a record; anything malformed raises ShapeError naming the field."""
        return shapes.from_json(cls, text)
