"""The store: profiles, autosaved attempts, finished attempts, survey answers and records.

One implementation over SQLite and PostgreSQL (see `database`): every method is one
transaction. Rows with an identity of their own (attempts, records) are written with
INSERT ... ON CONFLICT DO NOTHING on their UUID, so writing the same one twice, from any
number of processes, changes nothing.

A play session uses this store as it is: opening an SQLite file at the current schema
costs a read of its version, and nothing here loads more than the standard library's
`sqlite3` (PostgreSQL's driver only for a PostgreSQL URL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from mentorquest.errors import MentorquestError
from mentorquest.store import migrations
from mentorquest.store.database import Database, StoreError, Transaction, resolve_url

if TYPE_CHECKING:
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.engine.results import AttemptResult, Debrief
    from mentorquest.engine.state import AttemptState

__all__ = [
    "SEAT_EXPIRY_S",
    "FinishedAttempt",
    "InProgress",
    "LedgerEntry",
    "Profile",
    "Reader",
    "Seat",
    "SeatLost",
    "SeatTaken",
    "SetAside",
    "Store",
    "StoreError",
    "StoredAnswer",
    "open_store",
]


class Profile(NamedTuple):
    id: str
    name: str
    role: str
    email: str | None = None


class FinishedAttempt(NamedTuple):
    attempt_id: str
    participant_id: str
    programme_id: str
    scenario_id: str
    content_hash: str
    practice: bool
    started_at: str
    finished_at: str
    duration_s: float
    result: AttemptResult
    debrief: Debrief
    # The attempt as saved (its path with times); None for attempts kept before schema 3.
    state: AttemptState | None = None


class StoredAnswer(NamedTuple):
    """A survey answer as kept: who, at which stage, which question, what and when."""

    participant_id: str
    programme_id: str
    stage: str
    question_id: str
    answer: str | int
    answered_at: str


class InProgress(NamedTuple):
    """An attempt saved in progress (its state as JSON text; the engine reads it)."""

    participant_id: str
    programme_id: str
    scenario_id: str
    attempt_id: str
    state_json: str
    saved_at: str


class LedgerEntry(NamedTuple):
    """A statement sent to a learning record store: what it was about, its id and digest."""

    statement_key: str
    statement_id: str
    digest: str
    sent_at: str
    voided: bool = False


class FinishedPath(NamedTuple):
    """A finished attempt as far as replaying it needs: nothing it scored is read."""

    attempt_id: str
    scenario_id: str
    content_hash: str
    started_at: str
    finished_at: str
    duration_s: float
    # The attempt as saved (its path with times); None for attempts kept before schema 3,
    # whose path, without times, is in `legacy_path`.
    state: AttemptState | None
    legacy_path: tuple[tuple[str, str], ...] = ()


class SetAside(NamedTuple):
    """A saved attempt whose path did not replay: kept, never deleted, and why."""

    attempt_id: str
    participant_id: str
    programme_id: str
    scenario_id: str
    state_json: str
    reason: str
    set_aside_at: str


class Seat(NamedTuple):
    """Who holds a participant's journey: one player at a time."""

    participant_id: str
    programme_id: str
    holder: str
    host: str
    pid: int
    taken_at: str
    heartbeat_at: str


# A seat whose player has not been heard of for this long is free again (a killed player
# leaves one behind); a live player renews its seat every SEAT_HEARTBEAT_S.
SEAT_EXPIRY_S = 90
SEAT_HEARTBEAT_S = 20


class SeatTaken(MentorquestError):
    """The journey is open in another player."""

    def __init__(self, seat: Seat) -> None:
        since = seat.taken_at[:16].replace("T", " ")
        super().__init__(
            f"this journey is already open in another player (on {seat.host}, since {since} "
            "UTC); close it there, or start with --take-over to take it over"
        )
        self.seat = seat


class SeatLost(MentorquestError):
    """Another player took the journey over: this one must stop without writing."""

    title = "Taken over"

    def __init__(self) -> None:
        super().__init__(
            "this journey was taken over by another player; this one stops here without "
            "saving anything more"
        )


