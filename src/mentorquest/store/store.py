"""The store: profiles, autosaved attempts, finished attempts, survey answers and records.

Every method is one transaction. Rows with an identity of their own (attempts, records)
are written with INSERT ... ON CONFLICT DO NOTHING on their UUID, so writing the same
one twice, from any number of processes, changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, and_, delete, exc, func, select
from sqlalchemy.dialects import postgresql, sqlite

from mentorquest.engine import AttemptResult, AttemptState, Debrief
from mentorquest.engine.state import utc_now
from mentorquest.records.model import CompletionRecord
from mentorquest.store import schema
from mentorquest.store.database import describe, display, make_engine, resolve_url
from mentorquest.store.migrations import migrate
from mentorquest.store.types import FinishedAttempt, Profile, StoreError, now_stamp, seconds_between

# The values and the error live in `types` (no SQLAlchemy); still importable from here.
__all__ = ["FinishedAttempt", "Profile", "Store", "StoreError", "open_store", "seconds_between"]


class Store:
    """One database of participants' progress; open it with `open_store`."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.display_url = display(self.url)
        self.engine = make_engine(self.url)
        self.dialect = self.url.get_backend_name()
        with self._write() as conn:
            migrate(conn)

    # --- plumbing ---------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except exc.SQLAlchemyError as error:
            raise StoreError(f"the store {self.display_url} failed: {describe(error)}") from None

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as raw:
                conn = raw.execution_options(mq_read=True)
                with conn.begin():
                    yield conn
        except exc.SQLAlchemyError as error:
            raise StoreError(f"the store {self.display_url} failed: {describe(error)}") from None

    def _insert(self, table):
        return (postgresql.insert if self.dialect == "postgresql" else sqlite.insert)(table)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        from mentorquest.store.migrations import current_version

        with self._read() as conn:
            return current_version(conn)

    def integrity_check(self) -> str:
        """SQLite's own check ('ok' when the file is sound); PostgreSQL answers 'ok'."""
        if self.dialect != "sqlite":
            return "ok"
        with self._read() as conn:
            return "; ".join(r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").all())

    # --- profiles ---------------------------------------------------------------------

    def save_profile(self, profile: Profile) -> Profile:
        now = now_stamp()
        stmt = self._insert(schema.participants).values(
            id=profile.id, name=profile.name, email=profile.email, role=profile.role,
            created_at=now, updated_at=now,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={"name": profile.name, "email": profile.email, "role": profile.role, "updated_at": now},
        )
        with self._write() as conn:
            conn.execute(stmt)
        return profile

    def profile(self, participant_id: str) -> Profile | None:
        t = schema.participants
        with self._read() as conn:
            row = conn.execute(select(t).where(t.c.id == participant_id)).first()
        return Profile(row.id, row.name, row.role, row.email) if row else None

    def profiles(self) -> list[Profile]:
        t = schema.participants
        with self._read() as conn:
            rows = conn.execute(select(t).order_by(t.c.name, t.c.id)).all()
        return [Profile(r.id, r.name, r.role, r.email) for r in rows]

    # --- survey -----------------------------------------------------------------------

    def save_survey_answer(
        self, participant_id: str, programme_id: str, part: str, question_id: str, answer: str | int
    ) -> None:
        values = {
            "answer_text": answer if isinstance(answer, str) else None,
            "answer_int": answer if isinstance(answer, int) else None,
            "part": part,
            "answered_at": now_stamp(),
        }
        stmt = self._insert(schema.survey_answers).values(
            participant_id=participant_id, programme_id=programme_id, question_id=question_id, **values
        ).on_conflict_do_update(index_elements=["participant_id", "programme_id", "question_id"], set_=values)
        with self._write() as conn:
            conn.execute(stmt)

    def survey_answers(self, participant_id: str, programme_id: str) -> dict[str, tuple[str, str | int]]:
        """question id -> (part, answer)."""
        t = schema.survey_answers
        with self._read() as conn:
            rows = conn.execute(
                select(t).where(t.c.participant_id == participant_id, t.c.programme_id == programme_id)
            ).all()
        return {
            r.question_id: (r.part, r.answer_int if r.answer_int is not None else r.answer_text)
            for r in rows
        }

    # --- attempts ---------------------------------------------------------------------

    def autosave(self, participant_id: str, programme_id: str, state: AttemptState) -> None:
        values = {"attempt_id": state.attempt_id, "state_json": state.to_json(), "saved_at": now_stamp()}
        stmt = self._insert(schema.saved_attempts).values(
            participant_id=participant_id, programme_id=programme_id, scenario_id=state.scenario_id, **values
        ).on_conflict_do_update(index_elements=["participant_id", "programme_id", "scenario_id"], set_=values)
        with self._write() as conn:
            conn.execute(stmt)

    def autosaved(self, participant_id: str, programme_id: str, scenario_id: str) -> str | None:
        t = schema.saved_attempts
        with self._read() as conn:
            return conn.execute(
                select(t.c.state_json).where(
                    t.c.participant_id == participant_id,
                    t.c.programme_id == programme_id,
                    t.c.scenario_id == scenario_id,
                )
            ).scalar()

    def discard_autosave(self, participant_id: str, programme_id: str, scenario_id: str) -> None:
        t = schema.saved_attempts
        with self._write() as conn:
            conn.execute(
                delete(t).where(
                    t.c.participant_id == participant_id,
                    t.c.programme_id == programme_id,
                    t.c.scenario_id == scenario_id,
                )
            )

    def finish_attempt(
        self, participant_id: str, programme_id: str, state: AttemptState, debrief: Debrief
    ) -> bool:
        """Keep a finished attempt and clear its autosave, atomically; False if already kept."""
        result = debrief.result
        finished_at = state.finished_at or utc_now()
        row = {
            "attempt_id": state.attempt_id,
            "participant_id": participant_id,
            "programme_id": programme_id,
            "scenario_id": state.scenario_id,
            "content_hash": state.content_hash,
            "practice": state.practice,
            "started_at": state.started_at,
            "finished_at": finished_at,
            "duration_s": seconds_between(state.started_at, finished_at),
            "ending": result.ending,
            "percent": result.percent,
            "passed": result.passed,
            "result_json": result.to_json(),
            "debrief_json": debrief.to_json(),
        }
        t = schema.saved_attempts
        with self._write() as conn:
            added = conn.execute(
                self._insert(schema.attempts)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["attempt_id"])
                .returning(schema.attempts.c.attempt_id)
            ).first() is not None
            conn.execute(
                delete(t).where(
                    t.c.participant_id == participant_id,
                    t.c.programme_id == programme_id,
                    t.c.scenario_id == state.scenario_id,
                    t.c.attempt_id == state.attempt_id,
                )
            )
        return bool(added)

    def finished_attempts(
        self,
        participant_id: str | None = None,
        programme_id: str | None = None,
        *,
        include_practice: bool = False,
    ) -> list[FinishedAttempt]:
        t = schema.attempts
        query = select(t).order_by(t.c.finished_at, t.c.attempt_id)
        if participant_id is not None:
            query = query.where(t.c.participant_id == participant_id)
        if programme_id is not None:
            query = query.where(t.c.programme_id == programme_id)
        if not include_practice:
            query = query.where(t.c.practice.is_(False))
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            FinishedAttempt(
                attempt_id=r.attempt_id,
                participant_id=r.participant_id,
                programme_id=r.programme_id,
                scenario_id=r.scenario_id,
                content_hash=r.content_hash,
                practice=bool(r.practice),
                started_at=r.started_at,
                finished_at=r.finished_at,
                duration_s=r.duration_s if r.duration_s is not None else seconds_between(r.started_at, r.finished_at),
                result=AttemptResult.from_json(r.result_json),
                debrief=Debrief.from_json(r.debrief_json),
            )
            for r in rows
        ]

    def count_attempts(self, programme_id: str | None = None) -> int:
        t = schema.attempts
        query = select(func.count()).select_from(t)
        if programme_id is not None:
            query = query.where(t.c.programme_id == programme_id)
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    # --- completion records -----------------------------------------------------------

    def add_record(self, record: CompletionRecord, source: str = "local") -> bool:
        """Keep a signed record; False when a record with its id is already kept."""
        return self.add_records([record], source) == 1

    def add_records(self, records: list[CompletionRecord], source: str = "local") -> int:
        if not records:
            return 0
        rows = [
            {
                "record_id": r.record_id,
                "participant_id": r.participant.id,
                "programme_id": r.programme.id,
                "completed_at": r.completed_at,
                "public_key": r.signature.public_key if r.signature else "",
                "record_json": r.to_json(),
                "stored_at": now_stamp(),
                "source": source,
            }
            for r in records
        ]
        added = 0
        with self._write() as conn:
            for row in rows:
                added += conn.execute(
                    self._insert(schema.records)
                    .values(**row)
                    .on_conflict_do_nothing(index_elements=["record_id"])
                    .returning(schema.records.c.record_id)
                ).first() is not None
        return added

    def record(self, record_id: str) -> CompletionRecord | None:
        t = schema.records
        with self._read() as conn:
            text = conn.execute(select(t.c.record_json).where(t.c.record_id == record_id)).scalar()
        return CompletionRecord.from_json(text) if text else None

    def latest_record(self, participant_id: str, programme_id: str) -> CompletionRecord | None:
        t = schema.records
        with self._read() as conn:
            text = conn.execute(
                select(t.c.record_json)
                .where(t.c.participant_id == participant_id, t.c.programme_id == programme_id)
                .order_by(t.c.completed_at.desc(), t.c.record_id.desc())
                .limit(1)
            ).scalar()
        return CompletionRecord.from_json(text) if text else None

    def count_records(self, programme_id: str | None = None) -> int:
        t = schema.records
        query = select(func.count()).select_from(t)
        if programme_id is not None:
            query = query.where(t.c.programme_id == programme_id)
        with self._read() as conn:
            return int(conn.execute(query).scalar() or 0)

    def record_texts(
        self, programme_id: str | None = None, since: str | None = None, *, latest_only: bool = True
    ) -> Iterator[str]:
        """Records as stored JSON, oldest first; by default only each participant's latest."""
        t = schema.records
        query = select(t.c.record_json)
        if latest_only:
            newest = (
                select(
                    t.c.participant_id,
                    t.c.programme_id,
                    func.max(t.c.completed_at).label("completed_at"),
                )
                .group_by(t.c.participant_id, t.c.programme_id)
                .subquery()
            )
            query = query.join(
                newest,
                and_(
                    t.c.participant_id == newest.c.participant_id,
                    t.c.programme_id == newest.c.programme_id,
                    t.c.completed_at == newest.c.completed_at,
                ),
            )
        if programme_id is not None:
            query = query.where(t.c.programme_id == programme_id)
        if since is not None:
            query = query.where(t.c.completed_at >= since)
        query = query.order_by(t.c.completed_at, t.c.record_id)
        try:
            with self.engine.connect() as raw:
                conn = raw.execution_options(mq_read=True, stream_results=True, yield_per=2000)
                with conn.begin():
                    for (text,) in conn.execute(query):
                        yield text
        except exc.SQLAlchemyError as error:
            raise StoreError(f"the store {self.display_url} failed: {describe(error)}") from None

    def records(self, programme_id: str | None = None, since: str | None = None, *, latest_only: bool = True) -> Iterator[CompletionRecord]:
        for text in self.record_texts(programme_id, since, latest_only=latest_only):
            yield CompletionRecord.from_json(text)

    def record_json_dicts(self, programme_id: str | None = None, since: str | None = None) -> Iterator[dict]:
        for text in self.record_texts(programme_id, since):
            yield json.loads(text)


def open_store(url: str | None = None) -> Store:
    """Open (creating or migrating as needed) the store at `url`, MENTORQUEST_DB or the default."""
    try:
        return Store(url)
    except exc.SQLAlchemyError as error:  # connection-time failures outside _write
        raise StoreError(f"cannot open the store: {describe(error)}") from None
