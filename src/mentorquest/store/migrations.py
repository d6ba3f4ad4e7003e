"""Schema versions and the migrations between them, each run in one transaction.

Version 1 is frozen here exactly as it shipped, so that a test can write a version-1
store and prove the current code reads it back. A migration takes the store from
version N-1 to N; opening a store runs the missing ones in order, inside a single
transaction, under a lock so that many processes opening a new store at once migrate
it exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    select,
    text,
    update,
)

from mentorquest.errors import MentorquestError
from mentorquest.store import schema

_ADVISORY_LOCK = 7_334_001  # PostgreSQL advisory lock id for migrations


class StoreTooNew(MentorquestError):
    """The store was written by a newer mentorquest."""


def _v1_metadata() -> MetaData:
    m = MetaData()
    Table("mq_meta", m, Column("key", String(64), primary_key=True), Column("value", Text, nullable=False))
    Table(
        "participants",
        m,
        Column("id", String(200), primary_key=True),
        Column("name", Text, nullable=False),
        Column("email", Text),
        Column("role", String(100), nullable=False),
        Column("created_at", String(32), nullable=False),
        Column("updated_at", String(32), nullable=False),
    )
    Table(
        "survey_answers",
        m,
        Column("participant_id", String(200), nullable=False),
        Column("programme_id", String(200), nullable=False),
        Column("question_id", String(200), nullable=False),
        Column("part", String(16), nullable=False),
        Column("answer_text", Text),
        Column("answer_int", Integer),
        Column("answered_at", String(32), nullable=False),
        PrimaryKeyConstraint("participant_id", "programme_id", "question_id"),
    )
    Table(
        "saved_attempts",
        m,
        Column("participant_id", String(200), nullable=False),
        Column("programme_id", String(200), nullable=False),
        Column("scenario_id", String(200), nullable=False),
        Column("attempt_id", String(36), nullable=False),
        Column("state_json", Text, nullable=False),
        Column("saved_at", String(32), nullable=False),
        PrimaryKeyConstraint("participant_id", "programme_id", "scenario_id"),
    )
    Table(
        "attempts",
        m,
        Column("attempt_id", String(36), primary_key=True),
        Column("participant_id", String(200), nullable=False),
        Column("programme_id", String(200), nullable=False),
        Column("scenario_id", String(200), nullable=False),
        Column("content_hash", String(80), nullable=False),
        Column("practice", Boolean, nullable=False),
        Column("started_at", String(32), nullable=False),
        Column("finished_at", String(32), nullable=False),
        Column("ending", String(200), nullable=False),
        Column("percent", Integer, nullable=False),
        Column("passed", Boolean, nullable=False),
        Column("result_json", Text, nullable=False),
        Column("debrief_json", Text, nullable=False),
        Index("ix_attempts_participant", "participant_id", "programme_id", "scenario_id"),
    )
    Table(
        "records",
        m,
        Column("record_id", String(36), primary_key=True),
        Column("participant_id", String(200), nullable=False),
        Column("programme_id", String(200), nullable=False),
        Column("completed_at", String(32), nullable=False),
        Column("public_key", String(100), nullable=False),
        Column("record_json", Text, nullable=False),
        Column("stored_at", String(32), nullable=False),
        Index("ix_records_participant", "participant_id", "programme_id"),
    )
    return m


def _to_v1(conn: Connection) -> None:
    _v1_metadata().create_all(conn)


def _seconds_between(start: str, end: str) -> float | None:
    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (b - a).total_seconds())


def _to_v2(conn: Connection) -> None:
    # Version 2 keeps each attempt's duration (for exports) and where a record came from.
    conn.execute(text("ALTER TABLE attempts ADD COLUMN duration_s FLOAT"))
    conn.execute(text("ALTER TABLE records ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'local'"))
    rows = conn.execute(
        select(schema.attempts.c.attempt_id, schema.attempts.c.started_at, schema.attempts.c.finished_at)
    ).all()
    for attempt_id, started, finished in rows:
        conn.execute(
            update(schema.attempts)
            .where(schema.attempts.c.attempt_id == attempt_id)
            .values(duration_s=_seconds_between(started, finished))
        )


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _to_v1, 2: _to_v2}
assert max(MIGRATIONS) == schema.SCHEMA_VERSION


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, "mq_meta"):
        return 0
    value = conn.execute(
        select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar()
    return int(value) if value is not None else 0


def migrate(conn: Connection, target: int = schema.SCHEMA_VERSION) -> int:
    """Bring the store to `target` inside the caller's transaction; return the old version."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
    found = current_version(conn)
    if found > schema.SCHEMA_VERSION:
        raise StoreTooNew(
            f"this store uses schema version {found}; this mentorquest reads versions up to "
            f"{schema.SCHEMA_VERSION}: please upgrade mentorquest"
        )
    for version in range(found + 1, target + 1):
        MIGRATIONS[version](conn)
        if version == 1:
            conn.execute(schema.meta.insert().values(key="schema_version", value="1"))
        else:
            conn.execute(
                update(schema.meta).where(schema.meta.c.key == "schema_version").values(value=str(version))
            )
    return found
