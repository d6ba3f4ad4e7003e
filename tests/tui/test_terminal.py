"""The real `mentorquest` command in a real terminal (tmux): play one scene by keys."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .library import build_library

TMUX = shutil.which("tmux")


def _command() -> list[str]:
    script = Path(sys.executable).with_name("mentorquest")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mentorquest"]


@pytest.fixture
def tmux(tmp_path: Path):
    if TMUX is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("tmux is required under CI=true for the real-terminal test")
        pytest.skip("tmux is not installed; the real-terminal test needs it")
    socket = f"mq-{uuid.uuid4().hex[:8]}"

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [TMUX, "-L", socket, *args], capture_output=True, text=True, check=check
        )

    yield run
    run("kill-server", check=False)


def _wait_for(tmux, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "play", check=False).stdout
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear on the screen:\n{screen}")


def test_the_real_command_plays_a_scene_in_a_terminal(tmux, tmp_path: Path) -> None:
    library = build_library(tmp_path / "library")
    env = {
        "MENTORQUEST_HOME": str(tmp_path / "home"),
        "TEXTUAL_ANIMATIONS": "none",
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = " ".join(
        shlex.quote(part)
        for part in [
            *_command(),
            "play",
            "--library",
            str(library),
            "--name",
            "Sam",
            "--role",
            "mentor",
            "--scenario",
            "listen-first",
        ]
    )
    status = tmp_path / "status"
    tmux(
        "new-session", "-d", "-s", "play", "-x", "80", "-y", "24",
        f"env {exports} {command}; echo $? > {shlex.quote(str(status))}; sleep 30",
    )
    _wait_for(tmux, "1. Ask her to tell you more.")
    tmux("send-keys", "-t", "play", "1")
    _wait_for(tmux, "Asking first is active listening.")
    tmux("send-keys", "-t", "play", "Enter")
    _wait_for(tmux, "60 on a scale of 0 to 100")
    screen = _wait_for(tmux, "It is the deadlines, mostly.")
    assert "1. Ask which deadline worries her most." in screen
    tmux("send-keys", "-t", "play", "C-q")
    deadline = time.monotonic() + 20
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert status.read_text().strip() == "0"
