"""The light play session (stdlib sqlite3) behaves as the full store does, row for row.

`SQLiteSession` serves a player on an SQLite file already at the current schema; the
full `Store` serves everything else. The contract tests run every method the player uses
against both; the cross tests write with one and read with the other, and compare the raw
rows each writes for the same calls under the same clock.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from mqhelpers import finished_attempt

from mentorquest.errors import MentorquestError
from mentorquest.store import Profile, Store, StoreError, open_store
from mentorquest.store.session import SQLiteSession, open_session
from mentorquest.store.types import SCHEMA_VERSION, FinishedAttempt, seconds_between

TABLES = {
    "participants": "id",
    "survey_answers": "participant_id, programme_id, question_id",
    "saved_attempts": "participant_id, programme_id, scenario_id",
    "attempts": "attempt_id",
    "records": "record_id",
}


class Clock:
    """The store's timestamps, made predictable: each call is one millisecond later."""

    def __init__(self) -> None:
        self.ticks = 0

    def __call__(self) -> str:
        self.ticks += 1
        return f"2026-03-01T09:00:00.{self.ticks:03d}Z"


@pytest.fixture
def clock(monkeypatch) -> Clock:
    found = Clock()
    monkeypatch.setattr("mentorquest.store.store.now_stamp", found)
    monkeypatch.setattr("mentorquest.store.session.now_stamp", found)
    return found


def current_file(path: Path) -> str:
    """The URL of an SQLite store at the current schema version, created by the full store."""
    url = f"sqlite:///{path}"
    with open_store(url):
        pass
    return url


def open_kind(kind: str, url: str) -> Store | SQLiteSession:
    opened = open_session(url) if kind == "session" else open_store(url)
    assert isinstance(opened, SQLiteSession if kind == "session" else Store)
    return opened


@pytest.fixture(params=["store", "session"])
def either(request, tmp_path: Path):
    with open_kind(request.param, current_file(tmp_path / "store.sqlite")) as opened:
        yield opened


def raw_rows(path: Path) -> dict[str, list[dict]]:
    """Every row of every table, each value with the Python type SQLite gave it back as."""
    found = {}
    with sqlite3.connect(path) as conn:
        for table, key in TABLES.items():
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY {key}")
            names = [column[0] for column in cursor.description]
            found[table] = [
                {name: (type(value).__name__, value) for name, value in zip(names, row, strict=True)}
                for row in cursor
            ]
    return found


def signed_record(library, attempts, answers: dict, completed_at: str):
    from mentorquest.records.build import build_record
    from mentorquest.records.model import RecordParticipant
    from mentorquest.records.signing import sign

    participant = RecordParticipant(id="p-1", name="Ada", role="mentee")
    return sign(build_record(library, participant, attempts, answers, completed_at=completed_at))


def played(attempt, finished_at: str | None = None) -> SimpleNamespace:
    """A finished attempt's state (finishing at a chosen time), debrief and result."""
    state = attempt.state
    if finished_at is not None:
        state = dataclasses.replace(state, finished_at=finished_at)
    return SimpleNamespace(state=state, debrief=attempt.debrief(), result=attempt.result())


def as_kept(attempt: SimpleNamespace, participant_id: str) -> FinishedAttempt:
    """The attempt as `finished_attempts` gives it back, for building records."""
    state = attempt.state
    return FinishedAttempt(
        attempt_id=state.attempt_id, participant_id=participant_id, programme_id="pilot",
        scenario_id=state.scenario_id, content_hash=state.content_hash, practice=state.practice,
        started_at=state.started_at, finished_at=state.finished_at,
        duration_s=seconds_between(state.started_at, state.finished_at),
        result=attempt.result, debrief=attempt.debrief,
    )


@pytest.fixture
def made(library) -> dict:
    """Attempts (one failed, then one passed, one practice, one unfinished) and two records."""
    from mentorquest.engine import Engine

    failed = played(finished_attempt(library, "one", ["bad", "share"]), "2026-01-01T10:01:00Z")
    passed = played(finished_attempt(library, "one", ["good", "keep"]), "2026-01-01T10:02:00Z")
    practice = Engine(library).start("one", scene="b")
    practice.choose("keep")
    kept = [as_kept(failed, "p-1"), as_kept(passed, "p-1")]
    return {
        "failed": failed,
        "passed": passed,
        "practice": played(practice),
        "unfinished": Engine(library).start("two"),
        "early": signed_record(library, kept, {"confidence": ("before", 4)}, "2026-01-01T00:00:00Z"),
        "late": signed_record(library, kept, {"confidence": ("before", 5)}, "2026-02-01T00:00:00Z"),
    }


