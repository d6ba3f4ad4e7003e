"""Pushing statements to a real learning record store (ralph) on 127.0.0.1."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mentorquest.records.lrs import Lrs, LrsError
from mentorquest.records.xapi import registration
from tests.store.fixtures import unavailable
from tests.store.helpers import run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lrs(ralph: str, env: dict[str, str], folder: Path) -> tuple[subprocess.Popen, str] | str:
    """Start ralph on a free port; return the server and its URL, or why it did not start."""
    port = free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                ralph,
                "runserver",
                "-b",
                "fs",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "--fs-default-directory-path",
                str(folder / "data"),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    # Starting takes a second or two on a quiet machine; a busy one gets much longer.
    deadline = time.monotonic() + 120
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=5):
                pass
        except (OSError, http.client.HTTPException):  # not listening yet
            time.sleep(0.1)  # polling interval
            continue
        if server.poll() is None:  # the answer came from our server, not one that took the port
            return server, f"http://127.0.0.1:{port}/xAPI"
    if server.poll() is None:
        server.kill()
    server.wait(timeout=30)
    return log.read_text(errors="replace")[-500:]


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory):
    """One real LRS (ralph, file system backend) for the session, on a free port of 127.0.0.1.

    Under pytest-xdist each worker that runs an LRS test starts its own. Statements pushed
    by one test stay for the next ones, so a test reads back only what it can tell apart
    (by registration)."""
    ralph = shutil.which("ralph") or str(Path(sys.executable).with_name("ralph"))
    if not Path(ralph).exists():
        unavailable("ralph is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("lrs")
    env = {**os.environ, "RALPH_APP_DIR": str(folder / "ralph"), "RALPH_RUNSERVER_BACKEND": "fs"}
    (folder / "ralph").mkdir()
    (folder / "data").mkdir()
    subprocess.run(
        [
            ralph,
            "auth",
            "-u",
            "coordinator",
            "-p",
            "secret",
            "-s",
            "all",
            "-M",
            "mailto:coordinator@example.org",
            "-w",
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    # The free port can be taken by another process before ralph binds it: try again.
    for _ in range(3):
        started = _start_lrs(ralph, env, folder)
        if not isinstance(started, str):
            break
    else:
        unavailable(f"ralph LRS did not start: {started}")
    server, url = started
    yield url
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def test_push_sends_statements_and_they_read_back_by_registration(cohort, lrs):
    result = run_cli(
        "records",
        "push",
        "--db",
        cohort,
        "--lrs",
        lrs,
        "--user",
        "coordinator",
        "--password",
        "secret",
        "--batch-size",
        "1000",
    )
    assert result.returncode == 0, result.stderr
    assert "Sent 13 statement(s)" in result.stderr
    back = Lrs(lrs, "coordinator", "secret").get(registration=registration("pilot", "p-1"))
    assert len(back) == 8
    assert {s["actor"]["account"]["name"] for s in back} == {"p-1"}


def test_wrong_credentials_are_one_clear_line(cohort, lrs):
    result = run_cli(
        "records",
        "push",
        "--db",
        cohort,
        "--lrs",
        lrs,
        "--user",
        "coordinator",
        "--password",
        "wrong",
    )
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_lrs_is_retried_then_reported():
    lrs = Lrs(f"http://127.0.0.1:{free_port()}/xAPI", "u", "p", retries=2, backoff=0.01)
    with pytest.raises(LrsError, match="cannot reach the LRS"):
        lrs.post([{"id": "x"}])
