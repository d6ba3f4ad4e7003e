"""A player killed (SIGKILL) at any moment loses at most the choice being made.

A real `mentorquest play --plain` process is killed at random points of a long
scenario, again and again; each restart resumes at the last saved choice, the store
passes PRAGMA integrity_check, and the attempt finishes exactly once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from mentorquest.engine import AttemptState
from mentorquest.store import open_store

DECISIONS = 60
KILLS = 12


def write_long_library(root: Path) -> Path:
    root.mkdir()
    (root / "programme.yaml").write_text(
        "format: 1\nid: long\ntitle: Long programme\nroles: [mentee]\n"
        "ground_rules:\n  - id: listening\n    name: Listening\n    summary: Listen.\n"
        "required:\n  mentee: [long]\n",
        encoding="utf-8",
    )
    scenes = []
    for i in range(DECISIONS):
        after = f"s{i + 1}" if i + 1 < DECISIONS else "end"
        scenes.append(
            f"  s{i}:\n    text: Decision {i}.\n    choices:\n"
            f"      - id: agree\n        text: Agree.\n        goto: {after}\n        scores: {{listening: 1}}\n"
            f"      - id: decline\n        text: Decline.\n        goto: {after}\n        scores: {{listening: -1}}\n"
        )
    (root / "long.yaml").write_text(
        "format: 1\nid: long\ntitle: A long scenario\nroles: [mentee]\nstart: s0\nscenes:\n"
        + "".join(scenes)
        + "  end:\n    text: The end.\n    ending: strong\n",
        encoding="utf-8",
    )
    return root


def saved_choices(url: str) -> int:
    with open_store(url) as store:
        if store.finished_attempts("p-1", "long"):
            return DECISIONS
        text = store.autosaved("p-1", "long", "long")
        return len(AttemptState.from_json(text).path) if text else 0


def test_killed_player_resumes_at_the_last_saved_choice(tmp_path):
    library = write_long_library(tmp_path / "library")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    command = [
        sys.executable,
        "-m",
        "mentorquest",
        "play",
        "--plain",
        "--library",
        str(library),
        "--db",
        url,
        "--participant",
        "p-1",
        "--name",
        "Ada",
        "--email",
        "",
        "--role",
        "mentee",
    ]
    rng = random.Random(20261122)
    before = 0
    kills = 0
    for _ in range(KILLS):
        out = tmp_path / "out.txt"
        with out.open("w") as handle:
            player = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=handle, stderr=subprocess.STDOUT, text=True
            )
            # Wait for the state (the first question), however long a busy machine takes.
            deadline = time.monotonic() + 120
            while "Your choice" not in out.read_text() and player.poll() is None:
                assert time.monotonic() < deadline, out.read_text()
                time.sleep(0.01)  # polling interval
            assert player.poll() is None, out.read_text()
            # Some answers, then a kill at a random moment while they are being played: the
            # random delay is the point (any moment), not a wait for anything.
            player.stdin.write("agree\n" * rng.randint(1, 12))
            player.stdin.flush()
            time.sleep(rng.uniform(0.0, 0.03))
            if player.poll() is None:
                os.kill(player.pid, signal.SIGKILL)
                kills += 1
            player.wait(timeout=60)
        shown = out.read_text()
        assert "error" not in shown and "Traceback" not in shown, shown
        acknowledged = shown.count("Scores: ")
        after = saved_choices(url)
        # Every choice whose feedback was shown had been saved first; nothing beyond the input.
        assert after >= min(DECISIONS, before + acknowledged)
        assert after <= before + DECISIONS
        with open_store(url) as store:
            assert store.integrity_check() == "ok"
        before = after
        if after == DECISIONS:
            break
    assert kills >= 1
    # Finish (or confirm finished) and check the attempt was kept exactly once.
    done = subprocess.run(
        command, input="agree\n" * DECISIONS, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    with open_store(url) as store:
        attempts = store.finished_attempts("p-1", "long")
        assert len(attempts) == 1
        assert len(attempts[0].result.path) == DECISIONS
        assert store.latest_record("p-1", "long") is not None
        assert store.integrity_check() == "ok"
