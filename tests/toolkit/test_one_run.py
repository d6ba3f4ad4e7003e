"""Every problem in one run: a field error does not stop the other checks (issue 14, 1)."""

from __future__ import annotations

import pytest

from tests.toolkit.helpers import library, mq, no_traceback

BROKEN = """\
format: 1
id: first
title: First meeting
roles: [mentor]
variables:
  trust: 50
start: opening
scenes:
  opening:
    text: Opening.
    choices:
      - id: good
        text: Listen first.
        goto: happy
        score: {no-fault: 2}
        feedback: Good.
      - id: bad
        text: Blame them.
        goto: hapy
        if: trust => 40
        scores: {no-fault: -1}
        feedback: Bad.
  happy: {text: Happy., ending: strong}
  sad: {text: Sad., ending: poor}
"""


def lines(ran):
    return [line for line in ran.out.splitlines() if line]


def test_a_misspelt_field_a_bad_goto_and_a_bad_condition_are_all_reported_in_one_run(tmp_path):
    root = library(tmp_path / "lib", {"first.yaml": BROKEN})
    ran = mq("validate", root)
    no_traceback(ran)
    assert ran.code == 1
    where = f"{root}/first.yaml"
    assert lines(ran) == [
        f"{where}:15:9: error: unknown field 'score' (did you mean 'scores'?)",
        f"{where}:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{where}:20:19: error: condition: unexpected '=>' in condition (did you mean '>='?)",
        f"{where}:24:3: warning: scene 'sad' cannot be reached from start",
    ]


def test_a_misspelt_container_is_read_as_the_field_it_misspells(tmp_path):
    text = BROKEN.replace("    choices:\n", "    choises:\n").replace("score: {", "scores: {")
    root = library(tmp_path / "lib", {"first.yaml": text})
    ran = mq("validate", root)
    where = f"{root}/first.yaml"
    assert lines(ran) == [
        f"{where}:11:5: error: unknown field 'choises' (did you mean 'choices'?)",
        f"{where}:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{where}:20:19: error: condition: unexpected '=>' in condition (did you mean '>='?)",
        f"{where}:24:3: warning: scene 'sad' cannot be reached from start",
    ]


def test_problems_inside_a_misspelt_field_are_reported_too(tmp_path):
    text = BROKEN.replace("    choices:\n", "    choises:\n")
    root = library(tmp_path / "lib", {"first.yaml": text})
    found = lines(mq("validate", root))
    assert f"{root}/first.yaml:15:9: error: unknown field 'score' (did you mean 'scores'?)" in found


@pytest.mark.parametrize(
    "condition, message",
    [
        ("trust => 40", "unexpected '=>' in condition (did you mean '>='?)"),
        ("trust =< 40", "unexpected '=<' in condition (did you mean '<='?)"),
        ("trust = 40", "unexpected character '=' in condition (use '==' to compare)"),
    ],
)
def test_operator_slips_get_the_operator_meant(tmp_path, condition, message):
    text = BROKEN.replace("trust => 40", condition).replace("score: {", "scores: {")
    text = text.replace("goto: hapy", "goto: sad")
    root = library(tmp_path / "lib", {"first.yaml": text})
    assert lines(mq("validate", root)) == [f"{root}/first.yaml:20:19: error: condition: {message}"]


def test_wrong_types_and_missing_fields_leave_the_rest_checked(tmp_path):
    text = """\
format: 1
id: second
title: Second
roles: [mentorr]
start: s
scenes:
  s:
    text: 5
    choices:
      - {id: x, text: X, goto: e, scores: {no-falt: 2}, feedback: ok}
      - {id: y, text: Y, feedback: no goto here}
      - "not a choice"
  e: {text: E, ending: great}
  f: just text
"""
    root = library(tmp_path / "lib", {"second.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    where = f"{root}/second.yaml"
    assert lines(ran) == [
        f"{where}:4:9: error: unknown role 'mentorr' (did you mean 'mentor'?)",
        f"{where}:8:11: error: expected text, got a whole number",
        f"{where}:10:44: error: unknown ground rule 'no-falt' (did you mean 'no-fault'?)",
        f"{where}:11:9: error: missing required field 'goto'",
        f"{where}:12:9: error: expected a mapping of fields, got text",
        f"{where}:13:24: error: 'great' is not allowed here; use one of 'strong', 'mixed' or 'poor'",
        f"{where}:14:6: error: expected a mapping of fields, got text",
    ]


def test_an_error_in_the_programme_does_not_stop_the_scenario_checks(tmp_path):
    programme = "format: 1\nid: p\ntitle: P\nroles: [mentor]\npass_mrk: 70\nground_rules:\n  - {id: no-fault, name: N, summary: S.}\n"
    scenario = BROKEN.replace("score: {", "scores: {").replace("trust => 40", "trust >= 40")
    root = library(tmp_path / "lib", {"first.yaml": scenario}, programme=programme)
    assert lines(mq("validate", root)) == [
        f"{root}/first.yaml:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{root}/first.yaml:24:3: warning: scene 'sad' cannot be reached from start",
        f"{root}/programme.yaml:5:1: error: unknown field 'pass_mrk' (did you mean 'pass_mark'?)",
    ]


def test_an_unreadable_programme_still_lets_every_scenario_be_checked(tmp_path):
    scenario = BROKEN.replace("score: {", "scores: {").replace("trust => 40", "trust >= 40")
    root = library(tmp_path / "lib", {"first.yaml": scenario}, programme="format: [\n")
    found = lines(mq("validate", root))
    assert (
        f"{root}/first.yaml:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)"
        in found
    )
    assert any(line.startswith(f"{root}/programme.yaml:") for line in found)
    assert not any("unknown ground rule" in line or "unknown role" in line for line in found)


def test_a_broken_file_is_never_played(tmp_path):
    root = library(tmp_path / "lib", {"first.yaml": BROKEN})
    ran = mq("walk", "--library", root, "first", "good")
    assert ran.code == 2
    assert "run 'mentorquest validate" in ran.err
