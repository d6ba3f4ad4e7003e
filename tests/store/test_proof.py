"""Nothing saved is trusted: forged saves give no pass, bad saves are set aside, one seat.

The players here are real processes (`python -m mentorquest play --plain`) against a real
store, as a participant trying their luck would run them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli

SURVEY_THEN_STOP = ["p-1", "Ada Lovelace", "", "1", "4", ""]  # id, name, email, role, survey


def player_args(library_dir, url, *extra: str) -> list[str]:
    return [
        "play",
        "--plain",
        "--library",
        str(library_dir),
        "--db",
        url,
        "--participant",
        "p-1",
        "--name",
        "Ada Lovelace",
        "--email",
        "",
        "--role",
        "mentor",
        *extra,
    ]


def forged_state(store, scenario_id: str, **claims) -> str:
    """A save of format 1 claiming what the forger wants, with no decisions behind it."""
    state = {
        "save_format": 1,
        "attempt_id": "00000000-0000-4000-8000-00000000000"
        + ("1" if scenario_id == "one" else "2"),
        "scenario_id": scenario_id,
        "content_hash": claims.pop("content_hash"),
        "practice": False,
        "started_at": "2026-01-01T10:00:00Z",
        "finished_at": None,
        "origin_scene": "a",
        "origin_variables": {},
        "scene": claims.pop("scene"),
        "variables": {},
        "visited": ["a"],
        "path": [],
        "scores": claims.pop("scores"),
        "critical": [],
    }
    return json.dumps(state)


def test_a_forged_save_gives_no_pass_and_no_record(library_dir, sqlite_url, library):
    play_plain(library_dir, sqlite_url, SURVEY_THEN_STOP)
    with open_store(sqlite_url) as store, store.database.write() as tx:
        for sid, ending, scores in (
            ("one", "end-good", {"listening": 3, "confidentiality": 3}),
            ("two", "end", {"listening": 3}),
        ):
            text = forged_state(
                store, sid, content_hash=library.content_hash(sid), scene=ending, scores=scores
            )
            tx.execute("DELETE FROM saved_attempts WHERE scenario_id = ?", (sid,))
            tx.execute(
                "INSERT INTO saved_attempts VALUES (?, ?, ?, ?, ?, ?)",
                ("p-1", "pilot", sid, f"a-{sid}", text, "2026-01-01T10:00:00.000Z"),
            )
    result = run_cli(*player_args(library_dir, sqlite_url), stdin="")
    assert result.returncode == 0, result.stderr
    assert "Onboarding complete" not in result.stdout
    # The forged save is resumed where its (empty) path leads: the first decision.
    assert "First decision." in result.stdout
    with open_store(sqlite_url) as store:
        assert store.latest_record("p-1", "pilot") is None
        assert store.finished_attempts("p-1", "pilot") == []


def test_a_forged_finished_attempt_does_not_count(library_dir, sqlite_url, library):
    code, _ = play_plain(library_dir, sqlite_url, [*SURVEY_THEN_STOP, "bad", "share", "talk"])
    assert code == 0
    with open_store(sqlite_url) as store, store.database.write() as tx:
        # Rewrite every finished attempt as a full-marks pass, as an editor of the file would.
        for attempt_id, result_json in tx.execute("SELECT attempt_id, result_json FROM attempts"):
            result = json.loads(result_json)
            result.update(percent=100, passed=True, critical=[])
            result["scores"] = [{**s, "earned": s["best"]} for s in result["scores"]]
            tx.execute(
                "UPDATE attempts SET result_json = ?, percent = 100, passed = ? WHERE attempt_id = ?",
                (json.dumps(result), True, attempt_id),
            )
    result = run_cli(*player_args(library_dir, sqlite_url), stdin="")
    assert "Onboarding complete" not in result.stdout
    with open_store(sqlite_url) as store:
        assert store.latest_record("p-1", "pilot") is None


def test_a_save_that_does_not_replay_is_set_aside_with_one_line(library_dir, sqlite_url):
    play_plain(library_dir, sqlite_url, [*SURVEY_THEN_STOP, "good"])
    with open_store(sqlite_url) as store, store.database.write() as tx:
        [(text,)] = tx.execute("SELECT state_json FROM saved_attempts WHERE scenario_id = 'one'")
        state = json.loads(text)
        state["path"][0]["choice"] = "flatter"
        tx.execute("UPDATE saved_attempts SET state_json = ?", (json.dumps(state),))
    result = run_cli(*player_args(library_dir, sqlite_url), stdin="")
    assert result.returncode == 0, result.stderr
    [note] = [line for line in result.stdout.splitlines() if line.startswith("Note: ")]
    assert note == (
        "Note: Your saved attempt could not be resumed (the saved attempt does not replay: "
        "decision 1: choice 'flatter' is not available in scene 'a'); it is kept aside and "
        "this scenario starts afresh."
    )
    with open_store(sqlite_url) as store:
        [kept] = store.set_aside_attempts("p-1", "pilot")
        assert json.loads(kept.state_json)["path"][0]["choice"] == "flatter"
    listed = run_cli("records", "list", "--db", sqlite_url, "--library", str(library_dir))
    assert "1 attempt(s)" in listed.stdout
    # Once set aside, it is not met again.
    again = run_cli(*player_args(library_dir, sqlite_url), stdin="")
    assert "Note: " not in again.stdout


@pytest.mark.parametrize("garbage", ['{"save_format": 1, "scene": 7}', "not json at all", "[]"])
def test_an_unreadable_save_is_set_aside_never_a_crash(library_dir, sqlite_url, garbage):
    play_plain(library_dir, sqlite_url, [*SURVEY_THEN_STOP, "good"])
    with open_store(sqlite_url) as store, store.database.write() as tx:
        tx.execute("UPDATE saved_attempts SET state_json = ?", (garbage,))
    result = run_cli(*player_args(library_dir, sqlite_url), stdin="")
    assert result.returncode == 0, result.stderr
    assert "it is kept aside and this scenario starts afresh" in result.stdout
    assert "internal error" not in result.stderr


# --- one seat per participant, with real players --------------------------------------------


class LivePlayer:
    """A player running in its own process, fed one line at a time."""

    def __init__(self, args: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mentorquest", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, sink in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _read(stream, sink: list[str]) -> None:
        for line in iter(lambda: stream.read(1), ""):
            sink.append(line)

    @property
    def text(self) -> str:
        return "".join(self.out)

    def wait_for(self, text: str, deadline: float = 90) -> None:
        end = time.monotonic() + deadline
        while text not in self.text:
            if self.process.poll() is not None and text not in self.text:
                raise AssertionError(
                    f"the player ended before {text!r}:\n{self.text}\n{''.join(self.err)}"
                )
            if time.monotonic() > end:
                raise AssertionError(f"no {text!r} in:\n{self.text}")
            time.sleep(0.02)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self, deadline: float = 90) -> int:
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
        return self.process.wait(timeout=deadline)


def test_two_players_on_one_participant_never_mix(library_dir, any_url):
    first = LivePlayer(player_args(library_dir, any_url))
    try:
        first.wait_for("Your answer (1-5): ")
        first.send("4")
        first.send("")
        first.wait_for("Your choice (1-3): ")

        refused = run_cli(*player_args(library_dir, any_url), stdin="good\n")
        assert refused.returncode == 1
        assert (
            "mentorquest: error: this journey is already open in another player" in refused.stderr
        )
        assert "--take-over" in refused.stderr

        taking = run_cli(*player_args(library_dir, any_url, "--take-over"), stdin="bad\n")
        assert taking.returncode == 0, taking.stderr

        first.send("good")
        assert first.close() == 1
        assert "taken over by another player" in "".join(first.err)
    finally:
        if first.process.poll() is None:
            first.process.kill()
    with open_store(any_url) as store:
        saved = json.loads(store.autosaved("p-1", "pilot", "one"))
        finished = store.finished_attempts("p-1", "pilot")
    # The attempt holds the second player's decision, and nothing of the first's.
    assert [step["choice"] for step in saved["path"]] == ["bad"]
    assert finished == []
