"""The wheel carries the bundled library and schemas: `validate` works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_installed_wheel_validates_its_bundled_library_from_any_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = wheels.glob("mentorquest-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    bundled = target / "mentorquest" / "bundled"
    assert (bundled / "scenarios" / "programme.yaml").is_file()
    assert (bundled / "schema" / "scenario.schema.json").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "mentorquest", "validate"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    # Transcript tests (*.test.yaml) are the library's tests, not part of the library.
    files = len(
        [p for p in (REPO / "scenarios").rglob("*.yaml") if not p.name.endswith(".test.yaml")]
    )
    assert done.stderr.startswith(f"{bundled / 'scenarios'}: no problems in {files} file(s)")