def seconds_between(start: str, end: str) -> float:
    a = datetime.fromisoformat(start.replace("Z", "+00:00"))
    b = datetime.fromisoformat(end.replace("Z", "+00:00"))
    return max(0.0, (b - a).total_seconds())


def now_stamp() -> str:
    """The store's own timestamps (saved_at, stored_at, ...): UTC, milliseconds, 'Z'."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_ATTEMPT_COLUMNS = (
    "attempt_id, participant_id, programme_id, scenario_id, content_hash, practice, "
    "started_at, finished_at, duration_s, result_json, debrief_json, state_json"
)
_SEAT_COLUMNS = "participant_id, programme_id, holder, host, pid, taken_at, heartbeat_at"
_ANSWER_COLUMNS = (
    "participant_id, programme_id, stage, question_id, answer_text, answer_int, answered_at"
)


def _process_alive(pid: int) -> bool:
    """Is process `pid` of this machine running? (A seat left by a killed player on this
    machine is free at once; one left on another machine expires after SEAT_EXPIRY_S.)"""
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True
    return True


def _stamp_seconds_ago(stamp: str) -> float:
    try:
        return seconds_between(stamp, now_stamp())
    except ValueError:
        return float("inf")


class Store:
    """One database of participants' progress; open it with `open_store`."""

    def __init__(self, url: str | None = None) -> None:
        self.database = Database(resolve_url(url))
        self.display_url = self.database.display_url
        self.dialect = self.database.dialect
        try:
            migrations.migrate(self.database)
        except BaseException:
            self.database.close()
            raise

    def close(self) -> None:
        self.database.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self.database.read() as tx:
            return migrations.current_version(tx, self.dialect)

    def integrity_check(self) -> str:
        """SQLite's own check ('ok' when the file is sound); PostgreSQL answers 'ok'."""
        if self.dialect != "sqlite":
            return "ok"
        with self.database.read() as tx:
            return "; ".join(str(row[0]) for row in tx.execute("PRAGMA integrity_check"))

    # --- profiles ---------------------------------------------------------------------

    def save_profile(self, profile: Profile) -> Profile:
        now = now_stamp()
        with self.database.write() as tx:
            tx.execute(
                "INSERT INTO participants (id, name, email, role, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "name = excluded.name, email = excluded.email, role = excluded.role, "
                "updated_at = excluded.updated_at",
                (profile.id, profile.name, profile.email, profile.role, now, now),
            )
        return profile

    def profile(self, participant_id: str) -> Profile | None:
        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT id, name, role, email FROM participants WHERE id = ?", (participant_id,)
            )
        return Profile(*rows[0]) if rows else None

    def profiles(self) -> list[Profile]:
        with self.database.read() as tx:
            rows = tx.execute("SELECT id, name, role, email FROM participants ORDER BY name, id")
        return [Profile(*row) for row in rows]

    # --- survey -----------------------------------------------------------------------

    def save_survey_answer(
        self,
        participant_id: str,
        programme_id: str,
        stage: str,
        question_id: str,
        answer: str | int,
        *,
        seat: Seat | None = None,
    ) -> None:
        """Keep an answer given at `stage` (before, after, midpoint, closeout); a new answer
        to the same question at the same stage replaces the earlier one."""
        text = answer if isinstance(answer, str) else None
        number = answer if isinstance(answer, int) else None
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            tx.execute(
                "INSERT INTO survey_answers (participant_id, programme_id, stage, question_id, "
                "answer_text, answer_int, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (participant_id, programme_id, stage, question_id) DO UPDATE SET "
                "answer_text = excluded.answer_text, answer_int = excluded.answer_int, "
                "answered_at = excluded.answered_at",
                (participant_id, programme_id, stage, question_id, text, number, now_stamp()),
            )

    def survey_answers(
        self, participant_id: str, programme_id: str
    ) -> dict[tuple[str, str], str | int]:
        """(stage, question id) -> answer."""
        return {
            (a.stage, a.question_id): a.answer
            for a in self.stored_answers(participant_id, programme_id)
        }

    def stored_answers(self, participant_id: str, programme_id: str) -> list[StoredAnswer]:
        """The participant's answers with their stage and time, in stage and question order."""
        with self.database.read() as tx:
            rows = tx.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM survey_answers "
                "WHERE participant_id = ? AND programme_id = ? ORDER BY stage, question_id",
                (participant_id, programme_id),
            )
        return [_answer(row) for row in rows]

    # --- attempts ---------------------------------------------------------------------

    def autosave(
        self,
        participant_id: str,
        programme_id: str,
        state: AttemptState,
        *,
        seat: Seat | None = None,
    ) -> None:
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            tx.execute(
                "INSERT INTO saved_attempts (participant_id, programme_id, scenario_id, "
                "attempt_id, state_json, saved_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (participant_id, programme_id, scenario_id) DO UPDATE SET "
                "attempt_id = excluded.attempt_id, state_json = excluded.state_json, "
                "saved_at = excluded.saved_at",
                (
                    participant_id,
                    programme_id,
                    state.scenario_id,
                    state.attempt_id,
                    state.to_json(),
                    now_stamp(),
                ),
            )

    def autosaved(self, participant_id: str, programme_id: str, scenario_id: str) -> str | None:
        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT state_json FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                (participant_id, programme_id, scenario_id),
            )
        return str(rows[0][0]) if rows else None

    def autosaved_scenarios(self, participant_id: str, programme_id: str) -> set[str]:
        """The scenarios with an attempt in progress, in one query (the quest map asks often)."""
        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT scenario_id FROM saved_attempts WHERE participant_id = ? AND programme_id = ?",
                (participant_id, programme_id),
            )
        return {str(row[0]) for row in rows}

    def discard_autosave(
        self,
        participant_id: str,
        programme_id: str,
        scenario_id: str,
        *,
        seat: Seat | None = None,
    ) -> None:
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            tx.execute(
                "DELETE FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                (participant_id, programme_id, scenario_id),
            )

    def finish_attempt(
        self,
        participant_id: str,
        programme_id: str,
        state: AttemptState,
        debrief: Debrief,
        *,
        seat: Seat | None = None,
    ) -> bool:
        """Keep a finished attempt and clear its autosave, atomically; False if already kept."""
        from mentorquest.engine.state import utc_now

        result = debrief.result
        finished_at = state.finished_at or utc_now()
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            added = tx.changed(
                "INSERT INTO attempts (attempt_id, participant_id, programme_id, scenario_id, "
                "content_hash, practice, started_at, finished_at, ending, percent, passed, "
                "result_json, debrief_json, duration_s, state_json) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (attempt_id) DO NOTHING",
                (
                    state.attempt_id,
                    participant_id,
                    programme_id,
                    state.scenario_id,
                    state.content_hash,
                    state.practice,
                    state.started_at,
                    finished_at,
                    result.ending,
                    result.percent,
                    result.passed,
                    result.to_json(),
                    debrief.to_json(),
                    seconds_between(state.started_at, finished_at),
                    state.to_json(),
                ),
            )
            tx.execute(
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
        where, params = _where(participant_id=participant_id, programme_id=programme_id)
        if not include_practice:
            where.append("practice = ?")
            params.append(False)
        query = f"SELECT {_ATTEMPT_COLUMNS} FROM attempts"
        if where:
            query += " WHERE " + " AND ".join(where)
        with self.database.read() as tx:
            rows = tx.execute(query + " ORDER BY finished_at, attempt_id", params)
        return [_finished(row) for row in rows]

    def finished_paths(self, participant_id: str, programme_id: str) -> list[FinishedPath]:
        """A participant's finished attempts (practice left out) as their paths, to replay.

        Cheaper than `finished_attempts`: what the attempts scored is not read, because a
        player counts an attempt only as replaying its path scores it.
        """
        from mentorquest.engine.results import AttemptResult
        from mentorquest.engine.state import AttemptState

        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT attempt_id, scenario_id, content_hash, started_at, finished_at, "
                "duration_s, state_json, CASE WHEN state_json IS NULL THEN result_json END "
                "FROM attempts WHERE participant_id = ? AND programme_id = ? AND practice = ? "
                "ORDER BY finished_at, attempt_id",
                (participant_id, programme_id, False),
            )
        found = []
        for attempt_id, scenario_id, content_hash, started, finished, duration, state, old in rows:
            found.append(
                FinishedPath(
                    attempt_id=attempt_id,
                    scenario_id=scenario_id,
                    content_hash=content_hash,
                    started_at=started,
                    finished_at=finished,
                    duration_s=(
                        duration if duration is not None else seconds_between(started, finished)
                    ),
                    state=AttemptState.from_json(state) if state else None,
                    legacy_path=(
                        tuple(
                            (scene, choice) for scene, choice in AttemptResult.from_json(old).path
                        )
                        if old
                        else ()
                    ),
                )
            )
        return found

    # --- attempts set aside -------------------------------------------------------------

    def set_aside(
        self,
        participant_id: str,
        programme_id: str,
        scenario_id: str,
        reason: str,
        *,
        seat: Seat | None = None,
    ) -> None:
        """Move a saved attempt that does not replay out of the way, keeping it and why."""
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            key = (participant_id, programme_id, scenario_id)
            rows = tx.execute(
                "SELECT attempt_id, state_json FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                key,
            )
            for attempt_id, state_json in rows:
                tx.execute(
                    "INSERT INTO set_aside_attempts (attempt_id, participant_id, programme_id, "
                    "scenario_id, state_json, reason, set_aside_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (str(attempt_id)[:36], *key, state_json, reason, now_stamp()),
                )
            tx.execute(
                "DELETE FROM saved_attempts "
                "WHERE participant_id = ? AND programme_id = ? AND scenario_id = ?",
                key,
            )

    def set_aside_attempts(
        self, participant_id: str | None = None, programme_id: str | None = None
    ) -> list[SetAside]:
        where, params = _where(participant_id=participant_id, programme_id=programme_id)
        query = (
            "SELECT attempt_id, participant_id, programme_id, scenario_id, state_json, reason, "
            "set_aside_at FROM set_aside_attempts"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        with self.database.read() as tx:
            rows = tx.execute(query + " ORDER BY set_aside_at, attempt_id", params)
        return [SetAside(*row) for row in rows]

    # --- seats: one player per journey --------------------------------------------------

    def take_seat(
        self,
        participant_id: str,
        programme_id: str,
        *,
        host: str,
        pid: int,
        take_over: bool = False,
    ) -> Seat:
        """Hold the journey for one player; SeatTaken if another live player holds it."""
        import uuid

        now = now_stamp()
        seat = Seat(participant_id, programme_id, str(uuid.uuid4()), host, pid, now, now)
        with self.database.write() as tx:
            held = self._seat(tx, participant_id, programme_id)
            if (
                held is not None
                and not take_over
                and _stamp_seconds_ago(held.heartbeat_at) < SEAT_EXPIRY_S
                and not (held.host == host and not _process_alive(held.pid))
            ):
                raise SeatTaken(held)
            tx.execute(
                f"INSERT INTO seats ({_SEAT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (participant_id, programme_id) DO UPDATE SET "
                "holder = excluded.holder, host = excluded.host, pid = excluded.pid, "
                "taken_at = excluded.taken_at, heartbeat_at = excluded.heartbeat_at",
                seat,
            )
        return seat

    def renew_seat(self, seat: Seat) -> None:
        """Say the player holding `seat` is still there; SeatLost if it no longer holds it."""
        with self.database.write() as tx:
            self._check_seat(tx, seat)
            tx.execute(
                "UPDATE seats SET heartbeat_at = ? WHERE participant_id = ? AND programme_id = ?",
                (now_stamp(), seat.participant_id, seat.programme_id),
            )

    def release_seat(self, seat: Seat) -> None:
        with self.database.write() as tx:
            tx.execute(
                "DELETE FROM seats WHERE participant_id = ? AND programme_id = ? AND holder = ?",
                (seat.participant_id, seat.programme_id, seat.holder),
            )

    def seat(self, participant_id: str, programme_id: str) -> Seat | None:
        with self.database.read() as tx:
            return self._seat(tx, participant_id, programme_id)

    def _seat(self, tx: Transaction, participant_id: str, programme_id: str) -> Seat | None:
        lock = " FOR UPDATE" if self.dialect == "postgresql" else ""
        rows = tx.execute(
            f"SELECT {_SEAT_COLUMNS} FROM seats WHERE participant_id = ? AND programme_id = ?"
            + lock,
            (participant_id, programme_id),
        )
        return Seat(*rows[0]) if rows else None

    def _check_seat(self, tx: Transaction, seat: Seat | None) -> None:
        # In the write's own transaction (and, on PostgreSQL, with the seat's row locked),
        # so that no write of a player lands after another player took its seat.
        if seat is None:
            return
        held = self._seat(tx, seat.participant_id, seat.programme_id)
        if held is None or held.holder != seat.holder:
            raise SeatLost()

    # --- completion records -----------------------------------------------------------

    def add_record(self, record: CompletionRecord, source: str = "local") -> bool:
        """Keep a signed record; False when a record with its id is already kept."""
        return self.add_records([record], source) == 1

    def add_records(self, records: list[CompletionRecord], source: str = "local") -> int:
        added = 0
        if not records:
            return added
        with self.database.write() as tx:
            for r in records:
                added += tx.changed(
                    "INSERT INTO records (record_id, participant_id, programme_id, completed_at, "
                    "public_key, record_json, stored_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (record_id) DO NOTHING",
                    (
                        r.record_id,
                        r.participant.id,
                        r.programme.id,
                        r.completed_at,
                        r.signature.public_key if r.signature else "",
                        r.to_json(),
                        now_stamp(),
                        source,
                    ),
                )
        return added

    def record(self, record_id: str) -> CompletionRecord | None:
        with self.database.read() as tx:
            rows = tx.execute("SELECT record_json FROM records WHERE record_id = ?", (record_id,))
        return _record(rows)

    def records_by_id(self, record_ids: list[str]) -> dict[str, CompletionRecord]:
        """The kept records among these ids (an import tells a copy from a conflict)."""
        from mentorquest.engine.record import CompletionRecord

        if not record_ids:
            return {}
        marks = ", ".join("?" for _ in record_ids)
        with self.database.read() as tx:
            rows = tx.execute(
                f"SELECT record_id, record_json FROM records WHERE record_id IN ({marks})",
                tuple(record_ids),
            )
        return {str(rid): CompletionRecord.from_json(text) for rid, text in rows if text}

    def latest_record(self, participant_id: str, programme_id: str) -> CompletionRecord | None:
        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT record_json FROM records WHERE participant_id = ? AND programme_id = ? "
                "ORDER BY completed_at DESC, record_id DESC LIMIT 1",
                (participant_id, programme_id),
            )
        return _record(rows)

    def programme_records(self, programme_id: str | None = None) -> list[CompletionRecord]:
        """The latest record of each programme (what the programme looked like, e.g. its rules)."""
        from mentorquest.engine.record import CompletionRecord

        where, params = _where(programme_id=programme_id)
        query = (
            "SELECT record_json FROM records WHERE record_id IN (SELECT MAX(r.record_id) "
            "FROM records r JOIN (SELECT programme_id, MAX(completed_at) AS completed_at "
            "FROM records GROUP BY programme_id) newest ON r.programme_id = newest.programme_id "
            "AND r.completed_at = newest.completed_at GROUP BY r.programme_id)"
        )
        if where:
            query += " AND " + " AND ".join(where)
        with self.database.read() as tx:
            rows = tx.execute(query + " ORDER BY programme_id", params)
        return [CompletionRecord.from_json(text) for (text,) in rows]

    def count_records(self, programme_id: str | None = None) -> int:
        where, params = _where(programme_id=programme_id)
        query = "SELECT COUNT(*) FROM records" + (" WHERE " + " AND ".join(where) if where else "")
        with self.database.read() as tx:
            return int(tx.execute(query, params)[0][0])

    def record_texts(
        self, programme_id: str | None = None, since: str | None = None, *, latest_only: bool = True
    ) -> Iterator[str]:
        """Records as stored JSON, oldest first; by default only each participant's latest."""
        where, params = _where(programme_id=programme_id, prefix="r.")
        if since is not None:
            where.append("r.completed_at >= ?")
            params.append(since)
        query = "SELECT r.record_json FROM records r"
        if latest_only:
            where.append(_LATEST)
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " ORDER BY r.completed_at, r.record_id"
        with self.database.read() as tx:
            for (text,) in tx.stream(query, params):
                yield str(text)

    def records(
        self, programme_id: str | None = None, since: str | None = None, *, latest_only: bool = True
    ) -> Iterator[CompletionRecord]:
        from mentorquest.engine.record import CompletionRecord

        for text in self.record_texts(programme_id, since, latest_only=latest_only):
            yield CompletionRecord.from_json(text)

    # --- what was sent to learning record stores ------------------------------------

    def ledger(self, endpoint: str, keys: list[str]) -> dict[str, list[LedgerEntry]]:
        """Per statement key, every statement sent for it to `endpoint`, oldest first (voided
        ones too): the last one not voided is what the LRS holds for the key."""
        found: dict[str, list[LedgerEntry]] = {}
        if not keys:
            return found
        with self.database.read() as tx:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ", ".join("?" for _ in chunk)
                for key, sid, digest, sent_at, voided_at in tx.execute(
                    "SELECT statement_key, statement_id, digest, sent_at, voided_at "
                    f"FROM lrs_ledger WHERE endpoint = ? AND statement_key IN ({marks}) "
                    "ORDER BY sent_at, statement_id",
                    (endpoint, *chunk),
                ):
                    found.setdefault(key, []).append(
                        LedgerEntry(key, sid, digest, sent_at, voided_at is not None)
                    )
        return found

    def note_sent(self, endpoint: str, entries: list[LedgerEntry]) -> None:
        """Say these statements reached `endpoint` (idempotent on their ids)."""
        if not entries:
            return
        with self.database.write() as tx:
            for e in entries:
                tx.execute(
                    "INSERT INTO lrs_ledger (endpoint, statement_id, statement_key, digest, "
                    "sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (endpoint, statement_id) "
                    "DO NOTHING",
                    (endpoint, e.statement_id, e.statement_key, e.digest, e.sent_at),
                )

    def note_voided(self, endpoint: str, voided: dict[str, str]) -> None:
        """Say these statements (id -> the voiding statement's id) were voided at `endpoint`."""
        if not voided:
            return
        now = now_stamp()
        with self.database.write() as tx:
            for statement_id, voiding_id in voided.items():
                tx.execute(
                    "UPDATE lrs_ledger SET voided_at = ?, voided_by = ? "
                    "WHERE endpoint = ? AND statement_id = ? AND voided_at IS NULL",
                    (now, voiding_id, endpoint, statement_id),
                )

    def ledger_summary(self, endpoint: str) -> tuple[int, int]:
        """(statements held at `endpoint`, statements voided there), as the ledger says."""
        with self.database.read() as tx:
            rows = tx.execute(
                "SELECT COUNT(*) - COUNT(voided_at), COUNT(voided_at) FROM lrs_ledger "
                "WHERE endpoint = ?",
                (endpoint,),
            )
        return int(rows[0][0] or 0), int(rows[0][1] or 0)

    # --- reading everything at once ----------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One consistent view of the store for a long read (an export, a report): its
        streams can be read side by side, each ordered by programme and participant."""
        with self.database.read() as tx:
            yield Reader(tx)


class Reader:
    """Streams over one read transaction, for exports and reports of whole cohorts.

    Every stream but `records(order="completed")` is ordered by (programme id, participant
    id) in code-point order, so that they can be merged participant by participant.
    """

    def __init__(self, tx: Transaction) -> None:
        self.tx = tx
        self._programmes: list[str] | None = None

    def _order(self, programme_id: str | None, prefix: str = "") -> str:
        """ORDER BY programme, then participant. While the rows are of one programme (one
        asked for, or the only one the store holds) that is the order of participant, then
        programme, which the tables' keys and indexes give without sorting: a cohort's
        attempts are gigabytes, and sorting them costs more than reading them."""
        programme = self.tx.text_order(f"{prefix}programme_id")
        participant = self.tx.text_order(f"{prefix}participant_id")
        if programme_id is not None or len(self.programme_ids()) <= 1:
            return f"{participant}, {programme}"
        return f"{programme}, {participant}"

    def profiles(self) -> Iterator[Profile]:
        order = self.tx.text_order("id")
        for row in self.tx.stream(
            f"SELECT id, name, role, email FROM participants ORDER BY {order}"
        ):
            yield Profile(*row)

    def record_texts(
        self,
        programme_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
        *,
        order: str = "completed",
    ) -> Iterator[tuple[str, str, str]]:
        """(programme id, participant id, record JSON) of each participant's latest record."""
        where, params = _where(programme_id=programme_id, prefix="r.")
        if since is not None:
            where.append("r.completed_at >= ?")
            params.append(since)
        if until is not None:
            where.append("r.completed_at < ?")
            params.append(until)
        where.append(_LATEST)
        query = "SELECT r.programme_id, r.participant_id, r.record_json FROM records r"
        query += " WHERE " + " AND ".join(where)
        if order == "completed":
            query += " ORDER BY r.completed_at, r.record_id"
        else:
            query += f" ORDER BY {self._order(programme_id, 'r.')}, r.record_id"
        for programme, participant, text in self.tx.stream(query, params):
            yield str(programme), str(participant), str(text)

    def finished_attempts(self, programme_id: str | None = None) -> Iterator[FinishedAttempt]:
        """Counted (not practice) finished attempts, each participant's in the order played."""
        where, params = _where(programme_id=programme_id)
        where.append("practice = ?")
        params.append(False)
        query = (
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE {' AND '.join(where)} "
            f"ORDER BY {self._order(programme_id)}, started_at, attempt_id"
        )
        read = _bulk_reader()
        for row in self.tx.stream(query, params):
            yield read(row)

    def in_progress(self, programme_id: str | None = None) -> Iterator[InProgress]:
        where, params = _where(programme_id=programme_id)
        query = (
            "SELECT participant_id, programme_id, scenario_id, attempt_id, state_json, saved_at "
            "FROM saved_attempts"
        )
        if where:
            query += " WHERE " + " AND ".join(where)
        query += f" ORDER BY {self._order(programme_id)}, {self.tx.text_order('scenario_id')}"
        for row in self.tx.stream(query, params):
            yield InProgress(*row)

    def answers(self, programme_id: str | None = None) -> Iterator[StoredAnswer]:
        where, params = _where(programme_id=programme_id)
        query = f"SELECT {_ANSWER_COLUMNS} FROM survey_answers"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += (
            f" ORDER BY {self._order(programme_id)}, stage, {self.tx.text_order('question_id')}"
        )
        for row in self.tx.stream(query, params):
            yield _answer(row)

    def set_aside_counts(self, programme_id: str | None = None) -> dict[tuple[str, str], int]:
        where, params = _where(programme_id=programme_id)
        query = "SELECT programme_id, participant_id, COUNT(*) FROM set_aside_attempts"
        if where:
            query += " WHERE " + " AND ".join(where)
        query += " GROUP BY programme_id, participant_id"
        return {(str(p), str(q)): int(n) for p, q, n in self.tx.execute(query, params)}

    def programme_ids(self) -> list[str]:
        """Every programme the store has anything of (records, attempts, answers)."""
        if self._programmes is None:
            rows = self.tx.execute(
                "SELECT programme_id FROM records UNION SELECT programme_id FROM attempts "
                "UNION SELECT programme_id FROM saved_attempts "
                "UNION SELECT programme_id FROM survey_answers"
            )
            self._programmes = sorted(str(row[0]) for row in rows)
        return list(self._programmes)


