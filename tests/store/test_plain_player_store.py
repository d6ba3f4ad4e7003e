"""The plain player keeps everything in the store and writes the completion record."""

from __future__ import annotations

from mentorquest import shapes
from mentorquest.records.signing import verify
from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli
from tests.store.library import MENTOR_FULL_RUN


def test_a_full_run_writes_a_signed_completion_record(library_dir, sqlite_url):
    code, out = play_plain(library_dir, sqlite_url, MENTOR_FULL_RUN)
    assert code == 0
    assert "completion record" in out
    with open_store(sqlite_url) as store:
        record = store.latest_record("p-1", "pilot")
    assert record is not None and verify(record).ok
    assert shapes.to_data(record.participant) == {
        "id": "p-1",
        "name": "Ada Lovelace",
        "email": "ada@example.org",
        "role": "mentor",
    }
    assert [s.scenario_id for s in record.scenarios] == ["one", "two"]
    assert record.stars == 6 and record.stars_possible == 6
    assert set(record.badges) == {"listening", "confidentiality"}
    assert {a.question_id: a.answer for a in record.survey} == {
        "confidence": 4,
        "most-useful": "Listening =first",
    }


def test_given_options_are_not_asked_for(library_dir, sqlite_url):
    code, out = play_plain(
        library_dir,
        sqlite_url,
        ["4", "", "good", "keep", "Useful"],
        "--participant",
        "m-1",
        "--name",
        "Mo",
        "--email",
        "mo@example.org",
        "--role",
        "mentee",
    )
    assert code == 0
    assert "Participant id" not in out and "Your name" not in out and "Your role" not in out
    with open_store(sqlite_url) as store:
        assert store.latest_record("m-1", "pilot").participant.role == "mentee"


def test_end_of_input_saves_and_the_next_run_resumes(library_dir, sqlite_url):
    first = MENTOR_FULL_RUN[:7]  # identity, role, survey, first choice of scenario one
    code, out = play_plain(library_dir, sqlite_url, first)
    assert code == 0 and "progress is saved" in out
    code, out = play_plain(library_dir, sqlite_url, ["1", "keep", "listen", "Done"])
    assert "Welcome back" in out
    assert "Resuming where you left off (1 choices made)" in out
    with open_store(sqlite_url) as store:
        record = store.latest_record("p-1", "pilot")
        assert record is not None
        assert [a.attempts for a in record.scenarios] == [1, 1]


def test_a_failed_scenario_means_no_record_yet(library_dir, sqlite_url):
    code, out = play_plain(library_dir, sqlite_url, ["x-1", "Xi", "", "2", "3", "", "bad", "keep"])
    assert code == 0 and "Not yet passed" in out
    with open_store(sqlite_url) as store:
        assert store.latest_record("x-1", "pilot") is None
        assert len(store.finished_attempts("x-1", "pilot")) == 1


def test_completing_twice_writes_one_record(library_dir, sqlite_url):
    from mentorquest.language.loader import open_library
    from mentorquest.players.progress import Participant
    from mentorquest.players.stored import StoreProvider

    play_plain(library_dir, sqlite_url, MENTOR_FULL_RUN)
    with open_store(sqlite_url) as store:
        progress = StoreProvider(store, open_library(library_dir)).open(
            Participant("p-1", "Ada Lovelace", "mentor", "ada@example.org")
        )
        first = progress.complete()
        again = progress.complete()
        assert first == again
        assert store.count_records() == 1


def test_play_plain_from_the_command_line_uses_db(library_dir, sqlite_url, tmp_path):
    result = run_cli(
        "play",
        "--plain",
        "--library",
        str(library_dir),
        "--db",
        sqlite_url,
        stdin="\n".join(MENTOR_FULL_RUN) + "\n",
    )
    assert result.returncode == 0, result.stderr
    exported = tmp_path / "me.json"
    with open_store(sqlite_url) as store:
        from mentorquest.language.loader import open_library
        from mentorquest.players.progress import Participant
        from mentorquest.players.stored import StoreProvider

        progress = StoreProvider(store, open_library(library_dir)).open(
            Participant("p-1", "Ada Lovelace", "mentor", "ada@example.org")
        )
        progress.export_record(exported)
    verified = run_cli("records", "verify", str(exported))
    assert verified.returncode == 0, verified.stderr


def test_a_bad_db_url_is_one_line_and_exit_1(library_dir):
    result = run_cli("play", "--plain", "--library", str(library_dir), "--db", "nonsense")
    assert result.returncode == 1
    assert result.stderr.startswith("mentorquest: error: 'nonsense' is not a database URL")
    assert "Traceback" not in result.stderr
