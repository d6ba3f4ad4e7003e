"""Pushing statements to a real learning record store (ralph) on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from mqfixtures import unavailable
from mqhelpers import run_cli

from mentorquest.records.lrs import Lrs, LrsError
from mentorquest.records.xapi import registration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lrs(tmp_path: Path):
    ralph = shutil.which("ralph") or str(Path(sys.executable).with_name("ralph"))
    if not Path(ralph).exists():
        unavailable("ralph is not installed (pip install -e '.[test]')")
    env = {**os.environ, "RALPH_APP_DIR": str(tmp_path / "ralph"), "RALPH_RUNSERVER_BACKEND": "fs"}
    (tmp_path / "ralph").mkdir()
    subprocess.run([ralph, "auth", "-u", "coordinator", "-p", "secret", "-s", "all", "-M", "mailto:coordinator@example.org", "-w"], env=env, check=True, capture_output=True)
    port = free_port()
    data = tmp_path / "lrs-data"
    data.mkdir()
    server = subprocess.Popen(
        [ralph, "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port), "--fs-default-directory-path", str(data)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path,
    )
    url = f"http://127.0.0.1:{port}/xAPI"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1)
            break
        except Exception:
            if server.poll() is not None or time.monotonic() > deadline:
                output = server.stdout.read().decode() if server.poll() is not None else ""
                server.kill()
                unavailable(f"ralph LRS did not start: {output[-500:]}")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_push_sends_statements_and_they_read_back_by_registration(cohort, lrs):
    result = run_cli("records", "push", "--db", cohort, "--lrs", lrs, "--user", "coordinator", "--password", "secret", "--batch-size", "1000")
    assert result.returncode == 0, result.stderr
    assert "Sent 13 statement(s)" in result.stderr
    back = Lrs(lrs, "coordinator", "secret").get(registration=registration("pilot", "p-1"))
    assert len(back) == 8
    assert {s["actor"]["account"]["name"] for s in back} == {"p-1"}


def test_wrong_credentials_are_one_clear_line(cohort, lrs):
    result = run_cli("records", "push", "--db", cohort, "--lrs", lrs, "--user", "coordinator", "--password", "wrong")
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_lrs_is_retried_then_reported():
    lrs = Lrs(f"http://127.0.0.1:{free_port()}/xAPI", "u", "p", retries=2, backoff=0.01)
    with pytest.raises(LrsError, match="cannot reach the LRS"):
        lrs.post([{"id": "x"}])