# A participant's latest record of a programme. Asked row by row (through the index on
# participant and programme), so that records read in participant order need no sorting.
_LATEST = (
    "r.completed_at = (SELECT MAX(latest.completed_at) FROM records latest "
    "WHERE latest.participant_id = r.participant_id AND latest.programme_id = r.programme_id)"
)


def _answer(row: tuple[Any, ...]) -> StoredAnswer:
    participant, programme, stage, qid, text, number, answered_at = row
    return StoredAnswer(
        participant, programme, stage, qid, number if number is not None else text, answered_at
    )


def _finished(row: tuple[Any, ...], fast: _Fast | None = None) -> FinishedAttempt:
    """A finished attempt from its row, its JSON read strictly by `shapes` (or, given
    `fast`, by pydantic's validators over the same declarations)."""
    from mentorquest.engine.results import AttemptResult, Debrief
    from mentorquest.engine.state import AttemptState

    (
        attempt_id,
        participant,
        programme,
        scenario_id,
        content_hash,
        practice,
        started_at,
        finished_at,
        duration_s,
        result_json,
        debrief_json,
        state_json,
    ) = row
    if fast is None:
        result = AttemptResult.from_json(result_json)
        debrief = Debrief.from_json(debrief_json)
    else:
        debrief = fast.debrief(debrief_json)
        # The same text, read once (see `_embeds`).
        embedded = _embeds(debrief_json, result_json)
        result = debrief.result if embedded else fast.result(result_json)
    return FinishedAttempt(
        attempt_id=attempt_id,
        participant_id=participant,
        programme_id=programme,
        scenario_id=scenario_id,
        content_hash=content_hash,
        practice=bool(practice),
        started_at=started_at,
        finished_at=finished_at,
        duration_s=(
            duration_s if duration_s is not None else seconds_between(started_at, finished_at)
        ),
        result=result,
        debrief=debrief,
        state=(fast.state if fast else AttemptState.from_json)(state_json) if state_json else None,
    )


