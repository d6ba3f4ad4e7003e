"""Schema versions and the migrations between them, each run in one transaction.

A new store is created at the current version from `schema`. An older store is brought
forward one version at a time, inside a single transaction, under a lock (SQLite's
write lock; a PostgreSQL advisory lock) so that many processes opening a store at once
migrate it exactly once. Version 1 is frozen here exactly as it shipped, so that a test
can write a version-1 store and prove the current code reads it back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mentorquest.errors import MentorquestError
from mentorquest.store import schema
from mentorquest.store.database import Database, Transaction

_ADVISORY_LOCK = 7_334_001  # PostgreSQL advisory lock id for migrations


class StoreTooNew(MentorquestError):
    """The store was written by a newer mentorquest."""


VERSION_ONE = [
    'CREATE TABLE mq_meta ("key" VARCHAR(64) NOT NULL, value TEXT NOT NULL, PRIMARY KEY ("key"))',
    "CREATE TABLE participants (id VARCHAR(200) NOT NULL, name TEXT NOT NULL, email TEXT, "
    "role VARCHAR(100) NOT NULL, created_at VARCHAR(32) NOT NULL, "
    "updated_at VARCHAR(32) NOT NULL, PRIMARY KEY (id))",
    "CREATE TABLE survey_answers (participant_id VARCHAR(200) NOT NULL, "
    "programme_id VARCHAR(200) NOT NULL, question_id VARCHAR(200) NOT NULL, "
    "part VARCHAR(16) NOT NULL, answer_text TEXT, answer_int INTEGER, "
    "answered_at VARCHAR(32) NOT NULL, PRIMARY KEY (participant_id, programme_id, question_id))",
    "CREATE TABLE saved_attempts (participant_id VARCHAR(200) NOT NULL, "
    "programme_id VARCHAR(200) NOT NULL, scenario_id VARCHAR(200) NOT NULL, "
    "attempt_id VARCHAR(36) NOT NULL, state_json TEXT NOT NULL, saved_at VARCHAR(32) NOT NULL, "
    "PRIMARY KEY (participant_id, programme_id, scenario_id))",
    "CREATE TABLE attempts (attempt_id VARCHAR(36) NOT NULL, participant_id VARCHAR(200) NOT NULL, "
    "programme_id VARCHAR(200) NOT NULL, scenario_id VARCHAR(200) NOT NULL, "
    "content_hash VARCHAR(80) NOT NULL, practice BOOLEAN NOT NULL, "
    "started_at VARCHAR(32) NOT NULL, finished_at VARCHAR(32) NOT NULL, "
    "ending VARCHAR(200) NOT NULL, percent INTEGER NOT NULL, passed BOOLEAN NOT NULL, "
    "result_json TEXT NOT NULL, debrief_json TEXT NOT NULL, PRIMARY KEY (attempt_id))",
    "CREATE INDEX ix_attempts_participant ON attempts (participant_id, programme_id, scenario_id)",
    "CREATE TABLE records (record_id VARCHAR(36) NOT NULL, participant_id VARCHAR(200) NOT NULL, "
    "programme_id VARCHAR(200) NOT NULL, completed_at VARCHAR(32) NOT NULL, "
    "public_key VARCHAR(100) NOT NULL, record_json TEXT NOT NULL, stored_at VARCHAR(32) NOT NULL, "
    "PRIMARY KEY (record_id))",
    "CREATE INDEX ix_records_participant ON records (participant_id, programme_id)",
    "INSERT INTO mq_meta (\"key\", value) VALUES ('schema_version', '1')",
]


def create_version_one(tx: Transaction) -> None:
    """A store exactly as schema version 1 created it (for tests of the migrations)."""
    for statement in VERSION_ONE:
        tx.execute(statement)


def _seconds_between(start: str, end: str) -> float | None:
    try:
        a = datetime.fromisoformat(start.replace("Z", "+00:00"))
        b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    except ValueError:
        return None
    return max(0.0, (b - a).total_seconds())


def _to_v2(tx: Transaction) -> None:
    # Version 2 keeps each attempt's duration (for exports) and where a record came from.
    tx.execute("ALTER TABLE attempts ADD COLUMN duration_s FLOAT")
    tx.execute("ALTER TABLE records ADD COLUMN source VARCHAR(16) NOT NULL DEFAULT 'local'")
    for attempt_id, started, finished in tx.execute(
        "SELECT attempt_id, started_at, finished_at FROM attempts"
    ):
        tx.execute(
            "UPDATE attempts SET duration_s = ? WHERE attempt_id = ?",
            (_seconds_between(started, finished), attempt_id),
        )


def _to_v3(tx: Transaction) -> None:
    # Version 3 keeps each finished attempt's path (to replay it), sets aside saved
    # attempts whose path does not replay, and seats one player per journey.
    tx.execute("ALTER TABLE attempts ADD COLUMN state_json TEXT")
    for table in (schema.set_aside_attempts, schema.seats):
        for statement in table.create():
            tx.execute(statement)


def _to_v4(tx: Transaction) -> None:
    # Version 4 keeps survey answers per stage (the same question may be asked before,
    # after, at the midpoint and at close-out) and a ledger of statements sent to each
    # learning record store. The answers table is rebuilt with its new key; every answer
    # is kept, its part becoming its stage.
    # Copied aside rather than renamed: a renamed PostgreSQL table keeps its key's name,
    # which the new table needs.
    tx.execute("CREATE TABLE survey_answers_v3 AS SELECT * FROM survey_answers")
    tx.execute("DROP TABLE survey_answers")
    for statement in schema.survey_answers.create():
        tx.execute(statement)
    tx.execute(
        "INSERT INTO survey_answers (participant_id, programme_id, stage, question_id, "
        "answer_text, answer_int, answered_at) SELECT participant_id, programme_id, part, "
        "question_id, answer_text, answer_int, answered_at FROM survey_answers_v3"
    )
    tx.execute("DROP TABLE survey_answers_v3")
    for statement in schema.lrs_ledger.create():
        tx.execute(statement)


# version N -> the step from N - 1 to N
MIGRATIONS: dict[int, Callable[[Transaction], None]] = {2: _to_v2, 3: _to_v3, 4: _to_v4}
assert max(MIGRATIONS) == schema.SCHEMA_VERSION


def current_version(tx: Transaction, dialect: str) -> int:
    if dialect == "sqlite":
        found = tx.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mq_meta'")
    else:
        # pg_tables, not to_regclass: after waiting for another process's migration,
        # to_regclass can still answer from this session's stale catalogue cache.
        found = tx.execute(
            "SELECT 1 FROM pg_catalog.pg_tables "
            "WHERE schemaname = current_schema() AND tablename = 'mq_meta'"
        )
    if not found:
        return 0
    rows = tx.execute("SELECT value FROM mq_meta WHERE \"key\" = 'schema_version'")
    if not rows:
        return 0
    try:
        return int(rows[0][0])
    except (TypeError, ValueError):
        raise MentorquestError(
            f"this store's schema version {rows[0][0]!r} is not a number; it was not written "
            "by mentorquest"
        ) from None


def _check_not_newer(found: int) -> None:
    if found > schema.SCHEMA_VERSION:
        raise StoreTooNew(
            f"this store uses schema version {found}; this mentorquest reads versions up to "
            f"{schema.SCHEMA_VERSION}: please upgrade mentorquest"
        )


def migrate(database: Database) -> int:
    """Bring the store to the current version; return the version it had."""
    with database.read() as tx:
        found = current_version(tx, database.dialect)
    _check_not_newer(found)
    if found == schema.SCHEMA_VERSION:
        return found
    with database.write() as tx:
        if database.dialect == "postgresql":
            tx.execute("SELECT pg_advisory_xact_lock(?)", (_ADVISORY_LOCK,))
        found = current_version(tx, database.dialect)  # another process may have done it
        _check_not_newer(found)
        if found == 0:
            for table in schema.TABLES:
                for statement in table.create():
                    tx.execute(statement)
            tx.execute(
                "INSERT INTO mq_meta (\"key\", value) VALUES ('schema_version', ?)",
                (str(schema.SCHEMA_VERSION),),
            )
            return 0
        for version in range(found + 1, schema.SCHEMA_VERSION + 1):
            MIGRATIONS[version](tx)
        tx.execute(
            "UPDATE mq_meta SET value = ? WHERE \"key\" = 'schema_version'",
            (str(schema.SCHEMA_VERSION),),
        )
    return found
