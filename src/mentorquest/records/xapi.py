"""xAPI 1.0.3 statements for every attempt and survey answer of a participant.

**Not cmi5.** cmi5 is a profile for content that a learning management system launches:
the LMS issues the registration, the session, the launch data and the `moveOn` rule, and
the content's statements follow from them. mentorquest is not launched by an LMS, so it
makes no cmi5 claim: no cmi5 category, `moveOn` or session extensions. Its statements
are plain xAPI 1.0.3 with ADL's verbs, which any conforming LRS stores and reports on.

Per attempt (finished, passed or not, or still in progress), in the order played:
`initialized` (the scenario, at the attempt's start); `answered` for each decision (a
cmi.interaction of type choice: the choice id as the response, `success` when it was the
best choice available, at the time the decision was made); then, once the attempt reached
an ending, `completed` (duration), `passed` or `failed` (score out of 100, success) and
`terminated`, at its finish. Per survey answer (every stage): `answered` on the question
(a likert interaction with the 1-5 scale as score and response; free text only when asked
for, as the response of a long-fill-in interaction). Per completion record: `completed`
on the programme (a course).

Ids come from the programme's own IRI (`iri:` in programme.yaml, or `--base-url`): the
course is the IRI itself, scenarios `IRI/scenarios/ID`, scenes `.../scenes/ID`, survey
questions `IRI/survey/STAGE/ID`; the actor is an account on the IRI named by the
participant id (pseudonymised when asked). The registration is one UUID per participant
and programme IRI.

**Statement ids follow content.** Each statement has a key (what it is about: an attempt's
decision, a survey answer) that never changes, and a body (everything but its id). Its id
is a UUID derived from the key and the body, so an export or push of the same content
gives the same ids (an LRS stores it once), and any change (a corrected name, a
pseudonym, another IRI) gives new ones; `records push` keeps a ledger of what it sent and
voids what a new statement replaces (see `records.push`).

Statements are built directly as JSON text, because an export of a cohort writes millions
of them: a participant's statements share the actor, registration and course, and an
attempt's its scenario and context, so those parts are encoded once and each statement
is put together from the encoded fragments. The text is exactly what
`json.dumps(statement, ensure_ascii=False, separators=(",", ":"))` gives for the statement
as a dict; a test checks it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from functools import lru_cache
from json.encoder import encode_basestring as _quote  # a str as a JSON string (ensure_ascii=False)
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorquest.errors import UsageError

if TYPE_CHECKING:
    from mentorquest.language.library import Library
    from mentorquest.records.outgoing import Outgoing
    from mentorquest.records.standing import ProgrammeInfo
    from mentorquest.store import FinishedAttempt, InProgress

XAPI_VERSION = "1.0.3"
XAPI_NAMESPACE = uuid.UUID("0b8f3e55-6a43-4d3f-b7a6-2f3c9c1f6a21")
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = ("initialized", "answered", "completed", "passed", "failed", "terminated", "voided")
VERB = {name: {"id": ADL + name, "display": {"en-US": name}} for name in VERBS}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
COURSE = "http://adlnet.gov/expapi/activities/course"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
QUESTION = "http://adlnet.gov/expapi/activities/question"
SETTING = "iri"  # the programme.yaml setting that names the programme's IRI

# Compact JSON, UTF-8 text kept as is: the encoding of every exported statement.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_VERB_JSON = {name: _encode(verb) for name, verb in VERB.items()}
_VERSION_JSON = _quote(XAPI_VERSION)

# uuid.uuid5 is SHA-1 over the namespace's bytes and the name, cut to 16 bytes, with the
# version (5) and variant (RFC 4122, binary 10xx) bits set. Done on the hex digest it needs
# no UUID object: hex digit 12 becomes "5", and hex digit 16 keeps its low two bits under 8.
# The SHA-1 state after the namespace's bytes, copied for each id (the namespace is hashed
# once, and no bytes are joined to it).
_NAMESPACE_SHA1 = hashlib.sha1(XAPI_NAMESPACE.bytes)
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def _uuid(*parts: str) -> str:
    """str(uuid.uuid5(XAPI_NAMESPACE, "/".join(parts))), without building a UUID."""
    return _uuid_of("/".join(parts).encode("utf-8"))


def _uuid_of(name: bytes) -> str:
    sha1 = _NAMESPACE_SHA1.copy()
    sha1.update(name)
    h = sha1.hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


_NUL = "\0"


def statement_id(key: str, body: str, generation: int = 0) -> str:
    """The id of the statement with this key and body: uuid5 of `key NUL body` (the first
    time it is sent; `records push` counts on for a key whose earlier ids were used)."""
    prefix = key if generation == 0 else f"{key}{_NUL}{generation}"
    return _uuid_of(f"{prefix}{_NUL}{body}".encode())


def digest(body: str) -> str:
    """What the push ledger remembers of a statement's content."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def statement_text(key: str, body: str, generation: int = 0) -> str:
    """The whole statement as JSON text: its id, then its body."""
    return f'{{"id":"{statement_id(key, body, generation)}"{body}'


