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


# The commands run with COLUMNS and LINES unset: a pane started from a test process may be
# given the test's own (80x24), and Python would take those over the pane's real size.


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
        f"env -u COLUMNS -u LINES {exports} {command}; echo $? > {shlex.quote(str(status))}.tmp; "
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


def _flat(screen: str) -> str:
    """The screen's words in one line: scrollbar blocks out, wrapped lines joined."""
    return " ".join(re.sub(r"[▁▂▃▄▅▆▇█▔▕▏▊▎]+", " ", screen).split())


def _plain(markdown: str) -> str:
    return " ".join(markdown.replace("*", "").replace("_", " ").split())


def _longest_opening():
    """The bundled scene with the most text that opens a scenario: (scenario, role, scene)."""
    from mentorquest.bundled import library_path
    from mentorquest.language.compiled import open_library

    library = open_library(library_path())
    scenario = max(library.scenarios.values(), key=lambda s: len(s.scenes[s.start].text))
    return scenario, scenario.roles[0], scenario.scenes[scenario.start]


def test_a_long_scene_is_read_to_its_last_sentence_at_60x20(tmux, tmp_path: Path) -> None:
    scenario, role, scene = _longest_opening()
    sentences = re.split(r"(?<=[.!?])[\"”']?\s+(?=[A-Z\"“'])", _plain(scene.text))
    last = sentences[-1]
    choice = scene.choices[0]
    choice_start = " ".join(_plain(choice.text).split()[:3])
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
            "--name",
            "Sam",
            "--role",
            role,
            "--scenario",
            scenario.id,
        ]
    )
    status = tmp_path / "status"
    tmux(
        "new-session",
        "-d",
        "-s",
        "play",
        "-x",
        "60",
        "-y",
        "20",
        f"env -u COLUMNS -u LINES {exports} {command}; echo $? > {shlex.quote(str(status))}.tmp; "
        f"mv {shlex.quote(str(status))}.tmp {shlex.quote(str(status))}; exec cat",
    )
    screen = _wait_for(tmux, "More of the scene below")
    assert last not in _flat(screen), "the scene was meant to be longer than the screen"
    # Read on, a page at a time, each time waiting for the page to change, until the
    # story's last sentence is on the screen.
    for _ in range(20):
        if last in _flat(screen):
            break
        tmux("send-keys", "-t", "play", "NPage")
        screen = _wait_for_change(tmux, screen)
    assert last in _flat(screen), screen
    # Then the choice: by the number shown beside its text (the order is the attempt's own).
    while not re.search(rf"(\d)\. {re.escape(choice_start)}", _flat(screen)):
        tmux("send-keys", "-t", "play", "NPage")
        screen = _wait_for_change(tmux, screen)
    number = re.search(rf"(\d)\. {re.escape(choice_start)}", _flat(screen)).group(1)
    tmux("send-keys", "-t", "play", number)
    screen = _wait_for(tmux, "You chose:")
    assert "Continue" in screen  # the dialog's button, in view at 60x20
    tmux("send-keys", "-t", "play", "Enter")
    _wait_for(tmux, "decision 2")
    tmux("send-keys", "-t", "play", "C-q")
    assert _wait_for_file(status).strip() == "0"


def _wait_for_change(tmux, before: str, timeout: float = DEADLINE) -> str:
    """Poll until the screen differs from `before` (a key was acted on); return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "play", check=False).stdout
        if screen != before:
            return screen
        time.sleep(0.05)  # polling interval
    raise AssertionError(f"the screen did not change within {timeout:.0f} s:\n{before}")


def test_a_journey_open_elsewhere_is_one_message_not_a_traceback(tmux, tmp_path: Path) -> None:
    library = build_library(tmp_path / "library")
    env = {
        "MENTORQUEST_HOME": str(tmp_path / "home"),
        "TEXTUAL_ANIMATIONS": "none",
        "TERM": "xterm-256color",
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    command = " ".join(
        shlex.quote(part)
        for part in [*_command(), "play", "--library", str(library), "--name", "Dup",
                     "--role", "mentor"]
    )  # fmt: skip
    tmux("new-session", "-d", "-s", "play", "-x", "80", "-y", "24",
         f"env -u COLUMNS -u LINES {exports} {command}; exec cat")  # fmt: skip
    _wait_for(tmux, "Quit")  # the first player holds the journey
    status = tmp_path / "status"
    tmux("new-session", "-d", "-s", "second", "-x", "100", "-y", "40",
         f"env -u COLUMNS -u LINES {exports} {command}; echo $? > {shlex.quote(str(status))}.tmp; "
         f"mv {shlex.quote(str(status))}.tmp {shlex.quote(str(status))}; exec cat")  # fmt: skip
    assert _wait_for_file(status).strip() == "1"
    screen = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "second").stdout
    assert "this journey is already open in another player" in screen, screen
    assert "Error" not in screen and "Traceback" not in screen and "╭" not in screen, screen