def every_write(store, library, made: dict) -> None:
    """One of each write a player makes, including the repeats that must change nothing."""
    store.save_profile(Profile("p-2", "Bo", "mentor"))
    store.save_profile(Profile("p-1", "Ada", "mentor", "ada@example.org"))
    store.save_profile(Profile("p-1", "Ada L.", "mentee", None))
    store.save_survey_answer("p-1", "pilot", "before", "confidence", 3)
    store.save_survey_answer("p-1", "pilot", "before", "confidence", 4)
    store.save_survey_answer("p-1", "pilot", "after", "most-useful", "the debrief")
    store.save_survey_answer("p-1", "pilot", "after", "confidence", "changed kind")
    passed, failed, practice = made["passed"], made["failed"], made["practice"]
    store.autosave("p-1", "pilot", passed.state)
    store.autosave("p-1", "pilot", failed.state)
    assert store.finish_attempt("p-1", "pilot", failed.state, failed.debrief) is True
    assert store.finish_attempt("p-1", "pilot", passed.state, passed.debrief) is True
    assert store.finish_attempt("p-1", "pilot", passed.state, passed.debrief) is False
    store.finish_attempt("p-1", "pilot", practice.state, practice.debrief)
    store.autosave("p-1", "pilot", made["unfinished"].state)
    assert store.add_record(made["early"]) is True
    assert store.add_record(made["late"]) is True
    assert store.add_record(made["late"]) is False


def every_read(store) -> dict:
    return {
        "profiles": store.profiles(),
        "profile": store.profile("p-1"),
        "nobody": store.profile("nobody"),
        "answers": list(store.survey_answers("p-1", "pilot").items()),
        "no answers": store.survey_answers("p-1", "other"),
        "autosaved": store.autosaved("p-1", "pilot", "two"),
        "finished autosave": store.autosaved("p-1", "pilot", "one"),
        "attempts": store.finished_attempts("p-1", "pilot"),
        "with practice": store.finished_attempts("p-1", "pilot", include_practice=True),
        "all": store.finished_attempts(),
        "others": store.finished_attempts("p-2"),
        "latest": store.latest_record("p-1", "pilot"),
        "none latest": store.latest_record("p-2", "pilot"),
        "record": store.record("no-such-record"),
    }


# --- the contract, for both -----------------------------------------------------------


def test_profiles_are_upserted_and_listed_by_name_then_id(either):
    either.save_profile(Profile("z-1", "Ada", "mentor"))
    either.save_profile(Profile("p-1", "Ada", "mentor", "ada@example.org"))
    either.save_profile(Profile("b-1", "Bo", "mentee"))
    assert either.save_profile(Profile("p-1", "Ada", "mentee", None)) == Profile("p-1", "Ada", "mentee", None)
    assert either.profiles() == [
        Profile("p-1", "Ada", "mentee", None),
        Profile("z-1", "Ada", "mentor"),
        Profile("b-1", "Bo", "mentee"),
    ]
    assert either.profile("b-1") == Profile("b-1", "Bo", "mentee")
    assert either.profile("nobody") is None


def test_saving_a_profile_again_keeps_created_at_and_moves_updated_at(either, clock, tmp_path):
    either.save_profile(Profile("p-1", "Ada", "mentor"))
    either.save_profile(Profile("p-1", "Ada L.", "mentor"))
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        row = conn.execute("SELECT name, created_at, updated_at FROM participants").fetchone()
    assert row == ("Ada L.", "2026-03-01T09:00:00.001Z", "2026-03-01T09:00:00.002Z")


def test_survey_answers_keep_their_type_part_and_last_value(either):
    either.save_survey_answer("p-1", "pilot", "before", "confidence", 3)
    either.save_survey_answer("p-1", "pilot", "before", "confidence", 4)
    either.save_survey_answer("p-1", "pilot", "after", "most-useful", "the debrief")
    either.save_survey_answer("p-1", "pilot", "after", "experience", "")
    either.save_survey_answer("p-1", "pilot", "before", "experience", "some")
    assert either.survey_answers("p-1", "pilot") == {
        "confidence": ("before", 4),
        "experience": ("before", "some"),
        "most-useful": ("after", "the debrief"),
    }
    assert list(either.survey_answers("p-1", "pilot")) == ["confidence", "experience", "most-useful"]
    assert either.survey_answers("p-1", "other") == {}


