"""50 processes finishing attempts at once lose nothing and duplicate nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mentorquest.store import open_store

PROCESSES = 50
WORKER = Path(__file__).with_name("worker_finish.py")


def run_many(url: str, library_dir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    # The signing key is created once up front, as on a real installation after first use.
    from mentorquest.records.signing import load_or_create_key

    load_or_create_key()
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, str(library_dir), str(i), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(PROCESSES)
    ]
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        assert out.strip() == "done"


def check(url: str) -> None:
    with open_store(url) as store:
        attempts = store.finished_attempts(programme_id="pilot")
        ids = [a.attempt_id for a in attempts]
        assert len(ids) == len(set(ids)) == PROCESSES + 1
        assert {a.participant_id for a in attempts} == {f"p-{i}" for i in range(PROCESSES)} | {"p-shared"}
        assert store.count_records() == 1
        for i in range(PROCESSES):
            assert store.autosaved(f"p-{i}", "pilot", "one") is None
        assert store.integrity_check() == "ok"


def test_fifty_processes_creating_and_writing_one_sqlite_file_at_once(sqlite_url, library_dir, tmp_path):
    run_many(sqlite_url, library_dir, tmp_path)
    check(sqlite_url)


def test_fifty_processes_on_postgresql(pg_url, library_dir, tmp_path):
    run_many(pg_url, library_dir, tmp_path)
    check(pg_url)
