"""`mentorquest test`: transcript tests kept beside the scenarios."""

from __future__ import annotations

from tests.helpers import write_library
from tests.toolkit.helpers import mq, no_traceback

PASSING = """\
scenario: missed-sessions
cases:
  - name: asking first earns full marks
    path: [ask, plan]
    expect:
      ending: strong
      ending_kind: strong
      percent: 100
      passed: true
      critical: []
      scores: {no-fault: 2, listening: 3}
      reached: [warm]
      feedback: [curiosity FIRST]
  - name: telling the tutor is a breach
    path: [blame, tell-tutor]
    expect: {ending_kind: poor, passed: false, critical: [confidentiality]}
"""

FAILING = """\
scenario: missed-sessions
cases:
  - name: wrong ending
    path: [ask, reassure]
    expect:
      ending: strong
      percent: 100
      passed: false
  - name: plan is not on offer after blame
    path: [blame, apologise, plan]
    expect: {ending: strong}
  - name: feedback and a scene not met
    path: [ask, plan]
    expect:
      reached: [cold]
      feedback: [never said]
  - name: stops early
    path: [ask]
    expect: {ending: strong}
"""


def test_passing_transcripts_exit_0_and_count_cases(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "missed-sessions.test.yaml").write_text(PASSING, encoding="utf-8")
    ran = mq("test", root, "-v")
    assert ran.code == 0, ran.out + ran.err
    assert ran.out.splitlines() == [
        f"PASS {root}/missed-sessions.test.yaml: asking first earns full marks",
        f"PASS {root}/missed-sessions.test.yaml: telling the tutor is a breach",
        "2 passed, 0 failed",
    ]


def test_a_library_with_transcripts_still_validates_clean(tmp_path):
    root = write_library(tmp_path / "lib")
    without = mq("validate", root)
    (root / "missed-sessions.test.yaml").write_text(PASSING, encoding="utf-8")
    beside = mq("validate", root)
    # The transcript file changes nothing validate says (the library is still 3 files).
    assert beside.code == without.code == 0
    assert beside.out == without.out and beside.err == without.err
    assert "in 3 file(s)" in beside.err


def test_each_failure_is_file_line_expected_got(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "tests").mkdir()
    (root / "tests" / "missed-sessions.test.yaml").write_text(FAILING, encoding="utf-8")
    ran = mq("test", root)
    no_traceback(ran)
    assert ran.code == 1
    where = f"{root}/tests/missed-sessions.test.yaml"
    assert ran.out.splitlines() == [
        f"{where}:6: expected ending 'strong', got 'mixed' (case 'wrong ending')",
        f"{where}:7: expected percent 100, got 40 (case 'wrong ending')",
        f"{where}:10: expected choice 'plan' to be available in scene 'warm', got only reassure"
        " (case 'plan is not on offer after blame')",
        f"{where}:15: expected the path to reach scene 'cold', got opening -> warm -> strong"
        " (case 'feedback and a scene not met')",
        f"{where}:16: expected feedback containing 'never said', got 2 other(s)"
        " (case 'feedback and a scene not met')",
        f"{where}:19: expected ending 'strong', got nothing (the path stops at scene 'warm')"
        " (case 'stops early')",
        "0 passed, 4 failed",
    ]


def test_a_single_file_finds_its_library_above_it(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "tests").mkdir()
    test_file = root / "tests" / "missed-sessions.test.yaml"
    test_file.write_text(PASSING, encoding="utf-8")
    ran = mq("test", test_file)
    assert ran.code == 0 and ran.out.splitlines()[-1] == "2 passed, 0 failed"


def test_a_malformed_transcript_is_reported_like_a_scenario_file(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "a.test.yaml").write_text(
        "scenario: missed-sessions\ncases:\n  - name: x\n    path: [ask]\n    expct: {ending: strong}\n",
        encoding="utf-8",
    )
    (root / "b.test.yaml").write_text(
        "scenario: missed-session\ncases:\n  - {name: y, path: [ask], expect: {}}\n",
        encoding="utf-8",
    )
    (root / "c.test.yaml").write_text("scenario: [unclosed\n", encoding="utf-8")
    ran = mq("test", root)
    no_traceback(ran)
    assert ran.code == 1
    lines = ran.out.splitlines()
    # The misspelling is the one error: not also "missing required field 'expect'".
    assert lines[:1] == [
        f"{root}/a.test.yaml:5:5: error: unknown field 'expct' (did you mean 'expect'?)",
    ]
    assert lines[1] == (
        f"{root}/b.test.yaml:1:11: error: no scenario 'missed-session' in the library "
        "(did you mean 'missed-sessions'?)"
    )
    assert lines[2].startswith(f"{root}/c.test.yaml:2:1: error: YAML syntax error")
    assert lines[-1] == "0 passed, 0 failed, 3 file(s) could not be run"