def test_autosave_keeps_one_attempt_per_scenario_and_round_trips(either, library):
    from mentorquest.engine import AttemptState, Engine

    first = Engine(library).start("one")
    second = Engine(library).start("one")
    either.autosave("p-1", "pilot", first.state)
    second.choose("good")
    either.autosave("p-1", "pilot", second.state)
    assert either.autosaved("p-1", "pilot", "one") == second.state.to_json()
    assert AttemptState.from_json(either.autosaved("p-1", "pilot", "one")) == second.state
    assert either.autosaved("p-1", "pilot", "two") is None
    either.discard_autosave("p-1", "pilot", "one")
    assert either.autosaved("p-1", "pilot", "one") is None
    either.discard_autosave("p-1", "pilot", "one")  # nothing to discard is not an error


def test_finishing_an_attempt_is_idempotent_and_clears_only_its_own_autosave(either, library):
    from mentorquest.engine import Engine

    attempt = finished_attempt(library, "one", ["good", "keep"])
    either.autosave("p-1", "pilot", attempt.state)
    assert either.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief()) is True
    assert either.autosaved("p-1", "pilot", "one") is None
    newer = Engine(library).start("one")
    either.autosave("p-1", "pilot", newer.state)
    assert either.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief()) is False
    # A later attempt saved in the same slot is not the finished one: it stays.
    assert either.autosaved("p-1", "pilot", "one") == newer.state.to_json()
    [kept] = either.finished_attempts("p-1", "pilot")
    assert kept.attempt_id == attempt.state.attempt_id
    assert (kept.participant_id, kept.programme_id, kept.scenario_id) == ("p-1", "pilot", "one")
    assert kept.content_hash == attempt.state.content_hash
    assert (kept.started_at, kept.finished_at) == (attempt.state.started_at, attempt.state.finished_at)
    assert kept.practice is False
    assert kept.result == attempt.result()
    assert kept.debrief == attempt.debrief()


def test_finished_attempts_are_filtered_and_ordered_by_finish_then_id(either, library, made):
    one, two, three = (
        played(finished_attempt(library, "one", ["good", "keep"]), at)
        for at in ("2020-01-02T00:00:00Z", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z")
    )
    for attempt in (one, two, three):
        either.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief)
    either.finish_attempt("p-2", "pilot", made["failed"].state, made["failed"].debrief)
    either.finish_attempt("p-1", "other", made["passed"].state, made["passed"].debrief)
    practice = made["practice"]
    either.finish_attempt("p-1", "pilot", practice.state, practice.debrief)
    ties = sorted([two.state.attempt_id, three.state.attempt_id])
    assert [a.attempt_id for a in either.finished_attempts("p-1", "pilot")] == [*ties, one.state.attempt_id]
    with_practice = either.finished_attempts("p-1", "pilot", include_practice=True)
    assert [a.practice for a in with_practice] == [False, False, False, True]  # practice: finished now
    assert {a.participant_id for a in either.finished_attempts(programme_id="pilot")} == {"p-1", "p-2"}
    assert {a.programme_id for a in either.finished_attempts("p-1")} == {"pilot", "other"}
    assert len(either.finished_attempts()) == 5


def test_records_are_kept_once_and_the_latest_is_by_completion_then_id(either, made):
    assert either.add_record(made["late"]) is True
    assert either.add_record(made["early"]) is True
    assert either.add_record(made["late"]) is False
    assert either.record(made["early"].record_id) == made["early"]
    assert either.record("no-such-record") is None
    assert either.latest_record("p-1", "pilot") == made["late"]
    assert either.latest_record("p-1", "other") is None


def test_the_store_can_be_used_again_after_closing(either):
    either.save_profile(Profile("p-1", "Ada", "mentor"))
    either.close()
    assert either.profile("p-1") == Profile("p-1", "Ada", "mentor")
    either.close()


# --- one file, either face ------------------------------------------------------------


