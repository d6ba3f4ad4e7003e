"""What comes from a file or an argument is shown on one line with every control character
as a marker (`<U+001B>`), never raw and never silently dropped: file names in
FILE:LINE:COL lines, titles, case names, ids in messages (the reviewer's bug 5)."""

from __future__ import annotations

from tests.toolkit.helpers import PROGRAMME, library, mq, no_traceback

ESC = "\x1b"
NAME = f"c\nx{ESC}[31m"
SHOWN = "c<U+000A>x<U+001B>[31m"
SCENARIO = """\
format: 1
id: c
title: "T\\e[31mred"
roles: [mentor]
start: a
scenes:
  a:
    text: A.
    choices:
      - {id: go, text: Go., goto: b, feedback: Yes., scores: {listening: 1}}
  b: {text: B., ending: strong}
"""


def _raw(text: str) -> bool:
    return ESC in text or "\x07" in text


def test_file_names_in_diagnostics_show_their_controls_and_line_breaks(tmp_path):
    root = library(tmp_path / "lib", {f"{NAME}.yaml": SCENARIO.replace("goto: b", "goto: zz")})
    ran = mq("validate", root)
    no_traceback(ran)
    assert not _raw(ran.out + ran.err)
    assert f"{root}/{SHOWN}.yaml:10:35: error: goto names no scene: 'zz'" in ran.out.splitlines()
    walked = mq("walk", "--library", root, "c", "go")
    assert walked.code == 2 and not _raw(walked.err)
    assert f"  {root}/{SHOWN}.yaml:10:35: error: goto names no scene: 'zz'" in walked.err


def test_titles_and_case_names_are_shown_with_markers(tmp_path):
    root = library(tmp_path / "lib", {"c.yaml": SCENARIO})
    (root / f"{NAME}.test.yaml").write_text(
        'scenario: c\ncases:\n  - {name: "n\\e[31m", path: [go], expect: {ending: a}}\n',
        encoding="utf-8",
    )
    outputs = {
        "explore": mq("explore", "--library", root, "c").out,
        "graph": mq("graph", "--library", root, "c").out,
        "walk": mq("walk", "--library", root, "c", "go").out,
        "test": mq("test", root, "-v").out,
    }
    for command, out in outputs.items():
        assert not _raw(out), command
    assert outputs["explore"].splitlines()[0] == "Scenario c: T<U+001B>[31mred"
    assert outputs["graph"].splitlines()[0] == "%% c: T<U+001B>[31mred"
    assert outputs["walk"].splitlines()[0] == "Debrief: T<U+001B>[31mred"
    assert outputs["test"].splitlines()[0] == f"FAIL {root}/{SHOWN}.test.yaml: n<U+001B>[31m"


def test_an_argument_with_a_control_character_is_shown_whole_in_the_message(tmp_path):
    root = library(tmp_path / "lib", {"c.yaml": SCENARIO}, programme=PROGRAMME)
    ran = mq("new", "scenario", f"a{ESC}", "--library", root)
    assert ran.code == 2
    assert ran.err.startswith("mentorquest: error: 'a<U+001B>' is not a valid scenario id")
    ran = mq("walk", "--library", root, f"ctl-{ESC}[31m")
    assert ran.err.strip() == "mentorquest: error: no scenario 'ctl-<U+001B>[31m' in this library"


def test_a_twee_file_name_is_shown_with_markers_in_its_warnings(tmp_path):
    story = tmp_path / f"{NAME}.twee"
    story.write_text(
        ":: Start\n<<set $x to 1>>\n[[End]]\n:: End [strong]\nBye.\n", encoding="utf-8"
    )
    ran = mq("import", "twee", story, "--out", tmp_path / "lib")
    assert not _raw(ran.out + ran.err)
    assert f"{tmp_path}/{SHOWN}.twee:2: warning: macro or script '<<set $x to 1>>'" in ran.err
