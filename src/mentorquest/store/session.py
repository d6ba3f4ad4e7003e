"""A player's session on an existing SQLite store, with only the standard library's sqlite3.

The full `Store` (SQLAlchemy) creates, migrates and serves every kind of database. A play
session on an SQLite file already at the current schema needs a dozen fixed statements,
and loading SQLAlchemy would cost it more memory and start-up time than the whole player,
so `open_session` gives it a `SQLiteSession` and hands every other case (no file yet, an
older or newer schema, PostgreSQL, an unusual URL) to `open_store`.

The two must never disagree: `SQLiteSession` writes the same rows with the same values,
timestamps and conflict rules as `Store`, tunes the connection with the same function
(`tune_connection`, used by `database` too), and runs each method as one transaction,
writes under BEGIN IMMEDIATE. tests/store/test_session.py compares the raw rows.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from mentorquest.store.types import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    FinishedAttempt,
    Profile,
    StoreError,
    default_url,
    now_stamp,
    seconds_between,
)

if TYPE_CHECKING:
    from mentorquest.engine import AttemptState, Debrief
    from mentorquest.records.model import CompletionRecord
    from mentorquest.store.store import Store

# Only the URL forms whose meaning is certain: `sqlite:///` + a file path (relative to the
# working folder, or absolute after a fourth slash), percent-escapes allowed, no query.
# SQLAlchemy reads these the same way; anything else goes to the full store.
_SQLITE_FILE_URL = re.compile(r"(?P<driver>sqlite|sqlite\+pysqlite):///(?P<database>[^?]*)")


def tune_connection(connection: sqlite3.Connection) -> None:
    """WAL, a long busy timeout and FULL sync; both the full store and the session use this."""
    # Transactions are begun explicitly (BEGIN or BEGIN IMMEDIATE), never by the driver.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as error:  # another process switching modes
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    # FULL: a committed choice survives a power cut as well as a killed process.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def sqlite_file(url: str) -> tuple[str, str] | None:
    """(display URL, absolute file path) of a plain SQLite file URL; None for anything else.

    The display URL reads exactly as `Store.display_url` does for the same URL.
    """
    found = _SQLITE_FILE_URL.fullmatch(url)
    if found is None:
        return None
    database = unquote(found["database"])
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return f"{found['driver']}:///{quote(database, safe=' +/')}", os.path.abspath(database)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class SQLiteSession:
    """The store's methods a player uses, on one SQLite file at the current schema version.

    Open it with `open_session`. One connection serves the session; a lock keeps calls
    from different threads from interleaving inside one transaction.
    """

    dialect = "sqlite"

    def __init__(self, path: str, display_url: str) -> None:
        self.path = path
        self.display_url = display_url
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    # --- plumbing ---------------------------------------------------------------------

    def _failed(self, error: BaseException) -> StoreError:
        return StoreError(f"the store {self.display_url} failed: {_first_line(error)}")

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            try:
                tune_connection(connection)
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                connection = self._connect()
                connection.execute(begin)
            except sqlite3.Error as error:
                raise self._failed(error) from None
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as error:
                if connection.in_transaction:
                    try:
                        connection.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # the connection is unusable; the next call reports it
                if isinstance(error, sqlite3.Error):
                    raise self._failed(error) from None
                raise

    def _write(self):
        # IMMEDIATE takes the write lock up front, as the full store does (see database).
        return self._transaction("BEGIN IMMEDIATE")

    def _read(self):
        return self._transaction("BEGIN")

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> SQLiteSession:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self._read() as conn:
            if conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mq_meta'"
            ).fetchone() is None:
                return 0
            row = conn.execute("SELECT value FROM mq_meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            return 0
        try:
            return int(row[0])
        except (TypeError, ValueError):
            raise StoreError(
                f"the store {self.display_url} failed: its schema version {row[0]!r} is not a number"
            ) from None

    # --- profiles ---------------------------------------------------------------------

    def save_profile(self, profile: Profile) -> Profile:
        now = now_stamp()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO participants (id, name, email, role, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = ?, email = ?, role = ?, updated_at = ?",
                (profile.id, profile.name, profile.email, profile.role, now, now,
                 profile.name, profile.email, profile.role, now),
            )
        return profile

    def profile(self, participant_id: str) -> Profile | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT id, name, role, email FROM participants WHERE id = ?", (participant_id,)
            ).fetchone()
        return Profile(*row) if row else None

    def profiles(self) -> list[Profile]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, name, role, email FROM participants ORDER BY name, id"
            ).fetchall()
        return [Profile(*row) for row in rows]

    # --- survey -----------------------------------------------------------------------

    def save_survey_answer(
        self, participant_id: str, programme_id: str, part: str, question_id: str, answer: str | int
    ) -> None:
        text = answer if isinstance(answer, str) else None
        number = answer if isinstance(answer, int) else None
        now = now_stamp()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO survey_answers (participant_id, programme_id, question_id, "
                "answer_text, answer_int, part, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (participant_id, programme_id, question_id) DO UPDATE SET "
                "answer_text = ?, answer_int = ?, part = ?, answered_at = ?",
                (participant_id, programme_id, question_id, text, number, part, now,
                 text, number, part, now),
            )

    def survey_answers(self, participant_id: str, programme_id: str) -> dict[str, tuple[str, str | int]]:
        """question id -> (part, answer)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT question_id, part, answer_text, answer_int FROM survey_answers "
                "WHERE participant_id = ? AND programme_id = ?",
                (participant_id, programme_id),
            ).fetchall()
        return {qid: (part, number if number is not None else text) for qid, part, text, number in rows}

    # --- attempts ---------------------------------------------------------------------

    def autosave(self, participant_id: str, programme_id: str, state: AttemptState) -> None:
        state_json = state.to_json()
        now = now_stamp()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO saved_attempts (participant_id, programme_id, scenario_id, "
                "attempt_id, state_json, saved_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (participant_id, programme_id, scenario_id) DO UPDATE SET "
                "attempt_id = ?, state_json = ?, saved_at = ?",
                (participant_id, programme_id, state.scenario_id, state.attempt_id, state_json, now,
                 state.attempt_id, state_json, now),
            )

    def autosaved(self, participant_id: str, programme_id: str, scenario_id: str) -> str | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT state_json FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                (participant_id, programme_id, scenario_id),
            ).fetchone()
        return row[0] if row else None

    def discard_autosave(self, participant_id: str, programme_id: str, scenario_id: str) -> None:
        with self._write() as conn:
            conn.execute(
                "DELETE FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                (participant_id, programme_id, scenario_id),
            )

    def finish_attempt(
        self, participant_id: str, programme_id: str, state: AttemptState, debrief: Debrief
    ) -> bool:
        """Keep a finished attempt and clear its autosave, atomically; False if already kept."""
        # Loaded already: the caller holds an attempt state.
        from mentorquest.engine.state import utc_now

        result = debrief.result
        finished_at = state.finished_at or utc_now()
        row = (
            state.attempt_id,
            participant_id,
            programme_id,
            state.scenario_id,
            state.content_hash,
            int(state.practice),  # as SQLAlchemy writes a Boolean on SQLite
            state.started_at,
            finished_at,
            result.ending,
            result.percent,
            int(result.passed),
            result.to_json(),
            debrief.to_json(),
            seconds_between(state.started_at, finished_at),
        )
        with self._write() as conn:
            added = conn.execute(
                "INSERT INTO attempts (attempt_id, participant_id, programme_id, scenario_id, "
                "content_hash, practice, started_at, finished_at, ending, percent, passed, "
                "result_json, debrief_json, duration_s) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (attempt_id) DO NOTHING",
                row,
            ).rowcount
            conn.execute(
                "DELETE FROM saved_attempts WHERE participant_id = ? AND programme_id = ? "
                "AND scenario_id = ? AND attempt_id = ?",
                (participant_id, programme_id, state.scenario_id, state.attempt_id),
            )
        return added == 1

    def finished_attempts(
        self,
        participant_id: str | None = None,
        programme_id: str | None = None,
        *,
        include_practice: bool = False,
    ) -> list[FinishedAttempt]:
        from mentorquest.engine.results import AttemptResult, Debrief

        where, params = [], []
        if participant_id is not None:
            where.append("participant_id = ?")
            params.append(participant_id)
        if programme_id is not None:
            where.append("programme_id = ?")
            params.append(programme_id)
        if not include_practice:
            where.append("practice IS 0")
        query = (
            "SELECT attempt_id, participant_id, programme_id, scenario_id, content_hash, practice, "
            "started_at, finished_at, duration_s, result_json, debrief_json FROM attempts"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY finished_at, attempt_id"
        )
        with self._read() as conn:
            rows = conn.execute(query, params).fetchall()
        return [
            FinishedAttempt(
                attempt_id=attempt_id,
                participant_id=participant,
                programme_id=programme,
                scenario_id=scenario_id,
                content_hash=content_hash,
                practice=bool(practice),
                started_at=started_at,
                finished_at=finished_at,
                duration_s=duration_s if duration_s is not None else seconds_between(started_at, finished_at),
                result=AttemptResult.from_json(result_json),
                debrief=Debrief.from_json(debrief_json),
            )
            for (attempt_id, participant, programme, scenario_id, content_hash, practice,
                 started_at, finished_at, duration_s, result_json, debrief_json) in rows
        ]

    # --- completion records -----------------------------------------------------------
    # CompletionRecord is a pydantic model: it is loaded here, once a journey is complete,
    # never on the way there.

    def add_record(self, record: CompletionRecord, source: str = "local") -> bool:
        """Keep a signed record; False when a record with its id is already kept."""
        return self.add_records([record], source) == 1

    def add_records(self, records: list[CompletionRecord], source: str = "local") -> int:
        if not records:
            return 0
        rows = [
            (
                r.record_id,
                r.participant.id,
                r.programme.id,
                r.completed_at,
                r.signature.public_key if r.signature else "",
                r.to_json(),
                now_stamp(),
                source,
            )
            for r in records
        ]
        added = 0
        with self._write() as conn:
            for row in rows:
                added += conn.execute(
                    "INSERT INTO records (record_id, participant_id, programme_id, completed_at, "
                    "public_key, record_json, stored_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (record_id) DO NOTHING",
                    row,
                ).rowcount
        return added

    def record(self, record_id: str) -> CompletionRecord | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT record_json FROM records WHERE record_id = ?", (record_id,)
            ).fetchone()
        return self._record_from(row)

    def latest_record(self, participant_id: str, programme_id: str) -> CompletionRecord | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT record_json FROM records WHERE participant_id = ? AND programme_id = ? "
                "ORDER BY completed_at DESC, record_id DESC LIMIT 1",
                (participant_id, programme_id),
            ).fetchone()
        return self._record_from(row)

    @staticmethod
    def _record_from(row: tuple | None) -> CompletionRecord | None:
        if not row or not row[0]:
            return None
        from mentorquest.records.model import CompletionRecord

        return CompletionRecord.from_json(row[0])


def open_session(url: str | None = None) -> SQLiteSession | Store:
    """The store for a play session: light on a current SQLite file, the full `Store` otherwise.

    `url` is read as `open_store` reads it (then MENTORQUEST_DB, then the default file).
    Only an existing SQLite file that says it is at the current schema version gets a
    `SQLiteSession`; creating, migrating, refusing a newer schema and every other database
    stay with `open_store`, which loads SQLAlchemy.
    """
    found = sqlite_file(url or os.environ.get("MENTORQUEST_DB") or default_url())
    if found is not None and os.path.isfile(found[1]):
        session = SQLiteSession(found[1], display_url=found[0])
        try:
            current = session.schema_version() == SCHEMA_VERSION
        except BaseException:
            session.close()
            raise
        if current:
            return session
        session.close()
    from mentorquest.store.store import open_store

    return open_store(url)