def test_no_transcripts_is_an_error_not_a_pass(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("test", root)
    assert ran.code == 2
    assert "no transcript tests (*.test.yaml) here" in ran.err


def test_a_file_that_is_no_transcript_test_is_named_as_such(tmp_path):
    # Outside any library as inside one: what is wrong is the file, not the library.
    notes = tmp_path / "notes.yaml"
    notes.write_text("scenario: missed-sessions\n", encoding="utf-8")
    ran = mq("test", notes)
    no_traceback(ran)
    assert ran.code == 2
    assert f"{notes}: not a transcript test (its name must end in .test.yaml)" in ran.err
    assert "programme.yaml" not in ran.err


def test_a_transcript_test_outside_any_library_asks_for_the_library(tmp_path):
    test = tmp_path / "alone.test.yaml"
    test.write_text(PASSING, encoding="utf-8")
    ran = mq("test", test)
    no_traceback(ran)
    assert ran.code == 2
    assert "no programme.yaml here or above; give the library with --library DIR" in ran.err
    assert mq("test", test, "--library", write_library(tmp_path / "lib")).code == 0


def test_a_broken_library_cannot_be_tested(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "missed-sessions.test.yaml").write_text(PASSING, encoding="utf-8")
    (root / "speaking-up.yaml").write_text("format: 1\nid: speaking-up\n", encoding="utf-8")
    ran = mq("test", root)
    no_traceback(ran)
    assert ran.code == 2 and "run 'mentorquest validate" in ran.err


def test_a_path_with_no_programme_above_is_a_clear_error(tmp_path):
    folder = tmp_path / "loose"
    folder.mkdir()
    (folder / "x.test.yaml").write_text(PASSING, encoding="utf-8")
    ran = mq("test", folder)
    assert ran.code == 2 and "no programme.yaml here or above" in ran.err


def test_the_documented_example_passes_on_a_new_programme(tmp_path):
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "scenario-format.md"
    text = docs.read_text(encoding="utf-8")
    start = text.index("# yaml-language-server: $schema=schema/transcript.schema.json")
    example = text[start : text.index("```", start)]
    root = tmp_path / "lib"
    assert mq("new", "programme", root).code == 0
    (root / "first-meeting.test.yaml").unlink()
    (root / "documented.test.yaml").write_text(example, encoding="utf-8")
    ran = mq("test", root)
    assert ran.code == 0, ran.out
    assert ran.out.splitlines() == ["1 passed, 0 failed"]


# --- names that name nothing, files out of reach, counts apart (the reviewer's bug 16) ----


def test_expectations_naming_nothing_fail_with_the_name_meant(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "m.test.yaml").write_text(
        "scenario: missed-sessions\ncases:\n  - name: misnamed\n    path: [ask, plan]\n"
        "    expect:\n      ending: strng\n      scores: {nosuch: 0, listening: 3}\n"
        "      reached: [nowhere, warm]\n      critical: [confidentialty]\n",
        encoding="utf-8",
    )
    ran = mq("test", root)
    assert ran.code == 1
    where = f"{root}/m.test.yaml"
    assert ran.out.splitlines() == [
        f"{where}:6: expected ending 'strng', which names no ending of scenario "
        "'missed-sessions' (did you mean 'strong'?) (case 'misnamed')",
        f"{where}:7: expected scores of 'nosuch', which names no ground rule (case 'misnamed')",
        f"{where}:8: expected the path to reach scene 'nowhere', which names no scene of "
        "scenario 'missed-sessions' (case 'misnamed')",
        f"{where}:9: expected a critical breach of 'confidentialty', which names no ground "
        "rule (did you mean 'confidentiality'?) (case 'misnamed')",
        "0 passed, 1 failed",
    ]


def test_an_expected_ending_that_is_not_an_ending_is_named_so(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "m.test.yaml").write_text(
        "scenario: missed-sessions\ncases:\n  - {name: x, path: [ask, plan], expect: {ending: warm}}\n",
        encoding="utf-8",
    )
    ran = mq("test", root)
    assert ran.out.splitlines()[0].endswith(
        "expected ending 'warm', which is not an ending of scenario 'missed-sessions' (case 'x')"
    )


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    root = write_library(tmp_path / "lib")
    outside = tmp_path / "elsewhere.test.yaml"
    outside.write_text(PASSING, encoding="utf-8")
    (root / "linked.test.yaml").symlink_to(outside)
    ran = mq("test", root)
    assert ran.code == 1
    assert ran.out.splitlines() == [
        f"{root}/linked.test.yaml:1:1: error: a symlink to a file outside the folder; "
        "copy the file in instead",
        "0 passed, 0 failed, 1 file(s) could not be run",
    ]


def test_a_file_that_cannot_be_run_is_counted_apart_from_the_cases(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "good.test.yaml").write_text(PASSING, encoding="utf-8")
    (root / "bad.test.yaml").write_text("scenario: [unclosed\n", encoding="utf-8")
    ran = mq("test", root)
    assert ran.code == 1
    assert ran.out.splitlines()[-1] == "2 passed, 0 failed, 1 file(s) could not be run"


def test_a_case_name_used_twice_is_warned(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "m.test.yaml").write_text(
        PASSING.replace("telling the tutor is a breach", "asking first earns full marks"),
        encoding="utf-8",
    )
    ran = mq("test", root)
    assert ran.code == 0
    assert ran.out.splitlines() == [
        f"{root}/m.test.yaml:14:11: warning: case name 'asking first earns full marks' is used "
        "twice (first at line 3); give each case its own, so that a failure says which",
        "2 passed, 0 failed",
    ]
