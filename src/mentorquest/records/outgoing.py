"""What leaves the building: every export, push, list and report takes its rows from here.

Privacy is applied here, once, for every format: free-text survey answers are left out
unless asked for, and participants can be pseudonymised (ids, names and emails replaced
with a keyed hash of the id, the same in every format and run; record and attempt ids
too, which would otherwise tie a pseudonymised export to a named one). A format that carries
signatures gets records signed again when they were changed, saying what changed; the
others get the redacted records as they are.

Two shapes leave: `outgoing` gives each participant's latest completion record (the fast
path, for a cohort of a hundred thousand), and `participants` gives each participant of a
programme as an `Outgoing` bundle: their record if any, their attempts (finished and in
progress), their survey answers at every stage, read from one consistent view of the
store and merged participant by participant, never held whole in memory.

Records are read in bulk with pydantic's validator over the record's one declaration
(`mentorquest.engine.record`): as strict as the light reader, and fast.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorquest.engine.record import CompletionRecord, RecordParticipant

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from mentorquest.records.pseudonyms import Pseudonyms
    from mentorquest.store import FinishedAttempt, InProgress, Profile, Store, StoredAnswer
    from mentorquest.store.store import Reader

FREE_TEXT_REMOVED = "free-text-removed"
PSEUDONYMISED = "pseudonymised"


class Privacy(NamedTuple):
    """What may leave with the records: by default no free text, real names."""

    include_free_text: bool = False
    pseudonymise: bool = False


DEFAULT_PRIVACY = Privacy()


class Scope(NamedTuple):
    """Which programme and which dates: what happened on or after `since` and before
    `until` (UTC timestamps as records and the store write them)."""

    programme: str | None = None
    since: str | None = None
    until: str | None = None

    def holds(self, stamp: str | None) -> bool:
        if stamp is None:
            return self.since is None and self.until is None
        return (self.since is None or stamp >= self.since) and (
            self.until is None or stamp < self.until
        )


EVERYTHING = Scope()


@cache
def record_adapter() -> TypeAdapter[CompletionRecord]:
    from pydantic import TypeAdapter

    return TypeAdapter(CompletionRecord)


def parse_records(texts: Iterable[str | bytes]) -> Iterator[CompletionRecord]:
    """Records from their stored JSON, checked strictly (pydantic's ValidationError if not)."""
    validate = record_adapter().validate_json
    for text in texts:
        yield validate(text)


class Redactor:
    """Applies one `Privacy` to records and people, with this installation's pseudonyms."""

    def __init__(self, privacy: Privacy, pseudonyms: Pseudonyms | None = None) -> None:
        self.privacy = privacy
        if privacy.pseudonymise and pseudonyms is None:
            from mentorquest.records.pseudonyms import installation_pseudonyms

            pseudonyms = installation_pseudonyms()
        self.pseudonyms = pseudonyms

    def attempt_id(self, attempt_id: str) -> str:
        """An attempt's id as it may leave (a keyed UUID when pseudonymising)."""
        if self.pseudonyms is None:
            return attempt_id
        return self.pseudonyms.uuid("attempt", attempt_id)

    def person(self, person: Person) -> Person:
        if self.pseudonyms is None:
            return person
        p = self.pseudonyms
        return Person(
            id=p.participant_id(person.id),
            name=p.name(person.id),
            email=p.email(person.id) if person.email else None,
            role=person.role,
        )

    def record(self, record: CompletionRecord) -> tuple[CompletionRecord, list[str]]:
        """The record as it may leave the store, and what was changed ([] when nothing was)."""
        changes: list[str] = []
        if not self.privacy.include_free_text and any(a.kind == "text" for a in record.survey):
            record = dataclasses.replace(
                record, survey=tuple(a for a in record.survey if a.kind != "text")
            )
            changes.append(FREE_TEXT_REMOVED)
        if self.pseudonyms is not None:
            person = record.participant
            shown = self.person(Person(person.id, person.name, person.email, person.role))
            record = dataclasses.replace(
                record,
                record_id=self.pseudonyms.uuid("record", record.record_id),
                participant=dataclasses.replace(
                    person, id=shown.id, name=shown.name, email=shown.email
                ),
                scenarios=tuple(
                    dataclasses.replace(s, attempt_id=self.attempt_id(s.attempt_id))
                    for s in record.scenarios
                ),
            )
            changes.append(PSEUDONYMISED)
        return record, changes

    def answers(
        self, answers: Iterable[StoredAnswer], kinds: Callable[[str, str, str, str | int], str]
    ) -> tuple[StoredAnswer, ...]:
        """Answers that may leave: no empty ones (skipped questions), free text only if asked."""
        keep_text = self.privacy.include_free_text
        return tuple(
            a
            for a in answers
            if a.answer != ""
            and (keep_text or kinds(a.programme_id, a.stage, a.question_id, a.answer) != "text")
        )


def redact(record: CompletionRecord, privacy: Privacy) -> tuple[CompletionRecord, list[str]]:
    """The record as it may leave the store under `privacy`, and what was changed."""
    return Redactor(privacy).record(record)


def resign(
    stored: CompletionRecord, record: CompletionRecord, changes: list[str]
) -> CompletionRecord | None:
    """`record`, the `stored` record changed, cannot keep its signature: sign it again,
    saying what changed and, when another key signed it, whose signature it was. A stored
    record whose signature does not match its content is not signed again (None): a new
    signature would vouch for whatever was changed in the store."""
    from mentorquest.records.signing import own_public_key, sign, verify
    from mentorquest.records.trust import fingerprint

    verdict = verify(stored)
    if not verdict.ok or verdict.signer is None:
        return None
    noted = set(record.redactions) | set(changes)
    if verdict.signer != own_public_key():
        noted.add(f"signed before by key {fingerprint(verdict.signer)}")
    redactions = tuple(sorted(noted))
    return sign(dataclasses.replace(record, redactions=redactions, signature=None))


def _altered(on_problem: Callable[[str], None] | None, record: CompletionRecord) -> None:
    if on_problem is not None:
        on_problem(
            f"the stored record {record.record_id} of '{record.participant.id}' does not match "
            "its signature (changed in the store), so it is not signed again and is left out"
        )


def _problem(on_problem: Callable[[str], None] | None, error: Any) -> None:
    if on_problem is not None:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        on_problem(
            f"a stored record is not a valid record and was left out ({where}: {first['msg']})"
        )


def outgoing(
    store: Store,
    *,
    programme: str | None = None,
    since: str | None = None,
    until: str | None = None,
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
    redactor = Redactor(privacy)
    with store.reading() as reader:
        for _programme, _participant, text in reader.record_texts(programme, since, until):
            try:
                record = validate(text)
            except ValidationError as error:
                _problem(on_problem, error)
                continue
            shown, changes = redactor.record(record)
            if changes and signed:
                resigned = resign(record, shown, changes)
                if resigned is None:
                    _altered(on_problem, record)
                    continue
                shown = resigned
            yield shown


# --- participants, whole -----------------------------------------------------------------


class Person(NamedTuple):
    """Who a participant is, as it may be shown (pseudonymised when asked)."""

    id: str
    name: str
    email: str | None
    role: str


class Outgoing(NamedTuple):
    """One participant of one programme, as it may leave the building.

    `person` is redacted as asked; `key` is the participant's own id in the store, for the
    store's own bookkeeping (the push ledger), never written out. `answered` says which
    questions were answered (stage, question id), before free text was taken out.
    """

    programme_id: str
    key: str
    person: Person
    record: CompletionRecord | None
    attempts: tuple[FinishedAttempt, ...]
    in_progress: tuple[InProgress, ...]
    answers: tuple[StoredAnswer, ...]
    answered: frozenset[tuple[str, str]]
    set_aside: int
    last_active: str | None
    # How the ids of `attempts` and `in_progress` may be written out (the record's are
    # already); None: as they are.
    attempt_alias: Callable[[str], str] | None = None
    # The record's attempt ids as written out -> as the store has them (pseudonymised
    # records only): a push's ledger keys its statements by the real ids, so that
    # pseudonymising after a named push voids what the named push sent.
    real_attempt_ids: Mapping[str, str] = MappingProxyType({})


class Needs(NamedTuple):
    """What a face needs of each participant (what is not needed is not read)."""

    attempts: bool = True
    answers: bool = True
    idle: bool = False  # participants with a profile and nothing else yet (not started)


EVERY_PART = Needs()


def participants(
    store: Store,
    *,
    scope: Scope = EVERYTHING,
    privacy: Privacy = DEFAULT_PRIVACY,
    needs: Needs = EVERY_PART,
    kinds: Callable[[str, str, str, str | int], str] | None = None,
    signed: bool = False,
    idle_programme: str | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> Iterator[Outgoing]:
    """Every participant with anything in `scope`, one bundle each, ordered by programme
    and participant id.

    `kinds(programme_id, stage, question_id, answer)` says whether an answer is text or
    scale (free text is left out unless asked for); without it, a number is a scale answer
    and anything else text.
    Participants who only have a profile are given as not started in `idle_programme`
    when `needs.idle` (and no dates limit the scope). Attempts, answers and in-progress
    attempts outside the dates of `scope` are left out; a participant with nothing left
    in scope is not given.
    """
    redactor = Redactor(privacy)
    kind_of = kinds or _kind_by_value
    with store.reading() as reader:
        profiles = {p.id: p for p in reader.profiles()}
        set_aside = reader.set_aside_counts(scope.programme) if needs.attempts else {}
        streams = _streams(reader, scope, needs, on_problem)
        seen: set[str] = set()
        for (programme_id, participant_id), items in itertools.groupby(
            heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]
        ):
            seen.add(participant_id)
            bundle = _bundle(
                programme_id,
                participant_id,
                [(kind, value) for _, kind, value in items],
                profiles.get(participant_id),
                set_aside.get((programme_id, participant_id), 0),
                scope,
                redactor,
                kind_of,
                signed,
                on_problem,
            )
            if bundle is not None:
                yield bundle
        if (
            needs.idle
            and idle_programme is not None
            and scope.since is None
            and scope.until is None
        ):
            if scope.programme not in (None, idle_programme):
                return
            present = reader.programme_ids()
            if present and idle_programme not in present:
                return  # the store is about other programmes: its idle profiles are not ours
            for pid in sorted(set(profiles) - seen):
                profile = profiles[pid]
                yield Outgoing(
                    programme_id=idle_programme,
                    key=pid,
                    person=redactor.person(_person(profile, None)),
                    record=None,
                    attempts=(),
                    in_progress=(),
                    answers=(),
                    answered=frozenset(),
                    set_aside=0,
                    last_active=None,
                )


def _kind_by_value(_programme: str, _stage: str, _question: str, answer: str | int) -> str:
    return "scale" if isinstance(answer, int) else "text"


def _streams(
    reader: Reader, scope: Scope, needs: Needs, on_problem: Callable[[str], None] | None
) -> list[Iterator[tuple[tuple[str, str], str, Any]]]:
    from pydantic import ValidationError

    validate = record_adapter().validate_json

    def records() -> Iterator[tuple[tuple[str, str], str, Any]]:
        for programme, participant, text in reader.record_texts(
            scope.programme, scope.since, scope.until, order="participant"
        ):
            try:
                record = validate(text)
            except ValidationError as error:
                _problem(on_problem, error)
                continue
            yield (programme, participant), "record", record

    def tagged(kind: str, rows: Iterable[Any]) -> Iterator[tuple[tuple[str, str], str, Any]]:
        for row in rows:
            yield (row.programme_id, row.participant_id), kind, row

    streams = [records()]
    if needs.attempts:
        streams.append(tagged("attempt", reader.finished_attempts(scope.programme)))
        streams.append(tagged("in_progress", reader.in_progress(scope.programme)))
    if needs.answers:
        streams.append(tagged("answer", reader.answers(scope.programme)))
    return streams


def _person(profile: Profile | None, record: CompletionRecord | None) -> Person:
    if profile is not None:
        return Person(profile.id, profile.name, profile.email, profile.role)
    assert record is not None
    p: RecordParticipant = record.participant
    return Person(p.id, p.name, p.email, p.role)


def _bundle(
    programme_id: str,
    participant_id: str,
    items: list[tuple[str, Any]],
    profile: Profile | None,
    set_aside: int,
    scope: Scope,
    redactor: Redactor,
    kinds: Callable[[str, str, str, str | int], str],
    signed: bool,
    on_problem: Callable[[str], None] | None = None,
) -> Outgoing | None:
    record: CompletionRecord | None = None
    attempts: list[FinishedAttempt] = []
    in_progress: list[InProgress] = []
    answers: list[StoredAnswer] = []
    for kind, value in items:
        if kind == "record":
            record = value
        elif kind == "attempt" and scope.holds(value.finished_at):
            attempts.append(value)
        elif kind == "in_progress" and scope.holds(value.saved_at):
            in_progress.append(value)
        elif kind == "answer" and scope.holds(value.answered_at):
            answers.append(value)
    if record is None and not attempts and not in_progress and not answers:
        return None
    if profile is None and record is None:
        profile_like = Person(participant_id, participant_id, None, "")
    else:
        profile_like = _person(profile, record)
    shown = None
    if record is not None:
        shown, changes = redactor.record(record)
        if changes and signed:
            resigned = resign(record, shown, changes)
            if resigned is None:
                _altered(on_problem, record)
            shown = resigned
    stamps = [
        *(a.finished_at for a in attempts),
        *(a.saved_at for a in in_progress),
        *(a.answered_at for a in answers),
        *([record.completed_at] if record is not None else []),
    ]
    return Outgoing(
        programme_id=programme_id,
        key=participant_id,
        person=redactor.person(profile_like),
        record=shown,
        attempts=tuple(attempts),
        in_progress=tuple(in_progress),
        answers=redactor.answers(answers, kinds),
        answered=frozenset(
            [(a.stage, a.question_id) for a in answers if a.answer != ""]
            + ([(a.part, a.question_id) for a in record.survey] if record is not None else [])
        ),
        set_aside=set_aside,
        last_active=max(stamps) if stamps else None,
        attempt_alias=redactor.attempt_id if redactor.pseudonyms is not None else None,
        real_attempt_ids=(
            {redactor.attempt_id(s.attempt_id): s.attempt_id for s in record.scenarios}
            if record is not None and redactor.pseudonyms is not None
            else {}
        ),
    )
