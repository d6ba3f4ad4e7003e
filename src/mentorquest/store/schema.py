"""The store's tables, as SQLAlchemy Core metadata, at the current schema version.

Older versions live only as migrations (see `migrations`); this module always describes
the newest shape. JSON columns are plain text holding JSON, so that SQLite and
PostgreSQL store exactly the same bytes.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

# Kept in `types` so that a play session can check a file's version without SQLAlchemy.
from mentorquest.store.types import SCHEMA_VERSION as SCHEMA_VERSION

metadata = MetaData()

meta = Table(
    "mq_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

participants = Table(
    "participants",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=True),
    Column("role", String(100), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

survey_answers = Table(
    "survey_answers",
    metadata,
    Column("participant_id", String(200), nullable=False),
    Column("programme_id", String(200), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("part", String(16), nullable=False),
    Column("answer_text", Text, nullable=True),
    Column("answer_int", Integer, nullable=True),
    Column("answered_at", String(32), nullable=False),
    PrimaryKeyConstraint("participant_id", "programme_id", "question_id"),
)

# The autosave slot: at most one attempt in progress per participant and scenario.
saved_attempts = Table(
    "saved_attempts",
    metadata,
    Column("participant_id", String(200), nullable=False),
    Column("programme_id", String(200), nullable=False),
    Column("scenario_id", String(200), nullable=False),
    Column("attempt_id", String(36), nullable=False),
    Column("state_json", Text, nullable=False),
    Column("saved_at", String(32), nullable=False),
    PrimaryKeyConstraint("participant_id", "programme_id", "scenario_id"),
)

attempts = Table(
    "attempts",
    metadata,
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
    # Added in schema version 2.
    Column("duration_s", Float, nullable=True),
    Index("ix_attempts_participant", "participant_id", "programme_id", "scenario_id"),
)

records = Table(
    "records",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("participant_id", String(200), nullable=False),
    Column("programme_id", String(200), nullable=False),
    Column("completed_at", String(32), nullable=False),
    Column("public_key", String(100), nullable=False),
    Column("record_json", Text, nullable=False),
    Column("stored_at", String(32), nullable=False),
    # Added in schema version 2: 'local' (written here) or 'imported'.
    Column("source", String(16), nullable=False, server_default="local"),
    Index("ix_records_participant", "participant_id", "programme_id"),
)