@pytest.mark.parametrize(("writer", "reader"), [("session", "store"), ("store", "session")])
def test_what_one_writes_the_other_reads(writer, reader, tmp_path, library, made):
    url = current_file(tmp_path / "store.sqlite")
    with open_kind(writer, url) as store:
        every_write(store, library, made)
        written = every_read(store)
    with open_kind(reader, url) as store:
        read = every_read(store)
    assert read == written
    assert read["profiles"] == [Profile("p-1", "Ada L.", "mentee", None), Profile("p-2", "Bo", "mentor")]
    assert read["answers"] == [
        ("confidence", ("after", "changed kind")),
        ("most-useful", ("after", "the debrief")),
    ]
    assert read["autosaved"] == made["unfinished"].state.to_json()
    assert read["finished autosave"] is None
    assert [a.attempt_id for a in read["attempts"]] == [
        made["failed"].state.attempt_id,
        made["passed"].state.attempt_id,
    ]
    assert read["attempts"][1].result == made["passed"].result
    assert len(read["with practice"]) == 3
    assert read["latest"] == made["late"]


def test_both_write_the_same_rows_for_the_same_calls(tmp_path, library, made, clock):
    files = {}
    for kind in ("store", "session"):
        files[kind] = tmp_path / f"{kind}.sqlite"
        clock.ticks = 0
        with open_kind(kind, current_file(files[kind])) as store:
            every_write(store, library, made)
    by_store, by_session = raw_rows(files["store"]), raw_rows(files["session"])
    assert by_session == by_store
    assert all(by_store.values())
    attempts = by_session["attempts"]
    # SQLAlchemy writes a Boolean on SQLite as the integer 0 or 1.
    assert {row["practice"] for row in attempts} == {("int", 0), ("int", 1)}
    assert {row["passed"] for row in attempts} == {("int", 0), ("int", 1)}
    assert {row["duration_s"][0] for row in attempts} == {"float"}
    assert {row["source"] for row in by_session["records"]} == {("str", "local")}
    assert [row["created_at"] for row in by_session["participants"]] == [
        ("str", "2026-03-01T09:00:00.002Z"),
        ("str", "2026-03-01T09:00:00.001Z"),
    ]


# --- choosing between them ------------------------------------------------------------


def test_an_existing_current_sqlite_file_gets_a_light_session(tmp_path):
    url = current_file(tmp_path / "store.sqlite")
    with open_session(url) as opened:
        assert isinstance(opened, SQLiteSession)
        assert opened.schema_version() == SCHEMA_VERSION


def test_a_new_file_gets_the_full_store_which_creates_it(tmp_path):
    path = tmp_path / "new.sqlite"
    with open_session(f"sqlite:///{path}") as opened:
        assert isinstance(opened, Store)
    with open_session(f"sqlite:///{path}") as opened:
        assert isinstance(opened, SQLiteSession)


def test_the_default_store_gets_a_light_session_once_it_exists(home):
    with open_session() as opened:
        assert isinstance(opened, Store)
        expected = opened.display_url
    assert (home / "data" / "mentorquest.db").is_file()
    with open_session() as opened:
        assert isinstance(opened, SQLiteSession)
        assert opened.display_url == expected


def test_mentorquest_db_is_followed_as_the_full_store_follows_it(tmp_path, monkeypatch, home):
    url = current_file(tmp_path / "shared.sqlite")
    monkeypatch.setenv("MENTORQUEST_DB", url)
    with open_session() as opened:
        assert isinstance(opened, SQLiteSession)
        assert opened.path == str(tmp_path / "shared.sqlite")
    assert not (home / "data" / "mentorquest.db").exists()


def test_a_version_one_file_gets_the_full_store_which_migrates_it(tmp_path, library):
    from test_migrations import write_version_one_store

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    write_version_one_store(url, library)
    with open_session(url) as opened:
        assert isinstance(opened, Store)
        assert opened.schema_version() == SCHEMA_VERSION
    with open_session(url) as opened:
        assert isinstance(opened, SQLiteSession)
        [kept] = opened.finished_attempts("p-1", "pilot")
        assert kept.duration_s == 330.0


