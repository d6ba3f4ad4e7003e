"""50 processes finishing attempts at once lose nothing and duplicate nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mentorquest.store import open_store

PROCESSES = 50
WORKERS = Path(__file__).with_name("finish_many.py")


def run_many(url: str, library_dir: Path) -> None:
    # The signing key is created once up front, as on a real installation after first use.
    from mentorquest.records.signing import load_or_create_key

    load_or_create_key()
    done = subprocess.run(
        [sys.executable, str(WORKERS), url, str(library_dir), str(PROCESSES)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == sorted(f"done {i}" for i in range(PROCESSES))


def check(url: str) -> None:
    with open_store(url) as store:
        attempts = store.finished_attempts(programme_id="pilot")
        ids = [a.attempt_id for a in attempts]
        assert len(ids) == len(set(ids)) == PROCESSES + 1
        assert {a.participant_id for a in attempts} == {f"p-{i}" for i in range(PROCESSES)} | {
            "p-shared"
        }
        assert store.count_records() == 1
        for i in range(PROCESSES):
            assert store.autosaved(f"p-{i}", "pilot", "one") is None
        assert store.integrity_check() == "ok"


def test_fifty_processes_creating_and_writing_one_sqlite_file_at_once(sqlite_url, library_dir):
    run_many(sqlite_url, library_dir)
    check(sqlite_url)


def test_fifty_processes_on_postgresql(pg_url, library_dir):
    run_many(pg_url, library_dir)
    check(pg_url)