_EMBEDDED_HEAD = '{"result":'
_EMBEDDED_TAIL = ',"entries":'


def _embeds(debrief_json: str, result_json: str) -> bool:
    """Whether the debrief's text holds the result column's text as its `result`.

    `save_finished` writes the result column as `debrief.result.to_json()` and the debrief
    (its result first, then its entries) as `debrief.to_json()`, so the result is written
    twice; when the texts agree, the debrief's result, already validated, is the value the
    result column would give, and is not validated again (a fifth of reading an attempt).
    """
    head = len(_EMBEDDED_HEAD)
    return (
        debrief_json.startswith(_EMBEDDED_HEAD)
        and debrief_json.startswith(result_json, head)
        and debrief_json.startswith(_EMBEDDED_TAIL, head + len(result_json))
    )


class _Fast(NamedTuple):
    result: Callable[[str], AttemptResult]
    debrief: Callable[[str], Debrief]
    state: Callable[[str], AttemptState]


@cache
def _bulk_reader() -> Callable[[tuple[Any, ...]], FinishedAttempt]:
    """How a cohort's finished attempts are read (exports, reports): by pydantic's validators
    over the declarations `shapes` reads (strict, unknown fields refused), several times
    faster than `shapes` for hundreds of thousands of attempts. An attempt they refuse, and
    a state of an earlier save format, are read again by `shapes`, which reads the older
    format or says exactly what is wrong: what is read is what `_finished` reads."""
    from pydantic import TypeAdapter, ValidationError

    from mentorquest.engine.results import AttemptResult, Debrief
    from mentorquest.engine.state import SAVE_FORMAT, AttemptState

    fast = _Fast(
        TypeAdapter(AttemptResult).validate_json,
        TypeAdapter(Debrief).validate_json,
        TypeAdapter(AttemptState).validate_json,
    )
    # States are written with their save format first (shapes writes fields in order).
    current = f'{{"save_format":{SAVE_FORMAT},'

    def read(row: tuple[Any, ...]) -> FinishedAttempt:
        state = row[-1]
        if state and not str(state).startswith(current):
            return _finished(row)
        try:
            return _finished(row, fast)
        except ValidationError:
            return _finished(row)

    return read


def _where(*, prefix: str = "", **equal: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in equal.items():
        if value is not None:
            where.append(f"{prefix}{column} = ?")
            params.append(value)
    return where, params


def _record(rows: list[tuple[Any, ...]]) -> CompletionRecord | None:
    if not rows or not rows[0][0]:
        return None
    from mentorquest.engine.record import CompletionRecord

    return CompletionRecord.from_json(rows[0][0])


def open_store(url: str | None = None) -> Store:
    """Open (creating or migrating as needed) the store at `url`, MENTORQUEST_DB or the default."""
    return Store(url)
