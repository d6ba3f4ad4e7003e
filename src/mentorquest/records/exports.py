"""Exports: CSV for spreadsheets, JSONL of signed records, xAPI statements; the list.

Every format is registered here with `register` and written by `export`, which takes its
rows from `outgoing` (the one path that applies privacy): a new format cannot leak what
the others keep back. A format reads participants whole (`outgoing.participants`: records,
attempts, answers) only when it needs them; the CSV of completion records streams the
records alone.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from mentorquest.engine.attempt import percent_of
from mentorquest.engine.record import CompletionRecord
from mentorquest.records.outgoing import (
    DEFAULT_PRIVACY,
    EVERYTHING,
    Needs,
    Outgoing,
    Person,
    Privacy,
    Scope,
    outgoing,
    participants,
)
from mentorquest.records.standing import ProgrammeInfo, Programmes, standing
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
# After the rule columns and the record id: where the participant and the scenario stand.
CSV_STANDING = ["onboarding", "status", "missing"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportContext(NamedTuple):
    """What a format may need besides the rows."""

    rules: list[str]  # the ground-rule columns, in programme order
    programmes: Programmes  # the libraries given: requirements, titles, question kinds
    iris: dict[str, str]  # programme id -> its IRI (xAPI)
    to_file: bool  # writing to a file (not standard output)
    on_record: Callable[[], None] | None = None
    include_incomplete: bool = False
    include_free_text: bool = False


class ExportFormat(NamedTuple):
    name: str
    help: str
    write: Callable[[Iterable[Outgoing], IO[str], ExportContext], int]
    unit: str = "records"
    signed: bool = False  # the output carries signatures: redacted records are signed again
    newline: str | None = None  # how `open` should translate line ends ('' for CSV)
    whole: bool = False  # needs each participant whole (attempts, answers), not records only
    needs_iri: bool = False  # ids made from the programme's IRI (xAPI)


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
    scope: Scope = EVERYTHING,
    privacy: Privacy = DEFAULT_PRIVACY,
    programmes: Programmes | None = None,
    iris: dict[str, str] | None = None,
    include_incomplete: bool = False,
    to_file: bool = True,
    on_record: Callable[[], None] | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> int:
    """Write the rows in format `name`; returns how many records (or statements) went out."""
    fmt = FORMATS[name]
    programmes = programmes or Programmes()
    context = ExportContext(
        rule_columns(store, scope.programme, programmes),
        programmes,
        iris or {},
        to_file,
        on_record,
        include_incomplete,
        privacy.include_free_text,
    )
    rows: Iterable[Outgoing]
    if fmt.whole or include_incomplete:
        idle = next(iter(programmes.libraries), None)
        rows = participants(
            store,
            scope=scope,
            privacy=privacy,
            needs=Needs(attempts=True, answers=True, idle=include_incomplete),
            kinds=programmes.kind,
            signed=fmt.signed,
            idle_programme=idle,
            on_problem=on_problem,
        )
    else:
        rows = (
            record_bundle(record)
            for record in outgoing(
                store,
                programme=scope.programme,
                since=scope.since,
                until=scope.until,
                privacy=privacy,
                signed=fmt.signed,
                on_problem=on_problem,
            )
        )
    return fmt.write(rows, out, context)


def record_bundle(record: CompletionRecord) -> Outgoing:
    """A completion record alone, as a participant bundle (the records-only path)."""
    p = record.participant
    return Outgoing(
        programme_id=record.programme.id,
        key=p.id,
        person=Person(p.id, p.name, p.email, p.role),
        record=record,
        attempts=(),
        in_progress=(),
        answers=(),
        answered=frozenset(),
        set_aside=0,
        last_active=record.completed_at,
    )


def rule_columns(store: Store, programme: str | None, programmes: Programmes) -> list[str]:
    """The ground rules of the exported programmes, in programme order (one CSV column each)."""
    rules: dict[str, None] = {}
    for record in store.programme_records(programme):
        ids = record.programme.ground_rules or tuple(r.rule for r in record.rule_totals)
        rules.update(dict.fromkeys(ids))
    with store.reading() as reader:
        present = set(reader.programme_ids())
    for library in programmes.libraries.values():
        pid = library.programme.id
        if programme in (None, pid) and pid in present:
            rules.update(dict.fromkeys(r.id for r in library.programme.ground_rules))
    return list(rules)


def _done(context: ExportContext) -> None:
    if context.on_record is not None:
        context.on_record()


# --- CSV -----------------------------------------------------------------------------------


def cell(value: object) -> object:
    # Spreadsheet programs run a cell that starts with = + - @ as a formula; nothing from a
    # record may do that (CSV injection), so such text is quoted with '; and no text reaches
    # the spreadsheet with control characters or hidden direction changes in it.
    if isinstance(value, str):
        value = label(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value


_cell = cell


def csv_header(rules: list[str]) -> list[str]:
    return [*CSV_FIXED, *rules, "record_id", *CSV_STANDING]


def csv_rows(
    record: CompletionRecord, rules: list[str], info: ProgrammeInfo | None = None
) -> Iterable[list[object]]:
    """One row per scenario of the record; every cell passes the formula guard.

    The guard is for text: the record's numbers (validated as numbers) and the words
    written here go out as they are, and the participant's cells, shared by every row of
    the record, are guarded once."""
    person = record.participant
    head = [
        cell(person.id),
        cell(person.name),
        cell(person.email or ""),
        cell(person.role),
        cell(record.programme.id),
    ]
    record_id = cell(record.record_id)
    for s in record.scenarios:
        scores = {r.rule: r for r in s.rules}
        per_rule: list[object] = []
        for rule in rules:
            found = scores.get(rule)
            per_rule.append(
                percent_of(found.earned, found.best) if found and found.best > 0 else ""
            )
        yield [
            *head,
            cell(s.scenario_id),
            # The library's title when it is given: what a record says is only its word.
            cell(info.title_of(s.scenario_id, s.title) if info is not None else s.title),
            s.attempts,
            cell(s.started_at),
            cell(s.finished_at),
            s.duration_s,
            s.percent,
            "true" if s.passed else "false",
            s.stars,
            cell(";".join(s.critical)),
            *per_rule,
            record_id,
            "completed",
            "passed" if s.passed else "not passed",
            "",
        ]


def incomplete_rows(bundle: Outgoing, context: ExportContext) -> Iterator[list[object]]:
    """A participant without a record: one row per required scenario (or, when the
    programme's requirements are not known, per scenario played), with the best attempt
    so far, its status and what is missing."""
    from mentorquest.engine.rewards import stars

    person = bundle.person
    where = standing(bundle, context.programmes.info(bundle.programme_id))
    missing = "; ".join(where.missing)
    head = [person.id, person.name, person.email or "", person.role, bundle.programme_id]
    if not where.scenarios:  # nothing required is known and nothing played: the person
        blanks = [""] * (len(CSV_FIXED) - len(head) + len(context.rules) + 1)
        yield [cell(v) for v in [*head, *blanks, "in progress", "not started", missing]]
        return
    for s in where.scenarios:
        best = s.best
        per_rule: list[object] = [""] * len(context.rules)
        values: list[object] = [s.scenario_id, s.title, s.attempts, *[""] * 7]
        if best is not None:
            result = best.result
            scores = {r.rule: r for r in result.scores}
            per_rule = [
                percent_of(scores[r].earned, scores[r].best)
                if r in scores and scores[r].best > 0
                else ""
                for r in context.rules
            ]
            values = [
                s.scenario_id,
                s.title,
                s.attempts,
                best.started_at,
                best.finished_at,
                round(best.duration_s, 3),
                result.percent,
                "true" if result.passed else "false",
                stars(result),
                ";".join(result.critical),
            ]
        row = [*head, *values, *per_rule, "", "in progress", s.status, missing]
        yield [cell(value) for value in row]


def write_csv(rows: Iterable[Outgoing], out: IO[str], context: ExportContext) -> int:
    """CSV that opens correctly in Excel: UTF-8 with a byte-order mark, CRLF line ends."""
    if context.to_file:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(csv_header(context.rules))
    count = 0
    for bundle in rows:
        if bundle.record is not None:
            info = context.programmes.info(bundle.programme_id)
            writer.writerows(csv_rows(bundle.record, context.rules, info))
        elif context.include_incomplete:
            writer.writerows(incomplete_rows(bundle, context))
        else:
            continue
        count += 1
        _done(context)
    return count


# --- JSONL ---------------------------------------------------------------------------------


def write_jsonl(rows: Iterable[Outgoing], out: IO[str], context: ExportContext) -> int:
    """One signed record per line, exactly as a participant's exported file holds it."""
    count = 0
    for bundle in rows:
        if bundle.record is None:
            continue
        out.write(json_text(bundle.record.to_json()))
        out.write("\n")
        count += 1
        _done(context)
    return count


# --- xAPI ----------------------------------------------------------------------------------


def write_xapi(rows: Iterable[Outgoing], out: IO[str], context: ExportContext) -> int:
    """A JSON array of xAPI 1.0.3 statements, written as it is built (no whole-array copy).

    A participant's statements go out in one write, one per line.
    """
    from mentorquest.records.xapi import texts

    out.write("[")
    separator = "\n"
    count = 0
    for bundle in rows:
        info = context.programmes.info(bundle.programme_id)
        made = texts(
            bundle,
            info,
            context.iris[bundle.programme_id],
            include_free_text=context.include_free_text,
        )
        if made:
            out.write(separator + json_text(",\n".join(made)))
            separator = ",\n"
            count += len(made)
        _done(context)
    out.write("\n]\n")
    return count


register(
    ExportFormat(
        "csv",
        "one row per participant and required scenario, for spreadsheets",
        write_csv,
        newline="",
    )
)
register(ExportFormat("jsonl", "one signed record per line", write_jsonl, signed=True))
register(
    ExportFormat(
        "xapi",
        "xAPI 1.0.3 statements of every attempt and survey answer",
        write_xapi,
        unit="statements",
        whole=True,
        needs_iri=True,
    )
)


# --- the list of participants ---------------------------------------------------------------

LIST_COLUMNS = [
    "participant_id",
    "name",
    "email",
    "role",
    "programme_id",
    "status",
    "passed",
    "required",
    "completed_at",
    "missing",
    "set_aside",
    "last_active",
]


def list_rows(rows: Iterable[Outgoing], programmes: Programmes) -> Iterator[dict[str, Any]]:
    """One row per participant: where they stand (see `standing`)."""
    for bundle in rows:
        where = standing(bundle, programmes.info(bundle.programme_id))
        person = bundle.person
        yield {
            "participant_id": person.id,
            "name": person.name,
            "email": person.email or "",
            "role": person.role,
            "programme_id": bundle.programme_id,
            "status": where.status,
            "passed": where.passed,
            "required": len(where.scenarios) if where.requirements_known else None,
            "completed_at": where.completed_at or "",
            "missing": list(where.missing),
            "set_aside": bundle.set_aside,
            "last_active": bundle.last_active or "",
        }


def write_list_csv(rows: Iterable[dict[str, Any]], out: IO[str], *, to_file: bool) -> int:
    if to_file:
        out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(LIST_COLUMNS)
    count = 0
    for row in rows:
        values = [
            "; ".join(row[c]) if c == "missing" else ("" if row[c] is None else row[c])
            for c in LIST_COLUMNS
        ]
        writer.writerow([cell(v) for v in values])
        count += 1
    return count


def write_list_json(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    out.write("[")
    count = 0
    for row in rows:
        out.write(("\n" if count == 0 else ",\n") + json_text(json.dumps(row, ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
