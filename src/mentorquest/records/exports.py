"""Exports of completion records: CSV for spreadsheets, JSONL of signed records, xAPI.

Every format is registered here with `register` and written by `export`, which takes its
records from `outgoing` (the one path that applies privacy): a new format cannot leak
what the others keep back.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, NamedTuple

from mentorquest.engine.attempt import percent_of
from mentorquest.engine.record import CompletionRecord
from mentorquest.records.outgoing import DEFAULT_PRIVACY, Privacy, outgoing
from mentorquest.textsafe import json_text, label

if TYPE_CHECKING:
    from mentorquest.store import Store

CSV_FIXED = [
    "participant_id",
    "name",
    "email",
    "role",
    "programme_id",
    "scenario_id",
    "scenario_title",
    "attempts",
    "started_at",
    "completed_at",
    "duration_s",
    "percent",
    "passed",
    "stars",
    "critical",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportContext(NamedTuple):
    """What a format may need besides the records."""

    rules: list[str]  # the ground-rule columns, in programme order
    base: str  # the base of xAPI ids
    to_file: bool  # writing to a file (not standard output)
    on_record: Callable[[], None] | None = None


class ExportFormat(NamedTuple):
    name: str
    help: str
    write: Callable[[Iterable[CompletionRecord], IO[str], ExportContext], int]
    unit: str = "records"
    signed: bool = False  # the output carries signatures: redacted records are signed again
    newline: str | None = None  # how `open` should translate line ends ('' for CSV)


FORMATS: dict[str, ExportFormat] = {}


def register(fmt: ExportFormat) -> ExportFormat:
    """Make a format available to `records export --format NAME`."""
    FORMATS[fmt.name] = fmt
    return fmt


def export(
    store: Store,
    name: str,
    out: IO[str],
    *,
    programme: str | None = None,
    since: str | None = None,
    privacy: Privacy = DEFAULT_PRIVACY,
    base: str,
    to_file: bool = True,
    on_record: Callable[[], None] | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> int:
    """Write the records in format `name`; returns how many records (or statements) went out."""
    fmt = FORMATS[name]
    context = ExportContext(rule_columns(store, programme), base, to_file, on_record)
    records = outgoing(
        store,
        programme=programme,
        since=since,
        privacy=privacy,
        signed=fmt.signed,
        on_problem=on_problem,
    )
    return fmt.write(records, out, context)


def rule_columns(store: Store, programme: str | None) -> list[str]:
    """The ground rules of the exported programmes, in programme order (one CSV column each)."""
    rules: dict[str, None] = {}
    for record in store.programme_records(programme):
        ids = record.programme.ground_rules or tuple(r.rule for r in record.rule_totals)
        rules.update(dict.fromkeys(ids))
    return list(rules)


def _done(context: ExportContext) -> None:
    if context.on_record is not None:
        context.on_record()


# --- CSV -----------------------------------------------------------------------------------


def _cell(value: object) -> object:
    # Spreadsheet programs run a cell that starts with = + - @ as a formula; nothing from a
    # record may do that (CSV injection), so such text is quoted with '; and no text reaches
    # the spreadsheet with control characters or hidden direction changes in it.
    if isinstance(value, str):
        value = label(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


def csv_header(rules: list[str]) -> list[str]:
    return [*CSV_FIXED, *rules, "record_id"]


def csv_rows(record: CompletionRecord, rules: list[str]) -> Iterable[list[object]]:
    """One row per scenario of the record; every cell passes the formula guard."""
    person = record.participant
    head = [person.id, person.name, person.email or "", person.role, record.programme.id]
    for s in record.scenarios:
        scores = {r.rule: r for r in s.rules}
        per_rule: list[object] = []
        for rule in rules:
            found = scores.get(rule)
            per_rule.append(
                percent_of(found.earned, found.best) if found and found.best > 0 else ""
            )
        row = [
            *head,
            s.scenario_id,
            s.title,
            s.attempts,
            s.started_at,
            s.finished_at,
            s.duration_s,
            s.percent,
            "true" if s.passed else "false",
            s.stars,
            ";".join(s.critical),
            *per_rule,
            record.record_id,
        ]
        yield [_cell(value) for value in row]


def write_csv(records: Iterable[CompletionRecord], out: IO[str], context: ExportContext) -> int:
    """CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends."""
    if context.to_file:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(csv_header(context.rules))
    count = 0
    for record in records:
        writer.writerows(csv_rows(record, context.rules))
        count += 1
        _done(context)
    return count


# --- JSONL ---------------------------------------------------------------------------------


def write_jsonl(records: Iterable[CompletionRecord], out: IO[str], context: ExportContext) -> int:
    """One signed record per line, exactly as a participant's exported file holds it."""
    count = 0
    for record in records:
        out.write(json_text(record.to_json()))
        out.write("\n")
        count += 1
        _done(context)
    return count


# --- xAPI ----------------------------------------------------------------------------------


def write_xapi(records: Iterable[CompletionRecord], out: IO[str], context: ExportContext) -> int:
    """A JSON array of xAPI 1.0.3 statements, written as it is built (no whole-array copy).

    Statements come as JSON text (see `xapi.statement_texts`); a record's statements go out
    in one write, one per line.
    """
    from mentorquest.records.xapi import statement_texts

    out.write("[")
    separator = "\n"
    count = 0
    for record in records:
        texts = statement_texts(record, base=context.base)
        if texts:
            out.write(separator + json_text(",\n".join(texts)))
            separator = ",\n"
            count += len(texts)
        _done(context)
    out.write("\n]\n")
    return count


register(
    ExportFormat("csv", "one row per required scenario, for spreadsheets", write_csv, newline="")
)
register(ExportFormat("jsonl", "one signed record per line", write_jsonl, signed=True))
register(ExportFormat("xapi", "xAPI 1.0.3 statements", write_xapi, unit="statements"))
