"""`mentorquest validate`: compiler-style lines, exit codes, and the bundled library."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import run_cli, write_library

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_validate_with_no_path_checks_the_bundled_library():
    done = run_cli("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "no problems in" in done.stderr


def test_errors_exit_one_with_file_line_column(tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(CORPUS / "unknown-field-suggestion", root)
    done = run_cli("validate", "lib", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "lib/first.yaml:12:5: error: unknown field 'choises' (did you mean 'choices'?)"
        in done.stdout.splitlines()
    )
    assert "1 error(s), 0 warning(s) in 2 file(s)" in done.stderr


def test_warnings_do_not_change_the_exit_code(tmp_path):
    shutil.copytree(CORPUS / "warning-no-feedback", tmp_path / "lib")
    done = run_cli("validate", "lib", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "lib/first.yaml:19:9: warning: choice 'bad' in scene 'opening' has no feedback"
    ]


def test_missing_folder_is_a_usage_error(tmp_path):
    done = run_cli("validate", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"mentorquest: error: {tmp_path / 'nowhere'}: no such folder"


def test_folder_without_programme_is_a_usage_error(tmp_path):
    done = run_cli("validate", str(tmp_path))
    assert done.returncode == 2
    assert "no programme.yaml here" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_problem_is_reported_in_one_run(tmp_path):
    root = write_library(tmp_path / "lib")
    text = (root / "missed-sessions.yaml").read_text()
    text = text.replace("goto: cold", "goto: colt").replace(
        "scores: {listening: 2}", "scores: {listenin: 2}"
    )
    (root / "missed-sessions.yaml").write_text(text)
    (root / "broken.yaml").write_text("id: [unclosed\n")
    done = run_cli("validate", "lib", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(
        line.startswith("lib/broken.yaml:2:1: error: YAML syntax error") for line in lines
    ), lines
    assert any("goto names no scene: 'colt' (did you mean 'cold'?)" in line for line in lines)
    assert any(
        "unknown ground rule 'listenin' (did you mean 'listening'?)" in line for line in lines
    )


def test_no_input_ever_produces_a_traceback(tmp_path):
    for case in sorted(p for p in CORPUS.iterdir() if p.is_dir())[:12]:
        done = run_cli("validate", str(case))
        assert "Traceback" not in done.stderr, case.name
        assert done.returncode in (0, 1)
