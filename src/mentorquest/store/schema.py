"""The store's tables at the current schema version, declared once.

A new store is created from these declarations (the same SQL on SQLite and PostgreSQL);
an older one is brought here by `migrations`, and a test checks that both end with the
same tables and columns. JSON columns are plain text holding JSON, so that SQLite and
PostgreSQL keep exactly the same bytes.
"""

from __future__ import annotations

from typing import NamedTuple

SCHEMA_VERSION = 4


class Column(NamedTuple):
    name: str
    type: str  # SQL both databases read alike: VARCHAR(n), TEXT, INTEGER, FLOAT, BOOLEAN
    nullable: bool = False
    default: str | None = None  # an SQL literal

    def sql(self) -> str:
        # "key" is a keyword in SQLite; quoting it is harmless in PostgreSQL.
        name = f'"{self.name}"' if self.name == "key" else self.name
        default = f" DEFAULT {self.default}" if self.default is not None else ""
        return f"{name} {self.type}{default}{'' if self.nullable else ' NOT NULL'}"


class Index(NamedTuple):
    name: str
    columns: tuple[str, ...]


class Table(NamedTuple):
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    indexes: tuple[Index, ...] = ()

    def create(self) -> list[str]:
        """The statements that create this table and its indexes."""
        key = ", ".join(f'"{c}"' if c == "key" else c for c in self.primary_key)
        lines = [column.sql() for column in self.columns] + [f"PRIMARY KEY ({key})"]
        statements = [f"CREATE TABLE {self.name} (\n\t" + ", \n\t".join(lines) + "\n)"]
        statements += [
            f"CREATE INDEX {index.name} ON {self.name} ({', '.join(index.columns)})"
            for index in self.indexes
        ]
        return statements


ID = "VARCHAR(200)"
UUID = "VARCHAR(36)"
STAMP = "VARCHAR(32)"

meta = Table(
    "mq_meta",
    (Column("key", "VARCHAR(64)"), Column("value", "TEXT")),
    primary_key=("key",),
)

participants = Table(
    "participants",
    (
        Column("id", ID),
        Column("name", "TEXT"),
        Column("email", "TEXT", nullable=True),
        Column("role", "VARCHAR(100)"),
        Column("created_at", STAMP),
        Column("updated_at", STAMP),
    ),
    primary_key=("id",),
)

# Since version 4 an answer is kept per stage (before, after, midpoint, closeout): the same
# question asked at several stages keeps each answer, to compare them. (Versions 1 to 3
# called the column `part` and kept one answer per question.)
survey_answers = Table(
    "survey_answers",
    (
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("stage", "VARCHAR(16)"),
        Column("question_id", ID),
        Column("answer_text", "TEXT", nullable=True),
        Column("answer_int", "INTEGER", nullable=True),
        Column("answered_at", STAMP),
    ),
    primary_key=("participant_id", "programme_id", "stage", "question_id"),
)

# The autosave slot: at most one attempt in progress per participant and scenario.
saved_attempts = Table(
    "saved_attempts",
    (
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("scenario_id", ID),
        Column("attempt_id", UUID),
        Column("state_json", "TEXT"),
        Column("saved_at", STAMP),
    ),
    primary_key=("participant_id", "programme_id", "scenario_id"),
)

attempts = Table(
    "attempts",
    (
        Column("attempt_id", UUID),
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("scenario_id", ID),
        Column("content_hash", "VARCHAR(80)"),
        Column("practice", "BOOLEAN"),
        Column("started_at", STAMP),
        Column("finished_at", STAMP),
        Column("ending", ID),
        Column("percent", "INTEGER"),
        Column("passed", "BOOLEAN"),
        Column("result_json", "TEXT"),
        Column("debrief_json", "TEXT"),
        Column("duration_s", "FLOAT", nullable=True),  # since version 2
        # Since version 3: the attempt as saved (its path with times), which is replayed.
        Column("state_json", "TEXT", nullable=True),
    ),
    primary_key=("attempt_id",),
    indexes=(Index("ix_attempts_participant", ("participant_id", "programme_id", "scenario_id")),),
)

records = Table(
    "records",
    (
        Column("record_id", UUID),
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("completed_at", STAMP),
        Column("public_key", "VARCHAR(100)"),
        Column("record_json", "TEXT"),
        Column("stored_at", STAMP),
        # Since version 2: 'local' (written here) or 'imported'.
        Column("source", "VARCHAR(16)", default="'local'"),
    ),
    primary_key=("record_id",),
    indexes=(Index("ix_records_participant", ("participant_id", "programme_id")),),
)

# Since version 3: saved attempts whose path did not replay, kept (never deleted) and shown
# to coordinators; the participant's scenario starts afresh.
set_aside_attempts = Table(
    "set_aside_attempts",
    (
        Column("attempt_id", UUID),
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("scenario_id", ID),
        Column("state_json", "TEXT"),
        Column("reason", "TEXT"),
        Column("set_aside_at", STAMP),
    ),
    primary_key=("attempt_id", "set_aside_at"),
    indexes=(Index("ix_set_aside_participant", ("participant_id", "programme_id")),),
)

# Since version 3: who holds a participant's journey (one player at a time).
seats = Table(
    "seats",
    (
        Column("participant_id", ID),
        Column("programme_id", ID),
        Column("holder", UUID),
        Column("host", "TEXT"),
        Column("pid", "INTEGER"),
        Column("taken_at", STAMP),
        Column("heartbeat_at", STAMP),
    ),
    primary_key=("participant_id", "programme_id"),
)

# Since version 4: per learning record store, every statement `records push` sent, so that
# an unchanged statement is not sent again and a changed one voids what it replaces.
# `statement_key` names what a statement is about (an attempt's decision, a survey answer),
# whatever its content; the latest statement of a key is what the LRS holds for it.
lrs_ledger = Table(
    "lrs_ledger",
    (
        Column("endpoint", "VARCHAR(1000)"),
        Column("statement_id", UUID),
        Column("statement_key", "TEXT"),
        Column("digest", "VARCHAR(64)"),
        Column("sent_at", STAMP),
        Column("voided_at", STAMP, nullable=True),
        Column("voided_by", UUID, nullable=True),
    ),
    primary_key=("endpoint", "statement_id"),
    indexes=(Index("ix_lrs_ledger_key", ("endpoint", "statement_key")),),
)

TABLES = (
    meta,
    participants,
    survey_answers,
    saved_attempts,
    attempts,
    records,
    set_aside_attempts,
    seats,
    lrs_ledger,
)
