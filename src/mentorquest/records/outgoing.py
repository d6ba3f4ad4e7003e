"""What leaves the building: every export and every push takes its records from `outgoing`.

Privacy is applied here, once, for every format: free-text survey answers are left out
unless asked for, and participants can be pseudonymised. A format that carries
signatures gets records signed again when they were changed, saying what changed; the
others get the redacted records as they are.

Records are read in bulk with pydantic's validator over the record's one declaration
(`mentorquest.engine.record`): as strict as the light reader, and fast enough for a
cohort of a hundred thousand.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from mentorquest.engine.record import CompletionRecord

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from mentorquest.store import Store

FREE_TEXT_REMOVED = "free-text-removed"
PSEUDONYMISED = "pseudonymised"


class Privacy(NamedTuple):
    """What may leave with the records: by default no free text, real names."""

    include_free_text: bool = False
    pseudonymise: bool = False


DEFAULT_PRIVACY = Privacy()


@cache
def record_adapter() -> TypeAdapter[CompletionRecord]:
    from pydantic import TypeAdapter

    return TypeAdapter(CompletionRecord)


def parse_records(texts: Iterable[str | bytes]) -> Iterator[CompletionRecord]:
    """Records from their stored JSON, checked strictly (pydantic's ValidationError if not)."""
    validate = record_adapter().validate_json
    for text in texts:
        yield validate(text)


def pseudonym(participant_id: str) -> str:
    """A stable stand-in for a participant, the same in every export and every run."""
    return hashlib.sha256(("mentorquest-pseudonym\0" + participant_id).encode("utf-8")).hexdigest()[
        :16
    ]


def redact(record: CompletionRecord, privacy: Privacy) -> tuple[CompletionRecord, list[str]]:
    """The record as it may leave the store, and what was changed ([] when nothing was)."""
    changes: list[str] = []
    if not privacy.include_free_text and any(a.kind == "text" for a in record.survey):
        record = dataclasses.replace(
            record, survey=tuple(a for a in record.survey if a.kind != "text")
        )
        changes.append(FREE_TEXT_REMOVED)
    if privacy.pseudonymise:
        person = record.participant
        token = pseudonym(person.id)
        record = dataclasses.replace(
            record,
            participant=dataclasses.replace(
                person,
                name=f"participant-{token}",
                email=f"{token}@pseudonymised.invalid" if person.email else None,
            ),
        )
        changes.append(PSEUDONYMISED)
    return record, changes


def resign(record: CompletionRecord, changes: list[str]) -> CompletionRecord:
    """A changed record cannot keep its signature: sign it again, saying what changed."""
    from mentorquest.records.signing import sign

    redactions = tuple(sorted(set(record.redactions) | set(changes)))
    return sign(dataclasses.replace(record, redactions=redactions, signature=None))


def outgoing(
    store: Store,
    *,
    programme: str | None = None,
    since: str | None = None,
    privacy: Privacy = DEFAULT_PRIVACY,
    signed: bool = False,
    on_problem: Callable[[str], None] | None = None,
) -> Iterator[CompletionRecord]:
    """Each participant's latest record, oldest first, redacted as `privacy` says.

    With `signed`, a record that redaction changed is signed again by this installation. A
    stored record that is not a valid record is left out, and `on_problem` told which.
    """
    from pydantic import ValidationError

    validate = record_adapter().validate_json
    for text in store.record_texts(programme, since):
        try:
            record = validate(text)
        except ValidationError as error:
            if on_problem is not None:
                first = error.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                on_problem(
                    f"a stored record is not a valid record and was left out ({where}: {first['msg']})"
                )
            continue
        record, changes = redact(record, privacy)
        if changes and signed:
            record = resign(record, changes)
        yield record
