"""The completion record: what a coordinator receives when a participant has finished.

A record is a pydantic model read from and written to JSON. Everything except the
`signature` is covered by the signature (see `signing`), so a record read back from any
file or database can be checked for tampering.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

RECORD_FORMAT = 1


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RecordParticipant(_Part):
    id: str
    name: str
    email: str | None = None
    role: str


class RecordProgramme(_Part):
    id: str
    title: str
    ground_rules: tuple[str, ...] = Field(default=(), description="The programme's rule ids, in order.")


class RuleResult(_Part):
    rule: str
    name: str
    earned: int
    best: int


class Decision(_Part):
    """One choice of the best attempt: where, what, and whether it was the best available."""

    scene: str
    choice: str
    best: bool
    critical: str | None = None


class ScenarioResult(_Part):
    scenario_id: str
    title: str
    content_hash: str
    attempt_id: str
    attempts: int
    started_at: str
    finished_at: str
    duration_s: float
    percent: int
    pass_mark: int
    passed: bool
    stars: int
    ending: str
    ending_kind: str
    critical: tuple[str, ...] = ()
    rules: tuple[RuleResult, ...] = ()
    decisions: tuple[Decision, ...] = ()


class SurveyAnswer(_Part):
    part: Literal["before", "after"]
    question_id: str
    kind: Literal["text", "scale"]
    answer: str | int


class Signature(_Part):
    algorithm: Literal["Ed25519"] = "Ed25519"
    canonicalization: Literal["RFC8785"] = "RFC8785"
    public_key: str = Field(description="The signer's raw public key, base64url without padding.")
    value: str = Field(description="The signature, base64url without padding.")


class CompletionRecord(_Part):
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
    # Set when an export changed the record (free text removed, pseudonymised) and signed
    # the result again: the original record id stays, the signer is the exporter.
    redactions: tuple[str, ...] = ()
    signature: Signature | None = None

    def unsigned(self) -> dict:
        """The signed content: everything but the signature, as plain JSON values."""
        return self.model_dump(mode="json", exclude={"signature"})

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> CompletionRecord:
        return cls.model_validate_json(text)