def test_a_file_from_a_newer_mentorquest_is_refused_by_the_full_store(tmp_path):
    url = current_file(tmp_path / "store.sqlite")
    with sqlite3.connect(tmp_path / "store.sqlite") as conn:
        conn.execute("UPDATE mq_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(MentorquestError, match="schema version 99"):
        open_session(url)


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///{path}?timeout=5"])
def test_memory_and_unusual_sqlite_urls_get_the_full_store(url, tmp_path):
    path = tmp_path / "store.sqlite"
    current_file(path)
    with open_session(url.format(path=path)) as opened:
        assert isinstance(opened, Store)


def test_postgresql_gets_the_full_store(pg_url):
    with open_session(pg_url) as opened:
        assert isinstance(opened, Store)
        assert opened.dialect == "postgresql"


@pytest.mark.parametrize(
    "name",
    ["store.sqlite", "my store.sqlite", "my%20store.sqlite", "a+b.sqlite", "été.sqlite", "x:y.sqlite"],
)
@pytest.mark.parametrize("driver", ["sqlite", "sqlite+pysqlite"])
def test_the_session_names_its_file_as_the_full_store_does(name, driver, tmp_path):
    url = f"{driver}:///{tmp_path / name}"
    with open_store(url) as store:
        expected = store.display_url
    with open_session(url) as opened:
        assert isinstance(opened, SQLiteSession)
        assert opened.display_url == expected


def test_a_relative_path_is_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative.sqlite") as store:
        expected = store.display_url
    with open_session("sqlite:///relative.sqlite") as opened:
        assert isinstance(opened, SQLiteSession)
        assert opened.display_url == expected == "sqlite:///relative.sqlite"
        assert opened.path == str(tmp_path / "relative.sqlite")


# --- errors are one clear line --------------------------------------------------------


def test_a_file_of_garbage_is_a_store_error_naming_it(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(StoreError) as raised:
        open_session(f"sqlite:///{path}")
    assert str(raised.value) == f"the store sqlite:///{path} failed: file is not a database"


def test_a_locked_file_is_a_store_error_and_the_session_recovers(tmp_path, monkeypatch):
    monkeypatch.setattr("mentorquest.store.session.BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "store.sqlite"
    url = current_file(path)
    holder = sqlite3.connect(path, isolation_level=None)
    with open_session(url) as opened:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match=rf"^the store {url} failed: database is locked$"):
            opened.save_profile(Profile("p-1", "Ada", "mentor"))
        holder.execute("ROLLBACK")
        opened.save_profile(Profile("p-1", "Ada", "mentor"))
        assert opened.profiles() == [Profile("p-1", "Ada", "mentor")]
    holder.close()


def test_a_failure_inside_a_write_rolls_back_and_is_a_store_error(tmp_path, library):
    path = tmp_path / "store.sqlite"
    url = current_file(path)
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_session(url) as opened:
        opened.autosave("p-1", "pilot", attempt.state)
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TABLE attempts")
        with pytest.raises(StoreError, match=r"failed: no such table: attempts$"):
            opened.finish_attempt("p-1", "pilot", attempt.state, attempt.debrief())
        # Nothing of the failed transaction happened, and the session is still usable.
        assert opened.autosaved("p-1", "pilot", "one") == attempt.state.to_json()


# --- what the player process loads ----------------------------------------------------

PLAY_WITHOUT_SQLALCHEMY = """\
import json, sys
from types import SimpleNamespace

def heavy():
    return sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pydantic'))

import mentorquest.players.stored, mentorquest.store.session
imported = heavy()
from mentorquest.engine import AttemptState, Debrief
from mentorquest.players.progress import Participant
from mentorquest.players.stored import StoreProvider
from mentorquest.store.session import SQLiteSession, open_session

url, state_json, debrief_json = sys.argv[1:4]
state, debrief = AttemptState.from_json(state_json), Debrief.from_json(debrief_json)
library = SimpleNamespace(programme=SimpleNamespace(id="pilot"))
with open_session(url) as store:
    assert isinstance(store, SQLiteSession), type(store)
    progress = StoreProvider(store, library).open(Participant("p-1", "Ada", "mentee"))
    progress.save_survey_answer("before", "confidence", 4)
    progress.save_attempt(state)
    progress.finish_attempt(SimpleNamespace(state=state, debrief=lambda: debrief))
    assert progress.attempts_count("one") == 1
    assert progress.best_results()["one"] == debrief.result
    assert progress.saved_attempt("one") is None
print(json.dumps({"imported": imported, "played": heavy()}))
"""


def test_a_play_session_loads_neither_sqlalchemy_nor_pydantic(tmp_path, library):
    url = current_file(tmp_path / "store.sqlite")
    attempt = finished_attempt(library, "one", ["good", "keep"])
    done = subprocess.run(
        [sys.executable, "-c", PLAY_WITHOUT_SQLALCHEMY, url, attempt.state.to_json(), attempt.debrief().to_json()],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded == {"imported": [], "played": []}
    with open_store(url) as store:
        [kept] = store.finished_attempts("p-1", "pilot")
        assert kept.result == attempt.result()
