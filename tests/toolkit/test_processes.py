"""The toolkit's commands as real processes: exit codes and one clear line, never a traceback."""

from __future__ import annotations

from tests.helpers import run_cli, write_library


def test_real_processes_exit_with_the_documented_codes(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "x.test.yaml").write_text(
        "scenario: missed-sessions\ncases:\n  - {name: n, path: [ask, plan], expect: {percent: 99}}\n",
        encoding="utf-8",
    )
    story = tmp_path / "s.twee"
    story.write_bytes(b":: Start\n\xfe\n")
    runs = [
        (("explore", "--library", str(root), "missed-sessions", "--json"), 0, ""),
        (("explore", "--library", str(root), "nope"), 2, "mentorquest: error: no scenario 'nope'"),
        (("test", str(root)), 1, ""),
        (("import", "twee", str(story), "--out", str(tmp_path / "o")), 2, "not valid UTF-8"),
        (("new", "scenario", "Nope!", "--library", str(root)), 2, "is not a valid scenario id"),
    ]
    for args, code, message in runs:
        done = run_cli(*args)
        assert done.returncode == code, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert message in done.stderr
    failing = run_cli("test", str(root))
    assert failing.stdout.splitlines() == [
        f"{root}/x.test.yaml:3: expected percent 99, got 100 (case 'n')",
        "0 passed, 1 failed",
    ]
