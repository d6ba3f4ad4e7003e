"""xAPI 1.0.3 statements for a completion record, in the cmi5 style.

Per decision an `answered` statement (a cmi.interaction of type choice, the choice id as
the response); per attempt `completed` (completion, duration, no score) and `passed` or
`failed` (score, success, duration); per programme a `completed` for the onboarding.
The actor is an account on the programme's home page named by the participant id; the
registration is one UUID per participant and programme. Statement ids are UUIDs derived
from the record's attempt and record ids, so sending a record twice never duplicates.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

XAPI_VERSION = "1.0.3"
DEFAULT_BASE = "https://mentorquest.invalid"
XAPI_NAMESPACE = uuid.UUID("0b8f3e55-6a43-4d3f-b7a6-2f3c9c1f6a21")

VERB = {
    "answered": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
    "completed": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
    "passed": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-US": "passed"}},
    "failed": {"id": "http://adlnet.gov/expapi/verbs/failed", "display": {"en-US": "failed"}},
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
COURSE = "http://adlnet.gov/expapi/activities/course"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(XAPI_NAMESPACE, "/".join(parts)))


def registration(programme_id: str, participant_id: str) -> str:
    return _uuid("registration", programme_id, participant_id)


def home_page(base: str, programme_id: str) -> str:
    return f"{base.rstrip('/')}/programmes/{programme_id}"


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it (PT1M5.25S is written PT65.25S)."""
    whole = round(seconds, 2)
    text = f"{whole:.2f}".rstrip("0").rstrip(".")
    return f"PT{text}S"


def statements(record: dict, *, base: str = DEFAULT_BASE) -> Iterator[dict]:
    person = record["participant"]
    programme = record["programme"]
    home = home_page(base, programme["id"])
    actor = {
        "objectType": "Agent",
        "name": person["name"],
        "account": {"homePage": home, "name": person["id"]},
    }
    course = {
        "objectType": "Activity",
        "id": home,
        "definition": {"type": COURSE, "name": {"en": programme["title"]}},
    }
    reg = registration(programme["id"], person["id"])
    attempt_key = f"{base.rstrip('/')}/xapi/extensions/attempt-id"
    for s in record["scenarios"]:
        attempt_id = s["attempt_id"]
        scenario_iri = f"{home}/scenarios/{s['scenario_id']}"
        scenario = {
            "objectType": "Activity",
            "id": scenario_iri,
            "definition": {"type": SIMULATION, "name": {"en": s["title"]}},
        }
        context = {
            "registration": reg,
            "contextActivities": {"parent": [scenario], "grouping": [course]},
            "extensions": {attempt_key: attempt_id},
        }
        for index, d in enumerate(s["decisions"], start=1):
            yield {
                "id": _uuid(attempt_id, "answered", str(index)),
                "actor": actor,
                "verb": VERB["answered"],
                "object": {
                    "objectType": "Activity",
                    "id": f"{scenario_iri}/scenes/{d['scene']}",
                    "definition": {
                        "type": INTERACTION,
                        "name": {"en": f"{s['title']}: {d['scene']}"},
                        "interactionType": "choice",
                    },
                },
                "result": {"response": d["choice"], "success": d["best"]},
                "context": context,
                "timestamp": s["started_at"],
                "version": XAPI_VERSION,
            }
        attempt_context = {
            "registration": reg,
            "contextActivities": {"grouping": [course]},
            "extensions": {attempt_key: attempt_id},
        }
        spent = duration(s["duration_s"])
        yield {
            "id": _uuid(attempt_id, "completed"),
            "actor": actor,
            "verb": VERB["completed"],
            "object": scenario,
            "result": {"completion": True, "duration": spent},
            "context": attempt_context,
            "timestamp": s["finished_at"],
            "version": XAPI_VERSION,
        }
        outcome = "passed" if s["passed"] else "failed"
        yield {
            "id": _uuid(attempt_id, outcome),
            "actor": actor,
            "verb": VERB[outcome],
            "object": scenario,
            "result": {
                "score": {"scaled": s["percent"] / 100, "raw": s["percent"], "min": 0, "max": 100},
                "success": s["passed"],
                "duration": spent,
            },
            "context": attempt_context,
            "timestamp": s["finished_at"],
            "version": XAPI_VERSION,
        }
    yield {
        "id": _uuid(record["record_id"], "completed"),
        "actor": actor,
        "verb": VERB["completed"],
        "object": course,
        "result": {"completion": True, "duration": duration(_seconds(record["started_at"], record["completed_at"]))},
        "context": {"registration": reg},
        "timestamp": record["completed_at"],
        "version": XAPI_VERSION,
    }


def _seconds(start: str, end: str) -> float:
    from datetime import datetime

    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return max(0.0, (b - a).total_seconds())