def _json(value: object) -> str:
    """One JSON value, as _encode writes it; str, bool, int and float without its overhead."""
    if value.__class__ is str:
        return _quote(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is int:
        return int.__repr__(value)
    if value.__class__ is float and value - value == 0.0:  # finite (json writes NaN, Infinity)
        return float.__repr__(value)
    return _encode(value)


def registration(programme_iri: str, participant_id: str) -> str:
    """One UUID per participant of a programme, from the programme's own IRI (so that two
    organisations' participants of the same name never share one in a shared LRS)."""
    return _uuid("registration", programme_iri, participant_id)


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it (PT1M5.25S is written PT65.25S)."""
    whole = round(seconds, 2)
    text = f"{whole:.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


# --- the programme's IRI ------------------------------------------------------------------


def programme_iri(
    programme_id: str,
    library: Library | None,
    *,
    base_url: str | None = None,
    env_base: str | None = None,
) -> str:
    """The IRI xAPI ids of a programme are made from: `--base-url`, else the programme's own
    `iri:` (from its library), else MENTORQUEST_XAPI_BASE; refused when there is none."""
    if base_url:
        return f"{_check_base(base_url, '--base-url')}/programmes/{programme_id}"
    if library is not None and library.programme.id == programme_id and library.programme.iri:
        return library.programme.iri.rstrip("/")
    if env_base:
        return f"{_check_base(env_base, 'MENTORQUEST_XAPI_BASE')}/programmes/{programme_id}"
    raise UsageError(
        f"xAPI statements need the programme's own IRI, and programme '{programme_id}' has "
        f"none: set `{SETTING}:` in its programme.yaml (e.g. {SETTING}: "
        f"https://mentoring.your-organisation.example/programmes/{programme_id}) and give its "
        "--library DIR, or give --base-url URL (or MENTORQUEST_XAPI_BASE)"
    )


def _check_base(base: str, where: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"{where} must be an http or https address of your organisation "
            f"(e.g. https://mentoring.example.org); got '{base}'"
        )
    return base.strip().rstrip("/")


# --- activities, encoded once -------------------------------------------------------------
# Activities are the same for every participant of a programme, so their JSON is kept for
# the export (bounded: a programme has a handful of scenarios, scenes and questions).
# typed=True: a title or scene of 1 must not reuse the text made for 1.0 or True.


@lru_cache(maxsize=256, typed=True)
def _course_json(iri: str, title: str) -> str:
    return _encode(
        {"objectType": "Activity", "id": iri, "definition": {"type": COURSE, "name": {"en": title}}}
    )


@lru_cache(maxsize=1024, typed=True)
def _scenario_json(scenario_iri: str, title: object) -> str:
    return _encode(
        {
            "objectType": "Activity",
            "id": scenario_iri,
            "definition": {"type": SIMULATION, "name": {"en": title}},
        }
    )


@lru_cache(maxsize=8192, typed=True)
def _scene_json(scenario_iri: str, title: object, scene: object) -> str:
    return _encode(
        {
            "objectType": "Activity",
            "id": f"{scenario_iri}/scenes/{scene}",
            "definition": {
                "type": INTERACTION,
                "name": {"en": f"{title}: {scene}"},
                "interactionType": "choice",
            },
        }
    )


_SCALE = [{"id": str(n), "description": {"en": str(n)}} for n in range(1, 6)]


@lru_cache(maxsize=1024, typed=True)
def _question_json(iri: str, stage: str, question_id: str, prompt: str, kind: str) -> str:
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": {"en": prompt},
        "interactionType": "likert" if kind == "scale" else "long-fill-in",
    }
    if kind == "scale":
        definition["scale"] = _SCALE
    return _encode(
        {
            "objectType": "Activity",
            "id": f"{iri}/survey/{stage}/{question_id}",
            "definition": definition,
        }
    )


# --- statements -------------------------------------------------------------------------


class Piece(NamedTuple):
    """One statement as keyed content: `body` is the statement after its id (the JSON text
    from `,"actor":` to the closing brace); None when there is something this key could
    say but it is kept back (free text without --include-free-text)."""

    key: str
    body: str | None
    iri: str


class AttemptView(NamedTuple):
    """What a statement needs of an attempt, whichever source it came from."""

    attempt_id: str
    scenario_id: str
    title: str
    started_at: str
    finished_at: str | None  # None: in progress
    duration_s: float
    decisions: tuple[tuple[str, str, bool | None, str | None], ...]  # scene, choice, best, at
    percent: int | None
    passed: bool | None
    shown_id: str | None = None  # the id written out, when not `attempt_id` (pseudonymised)


def attempt_views(bundle: Outgoing, info: ProgrammeInfo) -> list[AttemptView]:
    """Every attempt of a participant the store knows of: finished ones kept here, those
    in progress, and those only their completion record carries (sent in from elsewhere)."""
    views: list[AttemptView] = []
    local = set()  # ids as written out, as the record has them
    alias = bundle.attempt_alias
    titles = {s.scenario_id: s.title for s in bundle.record.scenarios} if bundle.record else {}
    for attempt in bundle.attempts:
        view = _finished_view(
            attempt, info.title_of(attempt.scenario_id, titles.get(attempt.scenario_id))
        )
        if alias is not None:
            view = view._replace(shown_id=alias(view.attempt_id))
        local.add(view.shown_id or view.attempt_id)
        views.append(view)
    for saved in bundle.in_progress:
        found = _in_progress_view(saved, info, titles)
        if found is None:
            continue
        if alias is not None:
            found = found._replace(shown_id=alias(found.attempt_id))
        if (found.shown_id or found.attempt_id) not in local:
            local.add(found.shown_id or found.attempt_id)
            views.append(found)
    if bundle.record is not None:
        for s in bundle.record.scenarios:
            if s.attempt_id in local:
                continue
            real = bundle.real_attempt_ids.get(s.attempt_id, s.attempt_id)
            views.append(
                AttemptView(
                    real,
                    s.scenario_id,
                    s.title,
                    s.started_at,
                    s.finished_at,
                    s.duration_s,
                    tuple((d.scene, d.choice, d.best, d.at) for d in s.decisions),
                    s.percent,
                    s.passed,
                    shown_id=s.attempt_id if real != s.attempt_id else None,
                )
            )
    views.sort(key=lambda v: (v.started_at, v.attempt_id))
    return views


def _finished_view(attempt: FinishedAttempt, title: str) -> AttemptView:
    entries = attempt.debrief.entries
    if attempt.state is not None and len(attempt.state.path) == len(entries):
        times: list[str | None] = [step.at for step in attempt.state.path]
    else:
        times = [None] * len(entries)
    result = attempt.result
    return AttemptView(
        attempt.attempt_id,
        attempt.scenario_id,
        title,
        attempt.started_at,
        attempt.finished_at,
        attempt.duration_s,
        tuple((e.scene, e.choice, e.was_best, at) for e, at in zip(entries, times, strict=True)),
        result.percent,
        result.passed,
    )


def _in_progress_view(
    saved: InProgress, info: ProgrammeInfo, titles: dict[str, str]
) -> AttemptView | None:
    from mentorquest.engine.state import AttemptState

    try:
        state = AttemptState.from_json(saved.state_json)
    except ValueError:
        return None  # a save that cannot be read is not sent (the player sets it aside)
    best = _marks(state, info)
    decisions = tuple(
        (step.scene, step.choice, best[i] if best else None, step.at)
        for i, step in enumerate(state.path)
    )
    return AttemptView(
        state.attempt_id,
        state.scenario_id,
        info.title_of(state.scenario_id, titles.get(state.scenario_id)),
        state.started_at,
        None,
        0.0,
        decisions,
        None,
        None,
    )


def _marks(state: Any, info: ProgrammeInfo) -> list[bool] | None:
    """Whether each decision so far was the best available, by replaying the path (when the
    library holds the version played); None when that cannot be known."""
    library = info.library
    if library is None or state.scenario_id not in library.scenarios:
        return None
    from mentorquest.engine import Engine
    from mentorquest.errors import MentorquestError

    try:
        attempt = (info.engine or Engine(library)).restore(state)
        return [entry.was_best for entry in attempt.debrief().entries]
    except (MentorquestError, ValueError):
        return None


Keyed = tuple[str, "str | None"]  # a statement's key and body (None: kept back)


def pieces(
    bundle: Outgoing, info: ProgrammeInfo, iri: str, *, include_free_text: bool = False
) -> Iterator[Piece]:
    """Every statement of one participant, as keyed bodies, in the order they happened."""
    for key, body in _keyed(bundle, info, iri, include_free_text):
        yield Piece(key, body, iri)


def texts(
    bundle: Outgoing, info: ProgrammeInfo, iri: str, *, include_free_text: bool = False
) -> list[str]:
    """The participant's statements as whole JSON texts (ids included), as exported."""
    # statement_text(key, body) for each, without its two calls per statement (an export
    # makes millions of ids; the id is the same, as a test checks).
    return [
        f'{{"id":"{_uuid_of((key + _NUL + body).encode())}"{body}'
        for key, body in _keyed(bundle, info, iri, include_free_text)
        if body is not None
    ]


def _keyed(
    bundle: Outgoing, info: ProgrammeInfo, iri: str, include_free_text: bool
) -> Iterator[Keyed]:
    person = bundle.person
    title = info.programme.title if info.programme is not None else None
    if title is None and bundle.record is not None:
        title = bundle.record.programme.title
    course = _course_json(iri, title or bundle.programme_id)
    reg_json = _quote(registration(iri, person.id))
    actor = _encode(
        {
            "objectType": "Agent",
            "name": person.name,
            "account": {"homePage": iri, "name": person.id},
        }
    )
    attempt_key = _quote(f"{iri}/extensions/attempt-id")
    stage_key = _quote(f"{iri}/extensions/survey-stage")
    head = f',"actor":{actor},"verb":'
    own = bundle.key  # the store's own id for the participant: keys only, never sent
    for view in attempt_views(bundle, info):
        yield from _attempt_pieces(view, iri, head, course, reg_json, attempt_key)
    yield from _answer_pieces(
        bundle, info, iri, head, course, reg_json, stage_key, own, include_free_text
    )
    record = bundle.record
    if record is not None:
        spent = _quote(duration(_seconds(record.started_at, record.completed_at)))
        yield (
            f"record/{bundle.programme_id}/{own}/completed",
            f'{head}{_VERB_JSON["completed"]},"object":{course},'
            f'"result":{{"completion":true,"duration":{spent}}},"context":{{"registration":{reg_json},'
            f'"extensions":{{{_quote(iri + "/extensions/record-id")}:{_json(record.record_id)}}}}},'
            f'"timestamp":{_json(record.completed_at)},"version":{_VERSION_JSON}}}',
        )


# Whether a decision was the best available, as its `result` says it (nothing when unknown).
_SUCCESS = {True: ',"success":true', False: ',"success":false', None: ""}


def _attempt_pieces(
    view: AttemptView, iri: str, head: str, course: str, reg_json: str, attempt_key: str
) -> Iterator[Keyed]:
    attempt_id = view.attempt_id
    scenario_iri = f"{iri}/scenarios/{view.scenario_id}"
    scenario = _scenario_json(scenario_iri, view.title)
    extensions = f'"extensions":{{{attempt_key}:{_json(view.shown_id or attempt_id)}}}'
    grouping = f'"contextActivities":{{"grouping":[{course}]}}'
    context = f',"context":{{"registration":{reg_json},{grouping},{extensions}}}'
    tail = f',"version":{_VERSION_JSON}}}'
    key = f"attempt/{attempt_id}/"
    yield (
        key + "initialized",
        f'{head}{_VERB_JSON["initialized"]},"object":{scenario}{context},'
        f'"timestamp":{_json(view.started_at)}{tail}',
    )
    # A decision's statement, around what is its own (the scene, the choice, whether it was
    # the best, when): everything else is the attempt's, put together once.
    answered_head = head + _VERB_JSON["answered"] + ',"object":'
    answered_tail = (
        f',"context":{{"registration":{reg_json},"contextActivities":{{"parent":[{scenario}],'
        f'"grouping":[{course}]}},{extensions}}},"timestamp":'
    )
    started = view.started_at
    title = view.title
    answered = key + "answered/"
    for index, (scene, choice, best, at) in enumerate(view.decisions, start=1):
        yield (
            f"{answered}{index}",
            f"{answered_head}{_scene_json(scenario_iri, title, scene)},"
            f'"result":{{"response":{_quote(choice)}{_SUCCESS[best]}}}{answered_tail}'
            f"{_quote(at or started)}{tail}",
        )
    if view.finished_at is None:
        return
    spent = _quote(duration(view.duration_s))
    finished = _json(view.finished_at)
    yield (
        key + "completed",
        f'{head}{_VERB_JSON["completed"]},"object":{scenario},'
        f'"result":{{"completion":true,"duration":{spent}}}{context},"timestamp":{finished}{tail}',
    )
    percent = view.percent or 0
    outcome = "passed" if view.passed else "failed"
    yield (
        key + "result",
        f'{head}{_VERB_JSON[outcome]},"object":{scenario},'
        f'"result":{{"score":{{"scaled":{_json(percent / 100)},"raw":{_json(percent)},"min":0,"max":100}},'
        f'"success":{_json(bool(view.passed))},"completion":true,"duration":{spent}}}'
        f'{context},"timestamp":{finished}{tail}',
    )
    yield (
        key + "terminated",
        f'{head}{_VERB_JSON["terminated"]},"object":{scenario},'
        f'"result":{{"duration":{spent}}}{context},"timestamp":{finished}{tail}',
    )


def _answer_pieces(
    bundle: Outgoing,
    info: ProgrammeInfo,
    iri: str,
    head: str,
    course: str,
    reg_json: str,
    stage_key: str,
    own: str,
    include_free_text: bool,
) -> Iterator[Keyed]:
    # The store's answers (every stage, with their times); else the record's (onboarding's,
    # timed by the record: before at its start, after at its completion).
    answers: dict[tuple[str, str], tuple[str | int, str, str]] = {}
    record = bundle.record
    if record is not None:
        for a in record.survey:
            when = record.started_at if a.part == "before" else record.completed_at
            answers[(a.part, a.question_id)] = (a.answer, a.kind, when)
    for stored in bundle.answers:
        kind = info.kind(stored.stage, stored.question_id, stored.answer)
        answers[(stored.stage, stored.question_id)] = (stored.answer, kind, stored.answered_at)
    base = f"survey/{bundle.programme_id}/{own}/"
    withheld = {(stage, qid) for stage, qid in bundle.answered if (stage, qid) not in answers}
    for stage, qid in sorted(withheld):
        yield (f"{base}{stage}/{qid}", None)
    for (stage, qid), (answer, kind, when) in answers.items():
        question = info.question(stage, qid)
        prompt = question.prompt if question is not None else qid
        activity = _question_json(iri, stage, qid, prompt, kind)
        if kind == "scale" and isinstance(answer, int):
            scaled = (answer - 1) / 4
            result = (
                f'"result":{{"score":{{"scaled":{_json(scaled)},"raw":{answer},"min":1,"max":5}},'
                f'"response":{_quote(str(answer))}}}'
            )
        elif include_free_text:
            result = f'"result":{{"response":{_json(str(answer))}}}'
        else:
            yield (f"{base}{stage}/{qid}", None)
            continue
        yield (
            f"{base}{stage}/{qid}",
            f'{head}{_VERB_JSON["answered"]},"object":{activity},{result},'
            f'"context":{{"registration":{reg_json},"contextActivities":{{"grouping":[{course}]}},'
            f'"extensions":{{{stage_key}:{_quote(stage)}}}}},'
            f'"timestamp":{_json(when)},"version":{_VERSION_JSON}}}',
        )


def statements(
    bundle: Outgoing, info: ProgrammeInfo, iri: str, *, include_free_text: bool = False
) -> Iterator[dict[str, Any]]:
    """The same statements as dicts (for tests and callers that want values)."""
    for text in texts(bundle, info, iri, include_free_text=include_free_text):
        yield json.loads(text)


def voiding_text(voided_id: str, iri: str) -> tuple[str, str]:
    """(id, JSON text) of the statement that voids `voided_id`, by this programme's
    coordinator (an account named mentorquest on the programme's IRI)."""
    actor = _encode(
        {
            "objectType": "Agent",
            "name": "mentorquest",
            "account": {"homePage": iri, "name": "mentorquest"},
        }
    )
    body = (
        f',"actor":{actor},"verb":{_VERB_JSON["voided"]},'
        f'"object":{{"objectType":"StatementRef","id":{_quote(voided_id)}}},"version":{_VERSION_JSON}}}'
    )
    sid = _uuid("voiding", voided_id)
    return sid, f'{{"id":"{sid}"{body}'


def _seconds(start: str, end: str) -> float:
    from datetime import datetime

    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (b - a).total_seconds())
