"""Opening a store written by schema version 1 migrates it forward and reads everything back."""

from __future__ import annotations

from mqhelpers import finished_attempt
from sqlalchemy import create_engine, insert, text

from mentorquest.records.build import build_record
from mentorquest.records.model import RecordParticipant
from mentorquest.records.signing import sign, verify
from mentorquest.store import open_store
from mentorquest.store.migrations import _v1_metadata, migrate
from mentorquest.store.schema import SCHEMA_VERSION


def write_version_one_store(url: str, library) -> dict:
    """A store exactly as the first schema version wrote it, with one of everything."""
    attempt = finished_attempt(library, "one", ["good", "keep"])
    state = attempt.state
    engine = create_engine(url)
    v1 = _v1_metadata().tables
    with engine.begin() as conn:
        migrate(conn, target=1)
        conn.execute(insert(v1["participants"]).values(id="p-1", name="Ada", email="ada@example.org", role="mentee", created_at="2025-01-01T00:00:00Z", updated_at="2025-01-01T00:00:00Z"))
        conn.execute(insert(v1["survey_answers"]).values(participant_id="p-1", programme_id="pilot", question_id="confidence", part="before", answer_int=4, answered_at="2025-01-01T00:00:00Z"))
        conn.execute(insert(v1["saved_attempts"]).values(participant_id="p-1", programme_id="pilot", scenario_id="two", attempt_id="a-2", state_json='{"not": "read here"}', saved_at="2025-01-01T00:00:00Z"))
        conn.execute(insert(v1["attempts"]).values(
            attempt_id=state.attempt_id, participant_id="p-1", programme_id="pilot", scenario_id="one",
            content_hash=state.content_hash, practice=False, started_at="2025-01-01T10:00:00Z",
            finished_at="2025-01-01T10:05:30Z", ending=attempt.result().ending, percent=100, passed=True,
            result_json=attempt.result().to_json(), debrief_json=attempt.debrief().to_json(),
        ))
    engine.dispose()
    return {"attempt": attempt}


def test_a_version_one_store_is_migrated_and_read_back(any_url, library):
    made = write_version_one_store(any_url, library)
    with open_store(any_url) as store:
        assert store.schema_version() == SCHEMA_VERSION
        [profile] = store.profiles()
        assert (profile.id, profile.name, profile.email, profile.role) == ("p-1", "Ada", "ada@example.org", "mentee")
        assert store.survey_answers("p-1", "pilot") == {"confidence": ("before", 4)}
        assert store.autosaved("p-1", "pilot", "two") == '{"not": "read here"}'
        [kept] = store.finished_attempts("p-1", "pilot")
        assert kept.result == made["attempt"].result()
        assert kept.debrief == made["attempt"].debrief()
        # The duration column arrived in version 2 and was filled from the timestamps.
        assert kept.duration_s == 330.0


def test_records_written_in_version_one_read_back_as_local_and_verify(any_url, library):
    attempt = finished_attempt(library, "one", ["good", "keep"])
    write_version_one_store(any_url, library)
    with open_store(any_url) as store:
        store.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief())
        record = sign(build_record(library, RecordParticipant(id="p-1", name="Ada", role="mentee"), store.finished_attempts("p-1", "pilot"), {"confidence": ("before", 4)}))
    engine = create_engine(any_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM records"))
    engine.dispose()
    # Write the record the version-1 way (no source column) into a fresh version-1 store.
    fresh = any_url
    engine = create_engine(fresh)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE records"))
        conn.execute(text("DROP TABLE mq_meta"))
        _v1_metadata().tables["records"].create(conn)
        _v1_metadata().tables["mq_meta"].create(conn)
        conn.execute(text("INSERT INTO mq_meta (key, value) VALUES ('schema_version', '1')"))
        conn.execute(text("ALTER TABLE attempts DROP COLUMN duration_s"))
        conn.execute(insert(_v1_metadata().tables["records"]).values(
            record_id=record.record_id, participant_id="p-1", programme_id="pilot",
            completed_at=record.completed_at, public_key=record.signature.public_key,
            record_json=record.to_json(), stored_at=record.completed_at,
        ))
    engine.dispose()
    with open_store(any_url) as store:
        back = store.record(record.record_id)
        assert back == record
        assert verify(back).ok
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT source FROM records")).scalar() == "local"


def test_opening_twice_migrates_once(any_url):
    with open_store(any_url):
        pass
    with open_store(any_url) as store:
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT value FROM mq_meta WHERE key = 'schema_version'")).all()
    assert rows == [(str(SCHEMA_VERSION),)]
