"""The store: profiles, survey answers, autosave, idempotent attempts and records, SQLite tuning."""

from __future__ import annotations

import sqlite3

import pytest

from mentorquest.errors import MentorquestError
from mentorquest.store import Profile, StoreError, open_store
from tests.store.helpers import finished_attempt


def test_default_store_is_a_sqlite_file_under_mentorquest_home(home):
    with open_store() as store:
        store.save_profile(Profile("p-1", "Ada", "mentor"))
    assert (home / "data" / "mentorquest.db").is_file()


def test_mentorquest_db_names_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORQUEST_DB", f"sqlite:///{tmp_path / 'shared.db'}")
    with open_store() as store:
        store.save_profile(Profile("p-1", "Ada", "mentor"))
    assert (tmp_path / "shared.db").is_file()


def test_sqlite_store_runs_in_wal_mode_with_a_busy_timeout(sqlite_url):
    with open_store(sqlite_url) as store, store.database.read() as tx:
        assert tx.execute("PRAGMA journal_mode") == [("wal",)]
        assert tx.execute("PRAGMA busy_timeout")[0][0] >= 5000


def test_profiles_are_saved_and_updated(any_url):
    with open_store(any_url) as store:
        store.save_profile(Profile("p-1", "Ada", "mentor", "ada@example.org"))
        store.save_profile(Profile("p-1", "Ada L.", "mentee", None))
        assert store.profiles() == [Profile("p-1", "Ada L.", "mentee", None)]
        assert store.profile("nobody") is None


def test_survey_answers_keep_their_type_and_last_value(any_url):
    with open_store(any_url) as store:
        store.save_survey_answer("p-1", "pilot", "before", "confidence", 3)
        store.save_survey_answer("p-1", "pilot", "before", "confidence", 4)
        store.save_survey_answer("p-1", "pilot", "after", "most-useful", "the debrief")
        assert store.survey_answers("p-1", "pilot") == {
            ("before", "confidence"): 4,
            ("after", "most-useful"): "the debrief",
        }
        assert store.survey_answers("p-1", "other") == {}


def test_the_same_question_keeps_one_answer_per_stage(any_url):
    with open_store(any_url) as store:
        for stage, answer in (("before", 2), ("midpoint", 3), ("closeout", 5), ("before", 1)):
            store.save_survey_answer("p-1", "pilot", stage, "confidence", answer)
        assert store.survey_answers("p-1", "pilot") == {
            ("before", "confidence"): 1,
            ("midpoint", "confidence"): 3,
            ("closeout", "confidence"): 5,
        }
        with store.reading() as reader:
            rows = list(reader.answers("pilot"))
        assert [(a.stage, a.answer) for a in rows] == [
            ("before", 1),
            ("closeout", 5),
            ("midpoint", 3),
        ]
        assert all(a.answered_at.endswith("Z") for a in rows)


def test_streams_of_one_reading_are_merged_in_code_point_order(any_url, library):
    # Participants whose ids sort differently by language rules and by code point: the
    # streams of one reading must all come in code-point order, as Python compares them.
    ids = ["b-2", "B-1", "a-3", "Ä-4", "_-5"]
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_store(any_url) as store:
        for number, pid in enumerate(ids):
            store.save_survey_answer(pid, "pilot", "before", "confidence", 3)
            state = attempt.state.__class__.from_json(
                attempt.state.to_json().replace(
                    attempt.state.attempt_id, f"{number:08d}-0000-4000-8000-000000000000"
                )
            )
            store.finish_attempt(pid, "pilot", state, attempt.debrief())
        with store.reading() as reader:
            answers = reader.answers("pilot")
            attempts = reader.finished_attempts("pilot")
            # Read side by side, as an export merges them.
            pairs = [
                (a.participant_id, b.participant_id) for a, b in zip(answers, attempts, strict=True)
            ]
    assert [a for a, _ in pairs] == sorted(ids)
    assert all(a == b for a, b in pairs)


def test_autosave_keeps_one_attempt_per_scenario_and_round_trips(any_url, library):
    from mentorquest.engine import AttemptState, Engine

    attempt = Engine(library).start("one")
    with open_store(any_url) as store:
        store.autosave("p-1", "pilot", attempt.state)
        attempt.choose("good")
        store.autosave("p-1", "pilot", attempt.state)
        saved = AttemptState.from_json(store.autosaved("p-1", "pilot", "one"))
        assert saved == attempt.state
        store.discard_autosave("p-1", "pilot", "one")
        assert store.autosaved("p-1", "pilot", "one") is None


def test_finishing_the_same_attempt_twice_keeps_it_once(any_url, library):
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_store(any_url) as store:
        store.autosave("p-1", "pilot", attempt.state)
        assert store.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief()) is True
        assert store.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief()) is False
        kept = store.finished_attempts("p-1", "pilot")
        assert [a.attempt_id for a in kept] == [attempt.state.attempt_id]
        assert kept[0].result == attempt.result()
        assert kept[0].debrief == attempt.debrief()
        assert store.autosaved("p-1", "pilot", "one") is None


