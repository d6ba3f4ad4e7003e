"""The real `mentorquest` command in a real terminal (tmux): play one scene by keys."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.tui.library import build_library

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
        # Its own server (-L) without the user's configuration (-f): nothing shared.
        return subprocess.run(
            [TMUX, "-L", socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    yield run
    run("kill-server", check=False)


# Each wait polls for a state with a deadline that only a hung program reaches: on a busy
# machine the first start (the library checked and compiled, the store created) can take
# many times its usual second.
DEADLINE = 90.0


def _wait_for(tmux, text: str, timeout: float = DEADLINE) -> str:
    """Poll the screen until `text` appears on it; return the screen."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "play", check=False).stdout
        if text in screen:
            return screen
        time.sleep(0.1)  # polling interval
    raise AssertionError(f"{text!r} did not appear on the screen within {timeout:.0f} s:\n{screen}")


def _wait_for_file(path: Path, timeout: float = DEADLINE) -> str:
    """Poll until `path` exists (it is written whole, then renamed); return its text."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear within {timeout:.0f} s"
        time.sleep(0.1)  # polling interval
    return path.read_text()


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
        "new-session",
        "-d",
        "-s",
        "play",
        "-x",
        "80",
        "-y",
        "24",
        # The exit status is written to a side file and renamed into place, so it is read
        # whole; the pane then stays open (until the server is killed) for the last capture.
        f"env {exports} {command}; echo $? > {shlex.quote(str(status))}.tmp; "
        f"mv {shlex.quote(str(status))}.tmp {shlex.quote(str(status))}; exec cat",
    )
    # The choices are shown in an order of the attempt's own: press the number shown.
    screen = _wait_for(tmux, ". Ask her to tell you more.")
    shown = re.search(r"(\d)\. Ask her to tell you more\.", screen)
    assert shown is not None, screen
    tmux("send-keys", "-t", "play", shown.group(1))
    _wait_for(tmux, "Asking first is active listening.")
    tmux("send-keys", "-t", "play", "Enter")
    _wait_for(tmux, "60 on a scale of 0 to 100")
    screen = _wait_for(tmux, "It is the deadlines, mostly.")
    assert re.search(r"\d\. Ask which deadline worries her most\.", screen), screen
    tmux("send-keys", "-t", "play", "C-q")
    assert _wait_for_file(status).strip() == "0"
