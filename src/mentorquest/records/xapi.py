"""xAPI 1.0.3 statements for a completion record, in the cmi5 style.

Per decision an `answered` statement (a cmi.interaction of type choice, the choice id as
the response); per attempt `completed` (completion, duration, no score) and `passed` or
`failed` (score, success, duration); per programme a `completed` for the onboarding.
The actor is an account on the programme's home page named by the participant id; the
registration is one UUID per participant and programme. Statement ids are UUIDs derived
from the record's attempt and record ids, so sending a record twice never duplicates.

Statements are built directly as JSON text (`statement_texts`), because an export of a
cohort writes millions of them: a record's statements share the actor, the registration,
the course and, per attempt, the scenario and the context, so those parts are encoded
once per record (activities once per export) and each statement is put together from
the encoded fragments. The text is exactly what `json.dumps(statement, ensure_ascii=False,
separators=(",", ":"))` gives for the statement as a dict; `statements` parses it back into
dicts for callers that want values (the LRS push), so there is one definition of a statement.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from functools import lru_cache
from json.encoder import encode_basestring as _quote  # a str as a JSON string (ensure_ascii=False)
from typing import Any

from mentorquest.engine.record import CompletionRecord

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://mentorquest.invalid"
XAPI_NAMESPACE = uuid.UUID("0b8f3e55-6a43-4d3f-b7a6-2f3c9c1f6a21")

VERB = {
    "answered": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
    "completed": {
        "id": "http://adlnet.gov/expapi/verbs/completed",
        "display": {"en-US": "completed"},
    },
    "passed": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
    "failed": {"id": "http://adlnet.gov/expapi/verbs/failed", "display": {"en-US": "failed"}},
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
COURSE = "http://adlnet.gov/expapi/activities/course"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"

# Compact JSON, UTF-8 text kept as is: the encoding of every exported statement.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_VERB_JSON = {name: _encode(verb) for name, verb in VERB.items()}
_VERSION_JSON = _quote(XAPI_VERSION)

# uuid.uuid5 is SHA-1 over the namespace's bytes and the name, cut to 16 bytes, with the
# version (5) and variant (RFC 4122, binary 10xx) bits set. Done on the hex digest it needs
# no UUID object: hex digit 12 becomes "5", and hex digit 16 keeps its low two bits under 8.
_NAMESPACE_BYTES = XAPI_NAMESPACE.bytes
_VARIANT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def _uuid(*parts: str) -> str:
    """str(uuid.uuid5(XAPI_NAMESPACE, "/".join(parts))), without building a UUID."""
    h = hashlib.sha1(_NAMESPACE_BYTES + "/".join(parts).encode("utf-8")).hexdigest()
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


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


def registration(programme_id: str, participant_id: str) -> str:
    return _uuid("registration", programme_id, participant_id)


def home_page(base: str, programme_id: str) -> str:
    return f"{base.rstrip('/')}/programmes/{programme_id}"


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it (PT1M5.25S is written PT65.25S)."""
    whole = round(seconds, 2)
    text = f"{whole:.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


# Activities are the same in every record of a programme, so their JSON is kept for the
# export (bounded: a programme has a handful of scenarios and scenes). typed=True: a title
# or scene of 1 must not reuse the text made for 1.0 or True.
@lru_cache(maxsize=256, typed=True)
def _course_json(home: str, title: str) -> str:
    return _encode(
        {
            "objectType": "Activity",
            "id": home,
            "definition": {"type": COURSE, "name": {"en": title}},
        }
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


def statement_texts(record: CompletionRecord, *, base: str = DEFAULT_BASE) -> list[str]:
    """The record's statements, each as compact JSON text, in order.

    Each statement is {"id", "actor", "verb", "object", "result", "context", "timestamp",
    "version"}, in that key order; the f-strings below fill in that shape.
    """
    person = record.participant
    programme = record.programme
    home = home_page(base, programme.id)
    reg = registration(programme.id, person.id)
    actor = _encode(
        {
            "objectType": "Agent",
            "name": person.name,
            "account": {"homePage": home, "name": person.id},
        }
    )
    course = _course_json(home, programme.title)
    attempt_key = _quote(f"{base.rstrip('/')}/xapi/extensions/attempt-id")
    reg_json = _quote(reg)
    # What follows the id's text in every statement of this record (closing its quote), up to the verb.
    head = f'","actor":{actor},"verb":'
    answered_head = head + _VERB_JSON["answered"] + ',"object":'
    texts: list[str] = []
    add = texts.append
    for s in record.scenarios:
        attempt_id = s.attempt_id
        title = s.title
        scenario_iri = f"{home}/scenarios/{s.scenario_id}"
        scenario = _scenario_json(scenario_iri, title)
        extensions = f'"extensions":{{{attempt_key}:{_json(attempt_id)}}}'
        # answered: context has the scenario as parent and the course as grouping.
        answered_tail = (
            f',"context":{{"registration":{reg_json},"contextActivities":{{"parent":[{scenario}],'
            f'"grouping":[{course}]}},{extensions}}},"timestamp":{_json(s.started_at)},"version":{_VERSION_JSON}}}'
        )
        for index, d in enumerate(s.decisions, start=1):
            add(
                f'{{"id":"{_uuid(attempt_id, "answered", str(index))}{answered_head}'
                f"{_scene_json(scenario_iri, title, d.scene)},"
                f'"result":{{"response":{_json(d.choice)},"success":{_json(d.best)}}}{answered_tail}'
            )
        # completed and passed/failed: the course as grouping only; the attempt's duration.
        attempt_tail = (
            f',"context":{{"registration":{reg_json},"contextActivities":{{"grouping":[{course}]}},{extensions}}},'
            f'"timestamp":{_json(s.finished_at)},"version":{_VERSION_JSON}}}'
        )
        spent = _quote(duration(s.duration_s))
        add(
            f'{{"id":"{_uuid(attempt_id, "completed")}{head}{_VERB_JSON["completed"]},"object":{scenario},'
            f'"result":{{"completion":true,"duration":{spent}}}{attempt_tail}'
        )
        outcome = "passed" if s.passed else "failed"
        percent = s.percent
        add(
            f'{{"id":"{_uuid(attempt_id, outcome)}{head}{_VERB_JSON[outcome]},"object":{scenario},'
            f'"result":{{"score":{{"scaled":{_json(percent / 100)},"raw":{_json(percent)},"min":0,"max":100}},'
            f'"success":{_json(s.passed)},"duration":{spent}}}{attempt_tail}'
        )
    spent = _quote(duration(_seconds(record.started_at, record.completed_at)))
    add(
        f'{{"id":"{_uuid(record.record_id, "completed")}{head}{_VERB_JSON["completed"]},"object":{course},'
        f'"result":{{"completion":true,"duration":{spent}}},"context":{{"registration":{reg_json}}},'
        f'"timestamp":{_json(record.completed_at)},"version":{_VERSION_JSON}}}'
    )
    return texts


def statements(record: CompletionRecord, *, base: str = DEFAULT_BASE) -> Iterator[dict[str, Any]]:
    """The record's statements as dicts (for the LRS push); the same content as the export."""
    for text in statement_texts(record, base=base):
        yield json.loads(text)


def _seconds(start: str, end: str) -> float:
    from datetime import datetime

    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (b - a).total_seconds())