def test_practice_attempts_are_kept_but_not_listed_by_default(any_url, library):
    from mentorquest.engine import Engine

    attempt = Engine(library).start("one", scene="b")
    attempt.choose("keep")
    with open_store(any_url) as store:
        store.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief())
        assert store.finished_attempts("p-1", "pilot") == []
        assert len(store.finished_attempts("p-1", "pilot", include_practice=True)) == 1


def test_a_bad_url_is_a_clear_store_error():
    with pytest.raises(StoreError, match="not a database URL"):
        open_store("definitely not a url")
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        open_store("mysql://x@localhost/db")


def test_an_unreachable_postgresql_server_is_a_clear_store_error():
    with pytest.raises(StoreError, match="Connection refused|connection failed"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_a_file_that_is_not_a_database_is_a_clear_store_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 20)
    with pytest.raises(MentorquestError, match="not a database"):
        open_store(f"sqlite:///{path}")


def test_integrity_check_passes_on_a_used_store(sqlite_url, library):
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_store(sqlite_url) as store:
        store.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief())
        assert store.integrity_check() == "ok"


def test_a_new_store_is_at_the_current_schema_version(any_url):
    from mentorquest.store.schema import SCHEMA_VERSION

    with open_store(any_url) as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_a_store_from_a_newer_mentorquest_is_refused(sqlite_url):
    with open_store(sqlite_url):
        pass
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE mq_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(MentorquestError, match="schema version 99"):
        open_store(sqlite_url)


def test_the_push_ledger_keeps_what_was_sent_and_what_was_voided(any_url):
    from mentorquest.store import LedgerEntry

    endpoint = "https://lrs.example.org/xapi/statements"
    with open_store(any_url) as store:
        assert store.ledger(endpoint, ["a", "b"]) == {}
        store.note_sent(
            endpoint,
            [
                LedgerEntry(
                    "a", "00000000-0000-5000-8000-000000000001", "d1", "2026-01-01T00:00:00.000001Z"
                ),
                LedgerEntry(
                    "b", "00000000-0000-5000-8000-000000000002", "d2", "2026-01-01T00:00:00.000002Z"
                ),
            ],
        )
        # Idempotent on the statement id; another endpoint has a ledger of its own.
        store.note_sent(
            endpoint,
            [
                LedgerEntry(
                    "a", "00000000-0000-5000-8000-000000000001", "d1", "2026-01-02T00:00:00Z"
                )
            ],
        )
        store.note_sent(
            endpoint,
            [
                LedgerEntry(
                    "a", "00000000-0000-5000-8000-000000000003", "d3", "2026-01-03T00:00:00Z"
                )
            ],
        )
        store.note_voided(
            endpoint,
            {"00000000-0000-5000-8000-000000000001": "00000000-0000-5000-8000-00000000000f"},
        )
        found = store.ledger(endpoint, ["a", "b", "c"])
        assert [(e.statement_id[-1], e.digest, e.voided) for e in found["a"]] == [
            ("1", "d1", True),
            ("3", "d3", False),
        ]
        assert [e.statement_id[-1] for e in found["b"]] == ["2"] and "c" not in found
        assert store.ledger("https://other.example/xapi/statements", ["a"]) == {}
        assert store.ledger_summary(endpoint) == (2, 1)


def test_a_cohorts_attempts_are_read_as_each_attempt_is(sqlite_url, library):
    # Exports read attempts in bulk through pydantic's validators over the same
    # declarations; what they read must be what `shapes` reads, row by row, also for a
    # state saved in format 1 (which only `shapes` reads).
    import json

    from mentorquest.store.store import _ATTEMPT_COLUMNS, _finished

    with open_store(sqlite_url) as store:
        for pid in ("p-1", "p-2"):
            attempt = finished_attempt(library, "one", ["good", "keep"])
            store.finish_attempt(pid, "pilot", attempt.state, attempt.debrief())
        state = attempt.state
        old = {
            "save_format": 1,
            "attempt_id": state.attempt_id,
            "scenario_id": state.scenario_id,
            "content_hash": state.content_hash,
            "practice": False,
            "started_at": state.started_at,
            "finished_at": state.finished_at,
            "origin_scene": state.origin_scene,
            "origin_variables": state.origin_variables,
            "scene": state.path[-1].scene,  # replayed values format 1 kept
            "variables": {},
            "visited": [s.scene for s in state.path],
            "path": [{"scene": s.scene, "choice": s.choice} for s in state.path],
        }
        with store.database.write() as tx:
            tx.execute(
                "UPDATE attempts SET state_json = ? WHERE participant_id = 'p-2'",
                (json.dumps(old),),
            )
        with store.reading() as reader:
            read = list(reader.finished_attempts("pilot"))
        with store.database.read() as tx:
            rows = tx.execute(f"SELECT {_ATTEMPT_COLUMNS} FROM attempts ORDER BY participant_id")
    assert read == [_finished(row) for row in rows]
    assert [a.participant_id for a in read] == ["p-1", "p-2"]
    assert read[1].state is not None and read[1].state.save_format == 2
    assert [step.at for step in read[1].state.path] == [None, None]
