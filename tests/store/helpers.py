"""Helpers shared by store and record tests: playing attempts without a terminal."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from mentorquest.engine import Engine


def finished_attempt(library, scenario_id: str, choices: list[str]):
    attempt = Engine(library).start(scenario_id)
    for choice in choices:
        attempt.choose(choice)
    assert attempt.finished
    return attempt


def play_plain(library_dir: Path, db_url: str, lines: list[str], *args: str) -> tuple[int, str]:
    """Run the plain player in this process, as `mentorquest play --plain` does."""
    from mentorquest.players.config import PlayConfig
    from mentorquest.players.plain import run_plain

    options = dict(zip(args[::2], args[1::2], strict=True))
    config = PlayConfig(
        library=library_dir,
        db_url=db_url,
        participant=options.get("--participant"),
        name=options.get("--name"),
        email=options.get("--email"),
        role=options.get("--role"),
    )
    out = io.StringIO()
    code = run_plain(config, io.StringIO("".join(line + "\n" for line in lines)), out)
    return code, out.getvalue()


def run_cli(
    *args: str, stdin: str = "", env: dict | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """`mentorquest ARGS` in a real subprocess (a fresh interpreter, as a user runs it)."""
    return subprocess.run(
        [sys.executable, "-m", "mentorquest", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )
