"""Opening a store written by schema version 1 migrates it forward and reads everything back."""

from __future__ import annotations

import pytest

from mentorquest.engine.record import RecordParticipant
from mentorquest.records.build import build_record
from mentorquest.records.signing import sign, verify
from mentorquest.store import SCHEMA_VERSION, open_store
from mentorquest.store.database import Database, resolve_url
from mentorquest.store.migrations import MIGRATIONS, create_version_one
from tests.store.fixtures import new_pg_database
from tests.store.helpers import finished_attempt


def raw(url: str) -> Database:
    return Database(resolve_url(url))


def write_version_one_store(url: str, library, record=None) -> dict:
    """A store exactly as the first schema version wrote it, with one of everything."""
    attempt = finished_attempt(library, "one", ["good", "keep"])
    state = attempt.state
    database = raw(url)
    with database.write() as tx:
        create_version_one(tx)
        tx.execute(
            "INSERT INTO participants VALUES (?, ?, ?, ?, ?, ?)",
            (
                "p-1",
                "Ada",
                "ada@example.org",
                "mentee",
                "2025-01-01T00:00:00Z",
                "2025-01-01T00:00:00Z",
            ),
        )
        tx.execute(
            "INSERT INTO survey_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
            ("p-1", "pilot", "confidence", "before", None, 4, "2025-01-01T00:00:00Z"),
        )
        tx.execute(
            "INSERT INTO saved_attempts VALUES (?, ?, ?, ?, ?, ?)",
            ("p-1", "pilot", "two", "a-2", '{"not": "read here"}', "2025-01-01T00:00:00Z"),
        )
        tx.execute(
            "INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                state.attempt_id,
                "p-1",
                "pilot",
                "one",
                state.content_hash,
                False,
                "2025-01-01T10:00:00Z",
                "2025-01-01T10:05:30Z",
                attempt.result().ending,
                100,
                True,
                attempt.result().to_json(),
                attempt.debrief().to_json(),
            ),
        )
        if record is not None:
            tx.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.record_id,
                    "p-1",
                    "pilot",
                    record.completed_at,
                    record.signature.public_key,
                    record.to_json(),
                    record.completed_at,
                ),
            )
    database.close()
    return {"attempt": attempt}


def test_a_version_one_store_is_migrated_and_read_back(any_url, library):
    made = write_version_one_store(any_url, library)
    with open_store(any_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        [profile] = store.profiles()
        assert (profile.id, profile.name, profile.email, profile.role) == (
            "p-1",
            "Ada",
            "ada@example.org",
            "mentee",
        )
        assert store.survey_answers("p-1", "pilot") == {("before", "confidence"): 4}
        assert store.autosaved("p-1", "pilot", "two") == '{"not": "read here"}'
        [kept] = store.finished_attempts("p-1", "pilot")
        assert kept.result == made["attempt"].result()
        assert kept.debrief == made["attempt"].debrief()
        # The duration column arrived in version 2 and was filled from the timestamps.
        assert kept.duration_s == 330.0


def test_records_written_in_version_one_read_back_as_local_and_verify(any_url, library, tmp_path):
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_store(f"sqlite:///{tmp_path / 'scratch.db'}") as scratch:
        scratch.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief())
        record = sign(
            build_record(
                library,
                RecordParticipant(id="p-1", name="Ada", role="mentee"),
                scratch.finished_attempts("p-1", "pilot"),
                {("before", "confidence"): 4},
            )
        )
    write_version_one_store(any_url, library, record=record)
    with open_store(any_url) as store:
        back = store.record(record.record_id)
        assert back == record
        assert verify(back).ok
        with store.database.read() as tx:
            assert tx.execute("SELECT source FROM records") == [("local",)]


def test_opening_twice_migrates_once(any_url):
    with open_store(any_url):
        pass
    with open_store(any_url) as store, store.database.read() as tx:
        rows = tx.execute("SELECT value FROM mq_meta WHERE \"key\" = 'schema_version'")
    assert rows == [(str(SCHEMA_VERSION),)]


def columns(url: str) -> dict[str, list[tuple]]:
    """Every table's columns: name, type, nullable, default (as the database reports them)."""
    database = raw(url)
    found: dict[str, list[tuple]] = {}
    with database.read() as tx:
        if database.dialect == "sqlite":
            tables = [
                r[0] for r in tx.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            for table in tables:
                found[table] = sorted(
                    (name, kind, bool(notnull), default, pk)
                    for _, name, kind, notnull, default, pk in tx.execute(
                        f"PRAGMA table_info({table})"
                    )
                )
        else:
            for table, name, kind, nullable, default in tx.execute(
                "SELECT table_name, column_name, data_type, is_nullable, column_default "
                "FROM information_schema.columns WHERE table_schema = current_schema()"
            ):
                found.setdefault(table, []).append((name, kind, nullable, default))
            for rows in found.values():
                rows.sort()
    database.close()
    return found


def test_a_migrated_store_has_exactly_the_tables_of_a_new_one(any_url, library, tmp_path):
    write_version_one_store(any_url, library)
    open_store(any_url).close()
    if any_url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
        open_store(fresh).close()
        assert columns(any_url) == columns(fresh)
        return
    with new_pg_database() as fresh:
        open_store(fresh).close()
        assert columns(any_url) == columns(fresh)


def write_store_at(url: str, version: int) -> None:
    """An empty store exactly as schema `version` left it (version 1, then its migrations)."""
    database = raw(url)
    with database.write() as tx:
        create_version_one(tx)
        for step in range(2, version + 1):
            MIGRATIONS[step](tx)
        tx.execute("UPDATE mq_meta SET value = ? WHERE \"key\" = 'schema_version'", (str(version),))
    database.close()


@pytest.mark.parametrize("version", [2, 3])
def test_survey_answers_of_every_earlier_version_become_stage_answers(any_url, version):
    write_store_at(any_url, version)
    database = raw(any_url)
    with database.write() as tx:
        for qid, part, text, number in (
            ("confidence", "before", None, 4),
            ("hopes", "before", "to listen", None),
            ("most-useful", "after", "the debrief", None),
        ):
            tx.execute(
                "INSERT INTO survey_answers (participant_id, programme_id, question_id, part, "
                "answer_text, answer_int, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                ("p-1", "pilot", qid, part, text, number, "2025-01-01T00:00:00Z"),
            )
    database.close()
    with open_store(any_url) as store:
        assert store.schema_version() == SCHEMA_VERSION == 4
        assert store.survey_answers("p-1", "pilot") == {
            ("before", "confidence"): 4,
            ("before", "hopes"): "to listen",
            ("after", "most-useful"): "the debrief",
        }
        # The new key: the same question may now be answered again at a later stage.
        store.save_survey_answer("p-1", "pilot", "closeout", "confidence", 5)
        assert store.survey_answers("p-1", "pilot")[("closeout", "confidence")] == 5
        assert store.survey_answers("p-1", "pilot")[("before", "confidence")] == 4
        # And the push ledger is there.
        assert store.ledger("http://lrs.example/xapi/statements", ["k"]) == {}


def test_a_version_three_store_migrated_has_exactly_the_tables_of_a_new_one(any_url, tmp_path):
    write_store_at(any_url, 3)
    open_store(any_url).close()
    if any_url.startswith("sqlite"):
        fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
        open_store(fresh).close()
        assert columns(any_url) == columns(fresh)
        return
    with new_pg_database() as fresh:
        open_store(fresh).close()
        assert columns(any_url) == columns(fresh)
