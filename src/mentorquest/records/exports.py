"""Exports of completion records: CSV for spreadsheets, JSONL of signed records, xAPI.

Exports work on records as plain JSON values (as stored), not on models, so that a
cohort of a hundred thousand records exports in seconds. Privacy is applied here, once,
for every format: free-text survey answers are left out unless asked for, and
participants can be pseudonymised.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from mentorquest.engine.attempt import percent_of
from mentorquest.records.model import CompletionRecord
from mentorquest.records.signing import sign

CSV_FIXED = [
    "participant_id", "name", "email", "role", "programme_id", "scenario_id", "scenario_title",
    "attempts", "started_at", "completed_at", "duration_s", "percent", "passed", "stars", "critical",
]
FORMATS = ("csv", "jsonl", "xapi")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(participant_id: str) -> str:
    """A stable stand-in for a participant, the same in every export and every run."""
    return hashlib.sha256(("mentorquest-pseudonym\0" + participant_id).encode("utf-8")).hexdigest()[:16]


def redact(record: dict, *, include_free_text: bool = False, pseudonymise: bool = False) -> tuple[dict, list[str]]:
    """The record as it may leave the store, and what was changed ([] when nothing was)."""
    changes: list[str] = []
    survey = record.get("survey") or []
    if not include_free_text and any(a.get("kind") == "text" for a in survey):
        record = {**record, "survey": [a for a in survey if a.get("kind") != "text"]}
        changes.append("free-text-removed")
    if pseudonymise:
        person = record["participant"]
        token = pseudonym(person["id"])
        record = {
            **record,
            "participant": {
                **person,
                "name": f"participant-{token}",
                "email": f"{token}@pseudonymised.invalid" if person.get("email") else None,
            },
        }
        changes.append("pseudonymised")
    return record, changes


def _cell(value: object) -> object:
    # Spreadsheet programs run a cell that starts with = + - @ as a formula; a participant's
    # name or free text must never do that (CSV injection), so such text is quoted with '.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_header(rules: list[str]) -> list[str]:
    return [*CSV_FIXED, *rules, "record_id"]


def csv_rows(record: dict, rules: list[str]) -> Iterator[list[object]]:
    person = record["participant"]
    programme_id = record["programme"]["id"]
    head = [_cell(person["id"]), _cell(person["name"]), _cell(person.get("email") or ""), person["role"], programme_id]
    record_id = record["record_id"]
    for s in record["scenarios"]:
        scores = {r["rule"]: r for r in s["rules"]}
        per_rule = []
        for rule in rules:
            found = scores.get(rule)
            per_rule.append(percent_of(found["earned"], found["best"]) if found and found["best"] > 0 else "")
        yield [
            *head,
            s["scenario_id"],
            _cell(s["title"]),
            s["attempts"],
            s["started_at"],
            s["finished_at"],
            s["duration_s"],
            s["percent"],
            "true" if s["passed"] else "false",
            s["stars"],
            ";".join(s["critical"]),
            *per_rule,
            record_id,
        ]


def write_csv(records: Iterable[dict], out: IO[str], rules: list[str], *, bom: bool = True,
              on_record: Callable[[], None] | None = None) -> int:
    """CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends."""
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(csv_header(rules))
    count = 0
    for record in records:
        writer.writerows(csv_rows(record, rules))
        count += 1
        if on_record is not None:
            on_record()
    return count


def resign(record: dict, changes: list[str]) -> dict:
    """A changed record cannot keep its signature: sign it again, saying what changed."""
    model = CompletionRecord.model_validate({**record, "redactions": sorted(set(record.get("redactions", [])) | set(changes)), "signature": None})
    return sign(model).model_dump(mode="json")


def write_jsonl(records: Iterable[dict], out: IO[str], *, on_record: Callable[[], None] | None = None,
                include_free_text: bool = False, pseudonymise: bool = False) -> int:
    count = 0
    for original in records:
        record, changes = redact(original, include_free_text=include_free_text, pseudonymise=pseudonymise)
        if changes:
            record = resign(record, changes)
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
        count += 1
        if on_record is not None:
            on_record()
    return count


def write_xapi(records: Iterable[dict], out: IO[str], *, base: str, on_record: Callable[[], None] | None = None) -> int:
    """A JSON array of xAPI 1.0.3 statements, written as it is built (no whole-array copy).

    Statements come as JSON text (see `xapi.statement_texts`); a record's statements go out
    in one write, one per line.
    """
    from mentorquest.records.xapi import statement_texts

    out.write("[")
    separator = "\n"
    count = 0
    for record in records:
        texts = statement_texts(record, base=base)
        if texts:
            out.write(separator + ",\n".join(texts))
            separator = ",\n"
            count += len(texts)
        if on_record is not None:
            on_record()
    out.write("\n]\n")
    return count
